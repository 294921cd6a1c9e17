/**
 * Foreground commands (devnet servers, connect-facilitator, transfer-receipts --daemon) run until the
 * operator presses Ctrl-C or the container is stopped. The listeners are removed once one fires, so a
 * second signal gets Node's default behaviour (exit) if shutting down hangs.
 */

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** Resolves with the first SIGINT or SIGTERM. */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      for (const s of STOP_SIGNALS) process.off(s, onSignal);
      resolve(signal);
    };
    for (const s of STOP_SIGNALS) process.on(s, onSignal);
  });
}

/** An AbortSignal aborted by the first SIGINT or SIGTERM; `dispose()` removes the listeners early. */
export function abortOnStopSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    dispose();
    controller.abort(signal);
  };
  const dispose = () => {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  return { signal: controller.signal, dispose };
}
