import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { EventRecord } from '@polkadot/types/interfaces';
import type { SpRuntimeDispatchError } from '@polkadot/types/lookup';

/** Why an extrinsic did not take effect. `error` is a stable name such as `subtensorModule.CommitRevealEnabled`. */
export interface ExtrinsicFailure {
  ok: false;
  /** dispatch: included but failed; invalid: refused by the pool/node (1010 ...); rpc: transport error; timeout. */
  kind: 'dispatch' | 'invalid' | 'rpc' | 'timeout';
  error: string;
  message: string;
  blockHash?: string;
}

export interface ExtrinsicSuccess {
  ok: true;
  blockHash: string;
  events: EventRecord[];
}

export type ExtrinsicOutcome = ExtrinsicSuccess | ExtrinsicFailure;

export interface SubmitOptions {
  /** inBlock (default) or finalized. */
  waitFor?: 'inBlock' | 'finalized';
  timeoutMs?: number;
  /**
   * Called once the extrinsic is in the pool; its promise is awaited before the outcome is returned.
   * The local chain builds a block here (chopsticks Manual mode).
   */
  afterSubmit?: () => Promise<unknown>;
  /** Mortal era length in blocks (reference: 16 for commit/reveal). Omitted: polkadot-js default. */
  eraPeriod?: number;
}

/** `module.Name: docs` for a dispatch error, decoded from the runtime metadata. */
export function describeDispatchError(api: ApiPromise, err: SpRuntimeDispatchError): { error: string; message: string } {
  if (err.isModule) {
    try {
      const meta = api.registry.findMetaError(err.asModule);
      const docs = meta.docs.join(' ').trim();
      const error = `${meta.section}.${meta.name}`;
      return { error, message: docs ? `${error}: ${docs}` : error };
    } catch {
      return { error: 'module.Unknown', message: `unknown module error ${err.asModule.toString()}` };
    }
  }
  if (err.isToken) return { error: `token.${err.asToken.type}`, message: `token error ${err.asToken.type}` };
  if (err.isArithmetic) return { error: `arithmetic.${err.asArithmetic.type}`, message: `arithmetic error ${err.asArithmetic.type}` };
  if (err.isBadOrigin) return { error: 'BadOrigin', message: 'BadOrigin: the call was signed by the wrong account' };
  return { error: err.type, message: err.toString() };
}

/**
 * The first failure among an extrinsic's events: `system.ExtrinsicFailed`, or a sudo call whose
 * inner result is an error (which does not fail the outer extrinsic).
 */
export function failureInEvents(api: ApiPromise, events: EventRecord[]): { error: string; message: string } | undefined {
  for (const { event } of events) {
    if (api.events.system.ExtrinsicFailed.is(event)) return describeDispatchError(api, event.data[0]);
    if (api.events.sudo?.Sudid?.is(event)) {
      const result = event.data[0];
      if (result.isErr) return describeDispatchError(api, result.asErr);
    }
  }
  return undefined;
}

/**
 * Signs, sends and watches one extrinsic. Never throws: every failure comes back as a typed
 * ExtrinsicFailure with a readable message (no key material is ever part of it).
 */
export async function submitExtrinsic(
  api: ApiPromise,
  tx: SubmittableExtrinsic<'promise'>,
  signer: KeyringPair,
  opts: SubmitOptions = {},
): Promise<ExtrinsicOutcome> {
  const waitFor = opts.waitFor ?? 'inBlock';
  const timeoutMs = opts.timeoutMs ?? 120_000;
  let unsubscribe: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let settle!: (o: ExtrinsicOutcome) => void;
  const watched = new Promise<ExtrinsicOutcome>((resolve) => (settle = resolve));
  try {
    timer = setTimeout(
      () => settle({ ok: false, kind: 'timeout', error: 'Timeout', message: `not ${waitFor === 'inBlock' ? 'included' : 'finalized'} within ${timeoutMs} ms` }),
      timeoutMs,
    );
    try {
      unsubscribe = await tx.signAndSend(signer, { nonce: -1, ...(opts.eraPeriod ? { era: opts.eraPeriod } : {}) }, (result) => {
        const { status } = result;
        const done = waitFor === 'inBlock' ? status.isInBlock || status.isFinalized : status.isFinalized;
        if (done) {
          const blockHash = (status.isInBlock ? status.asInBlock : status.asFinalized).toHex();
          const failure = failureInEvents(api, result.events);
          settle(failure ? { ok: false, kind: 'dispatch', ...failure, blockHash } : { ok: true, blockHash, events: result.events });
        } else if (status.isInvalid || status.isDropped || status.isUsurped) {
          settle({ ok: false, kind: 'invalid', error: status.type, message: `transaction ${status.type.toLowerCase()} by the node` });
        }
      });
    } catch (e) {
      return rpcFailure(e);
    }
    const afterSubmit = opts.afterSubmit ? opts.afterSubmit() : Promise.resolve();
    const [outcome] = await Promise.all([watched, afterSubmit]);
    return outcome;
  } catch (e) {
    return rpcFailure(e);
  } finally {
    clearTimeout(timer);
    unsubscribe?.();
  }
}

/** `1010: Invalid Transaction: ...` and transport errors from the RPC layer. */
function rpcFailure(e: unknown): ExtrinsicFailure {
  const message = e instanceof Error ? e.message : String(e);
  const invalid = /^(1010|1012|1014)\b/.exec(message);
  if (invalid) return { ok: false, kind: 'invalid', error: `rpc.${invalid[1]}`, message };
  return { ok: false, kind: 'rpc', error: 'rpc.Error', message };
}
