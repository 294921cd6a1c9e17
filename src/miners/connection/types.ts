import type { Clock } from '../../config/clock';
import type { ValidatorHotkey } from '../../chain/validator-hotkey';
import type { MinerToValidatorMessage, MinerMessageType, MinerMessageOf, ValidatorAuthForMiner, ValidatorToMinerMessage } from '../../protocol';

/** Why a connection operation did not produce what the caller wanted. Never thrown: always returned. */
export type MinerConnectionFailureKind =
  | 'timeout' // the caller's deadline passed
  | 'closed' // socket closed / could not (re)connect after the reference's retries / close() called
  | 'unparseable' // a frame from the miner did not parse (also recorded in `failures`)
  | 'unexpected' // a message that parsed but was not what the caller waits for (only when asked, see WaitForOptions.interrupt)
  | 'miner-error' // the miner sent GenericError / UnauthorizedError (e.g. it refused our authentication)
  | 'aborted'; // the caller's AbortSignal fired

export interface MinerConnectionFailure {
  kind: MinerConnectionFailureKind;
  /** Human-readable reason, safe to log and to store (no secrets). */
  reason: string;
  /** The message behind 'unexpected' / 'miner-error'. */
  message?: MinerToValidatorMessage;
  /** The raw frame behind 'unparseable' (cut to 1000 characters). */
  raw?: string;
  /** Clock time (ms) when it happened. */
  at: number;
}

export type WaitResult<M> = { ok: true; message: M } | { ok: false; failure: MinerConnectionFailure };
export type SendResult = { ok: true } | { ok: false; failure: MinerConnectionFailure };
export type ConnectResult = { ok: true } | { ok: false; failure: MinerConnectionFailure };

export interface WaitForOptions {
  /** Deadline for this wait, in ms of the injected Clock. Required: every stage has its own timeout. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Only messages whose job_uuid equals this one (jobless messages such as the manifest always qualify). */
  jobUuid?: string;
  /**
   * Which other events end this wait early with a failure. Default ['miner-error'].
   * 'unparseable': a frame that arrives during the wait and does not parse.
   * 'unexpected': a parsed message (for jobUuid, if given) whose type is not among the awaited types.
   * Messages that do not end the wait stay queued for later waitFor calls.
   */
  interrupt?: ReadonlyArray<'miner-error' | 'unparseable' | 'unexpected'>;
}

export interface SendOptions {
  /** How long to wait for a (re)connection before giving up; default: as long as retries go on. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface MinerConnectionOptions {
  /** The miner's hotkey (SS58); goes into the auth blob. The trusted miner uses '0'.repeat(48). */
  minerHotkey: string;
  /** IPv4, IPv6 literal (bracketed automatically) or host name. */
  address: string;
  port: number;
  validatorHotkey: ValidatorHotkey;
  clock: Clock;
  /** Connect attempts before giving up (reference: organic 5, synthetic 4, main hotkey 2); 0 = forever. Default 5. */
  maxRetries?: number;
  /** Reference backoff: sleep base*2^attempt + uniform(0, jitter) after each failed attempt. Defaults 1000/1000 ms. */
  retryBaseDelayMs?: number;
  retryJitterMs?: number;
  /** Opening handshake timeout, default 10 000 ms. */
  handshakeTimeoutMs?: number;
  /** Client ping interval (default 20 000 ms) and pong timeout (default 120 000 ms). */
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  /** Largest accepted inbound frame, default 50 MiB. */
  maxPayloadBytes?: number;
  /** Reconnect (and re-authenticate) when the socket drops; default true. */
  reconnect?: boolean;
  /** Random source in [0,1) for the jitter (tests); default Math.random. */
  random?: () => number;
  /** Called for every recorded failure (unparseable frames, connection errors, auth refusal...). Must not throw. */
  onFailure?: (failure: MinerConnectionFailure) => void;
  /** Called for every parsed message from the miner (observer; does not consume it). Must not throw. */
  onMessage?: (message: MinerToValidatorMessage) => void;
  /**
   * An authentication message signed ahead (e.g. on a signing thread), used for the first socket while
   * it is at most FIRST_AUTH_MAX_AGE_SECONDS old; reconnects always sign a fresh one.
   */
  firstAuth?: ValidatorAuthForMiner;
}

/** Well inside the miner's 10-s limit on an auth message's age. */
export const FIRST_AUTH_MAX_AGE_SECONDS = 5;

export type MinerConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'refused' | 'closed';

/** The public surface of MinerConnection (see ./miner-connection.ts). */
export interface MinerConnectionApi {
  readonly state: MinerConnectionState;
  /** Every failure recorded on this connection, oldest first (bounded to the last 1000). */
  readonly failures: readonly MinerConnectionFailure[];
  /** The first V0ExecutorManifestRequest received on this connection, if any. */
  readonly manifest: MinerMessageOf<'V0ExecutorManifestRequest'> | undefined;
  /** Opens the socket with the reference's retries and sends ValidatorAuthForMiner first. */
  connect(opts?: { timeoutMs?: number; signal?: AbortSignal }): Promise<ConnectResult>;
  send(message: ValidatorToMinerMessage, opts?: SendOptions): Promise<SendResult>;
  waitFor<T extends MinerMessageType>(types: T | readonly T[], opts: WaitForOptions): Promise<WaitResult<MinerMessageOf<T>>>;
  /** Normal close (1000); pending waits end with 'closed'. Idempotent. */
  close(): Promise<void>;
}
