import { authBlob, authMessage } from '../../protocol';
import { signBlobWith } from './receipt-signer';
import type { BatchEngineDeps } from './batch-engine-types';
import type { BatchRunContext, MinerCtx } from './batch-run-state';

/**
 * Stage 1 for one miner: connect, authenticate and read the executor manifest within
 * `manifestMs`. Every job-bound message's first arrival time is noted on `ctx` from here on;
 * `minerFailure` gets why a miner has no manifest.
 */
export async function getManifest(
  ctx: MinerCtx,
  run: BatchRunContext,
  openConnection: BatchEngineDeps['openConnection'],
  minerFailure: (ctx: MinerCtx, reason: string) => void,
): Promise<void> {
  const { clock, ev } = run;
  const deadline = clock.now() + run.timings.manifestMs;
  const hotkey = ctx.miner.hotkey;
  // Signed like the receipts (off the event loop when signBytes is a pool); reconnects sign afresh.
  const timestamp = Math.floor(clock.now() / 1000);
  const authSignature = await signBlobWith(run.signBytes, authBlob(run.validatorSs58, hotkey, timestamp));
  const conn = openConnection(ctx.miner, {
    maxRetries: run.timings.connectRetries,
    firstAuth: authMessage(run.validatorSs58, hotkey, timestamp, authSignature),
    onMessage: (m) => {
      const uuid = (m as { job_uuid?: unknown }).job_uuid;
      if (typeof uuid === 'string') {
        const key = `${uuid}|${m.message_type}`;
        if (!ctx.arrivals.has(key)) ctx.arrivals.set(key, clock.now());
      } else if (m.message_type === 'GenericError' || m.message_type === 'UnauthorizedError') {
        const details = m.message_type === 'GenericError' ? (m as { details?: string | null }).details ?? '' : `${(m as { code?: string }).code ?? ''}`;
        const unauthorized = m.message_type === 'UnauthorizedError' || /^(unknown|inactive) validator/i.test(details) || /not authenticated/i.test(details);
        ev({ type: 'MINER_SYNTHETIC_JOB_FAILURE', subtype: unauthorized ? 'UNAUTHORIZED' : 'GENERIC_ERROR', description: `miner error: ${details}`.slice(0, 1000), data: { miner_hotkey: hotkey } });
      }
    },
    onFailure: (f) => {
      if (f.kind === 'closed') ctx.lost = true;
      if (f.kind === 'unparseable') {
        ev({ type: 'MINER_SYNTHETIC_JOB_FAILURE', subtype: 'GENERIC_ERROR', description: `malformed message from miner: ${f.reason}`.slice(0, 1000), data: { miner_hotkey: hotkey } });
      }
    },
  });
  ctx.conn = conn;
  const connected = await conn.connect({ timeoutMs: Math.max(0, deadline - clock.now()) });
  if (!connected.ok) {
    ctx.lost = true;
    minerFailure(ctx, `could not connect: ${connected.failure.reason}`);
    ev({ type: 'MINER_SYNTHETIC_JOB_FAILURE', subtype: 'MINER_CONNECTION_ERROR', description: connected.failure.reason, data: { miner_hotkey: hotkey, func: 'connect' } });
    return;
  }
  const got = await conn.waitFor('V0ExecutorManifestRequest', { timeoutMs: Math.max(0, deadline - clock.now()), interrupt: [] });
  if (!got.ok) {
    const timeout = got.failure.kind === 'timeout';
    minerFailure(ctx, timeout ? 'no manifest in time' : `manifest error: ${got.failure.reason}`);
    ev({ type: 'MINER_SYNTHETIC_JOB_FAILURE', subtype: timeout ? 'MANIFEST_TIMEOUT' : 'MANIFEST_ERROR', description: got.failure.reason, data: { miner_hotkey: hotkey, func: '_get_miner_manifest' } });
    return;
  }
  const manifest: Record<string, number> = {};
  for (const [cls, n] of Object.entries(got.message.manifest)) if (typeof n === 'number' && n > 0) manifest[cls] = n;
  ctx.manifest = manifest;
}
