import type { KeyringPair } from '@polkadot/keyring/types';
import type { Clock } from '../../config/clock';
import type { ExecutorBehaviour, SimulatedExecutorConfig } from './behaviour';
import type { SimulatedJobRunner } from './job-runner';

export interface SimulatedMinerOptions {
  hotkey: KeyringPair;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  executors: SimulatedExecutorConfig[];
  /** Behaviour of executors that do not set their own. Default honest. */
  behaviour?: ExecutorBehaviour;
  /** Job runners tried in order (default: [EchoHashRunner]). */
  runners?: SimulatedJobRunner[];
  /** Validators this miner knows; undefined accepts every validator. */
  knownValidators?: readonly string[];
  /** Known but inactive validators. */
  inactiveValidators?: readonly string[];
  /** Validators this miner declines with reason validator_blacklisted (before any receipt handling). */
  blacklistedValidators?: readonly string[];
  /** "Local" miners (the trusted miner) skip the miner-hotkey check of the auth message. */
  isLocalMiner?: boolean;
  /** Other validators' keys that sign the excuse receipts of 'decline' executors with excuse 'valid'. */
  excuseSigners?: readonly KeyringPair[];
  /** Answer to V0MainHotkeyMessage; default the miner's own hotkey. */
  mainHotkey?: string | null;
  /** Time it takes an executor to become ready after accept, ms. Default 0. */
  spinUpMs?: number;
  /**
   * Enforce the executor's cumulative stage deadlines (executor_timing, else timeout_seconds; §9.3) and
   * answer V0JobFailedRequest(timeout, stage) when one passes. Default false.
   */
  enforceDeadlines?: boolean;
  clock?: Clock;
}

/** Something the simulated miner did or refused, for tests and the CLI log. */
export interface SimulatedMinerEvent {
  at: number;
  kind: 'auth-refused' | 'authenticated' | 'malformed' | 'receipt-stored' | 'receipt-rejected' | 'job-accepted' | 'job-declined' | 'job-finished' | 'job-failed' | 'protocol-error';
  validator?: string;
  jobUuid?: string;
  detail: string;
}

/** Records one SimulatedMinerEvent (the miner keeps the last 10 000). */
export type MinerEventLog = (kind: SimulatedMinerEvent['kind'], ctx: { validator?: string; jobUuid?: string }, detail: string) => void;
