import { PythonRandom } from '../../common/python-random';
import type { BlockRange } from './chain-time';
import { BAC_VALIDATOR_SS58_ADDRESS } from '../../protocol/excuses';

/** Defined once, with the excuse rules (src/protocol/excuses); re-exported for the calendar's callers. */
export { BAC_VALIDATOR_SS58_ADDRESS };

/**
 * Where this validator's synthetic batch sits inside a cycle (synthetic-jobs.md §3.2,
 * scoring-synthetic-era.md §4.2) [CONSENSUS]. Pure.
 */
export const DEFAULT_SYNTHETIC_JOBS_RUN_OFFSET = 24;

/** `start + offset + floor(((stop - start - offset) / total) * index)`; "/" is IEEE double division. */
export function calculateJobStartBlock(cycle: BlockRange, total: number, index: number, offset = DEFAULT_SYNTHETIC_JOBS_RUN_OFFSET): number {
  return cycle.start + offset + Math.floor(((cycle.stop - cycle.start - offset) / total) * index);
}

export interface ValidatorCandidate {
  uid: number;
  hotkey: string;
  /** chain `total_stake` (rao): selects who is a validator. */
  totalStake: bigint;
  /** neuron-lite alpha stake (alpha units, float): orders the list. */
  alphaStake: number;
}

/**
 * `validator_hotkeys_at(B)`: the chain's validator set (total stake ≥ threshold, top `maxValidators`
 * by (stake, hotkey)), in uid order, stable-sorted descending by (is BAC, alpha stake); the BAC
 * validator forced to the front when registered but not first.
 * `neurons` must be in uid order. `bac` is the BAC neuron when it is registered at B.
 */
export function orderValidatorHotkeys(
  neurons: readonly ValidatorCandidate[],
  stakeThreshold: bigint,
  maxValidators: number,
  bac?: ValidatorCandidate,
): string[] {
  const cand = neurons
    .filter((n) => n.totalStake >= stakeThreshold)
    .map((n) => ({ stake: n.totalStake, hotkey: n.hotkey }))
    .sort((a, b) => (a.stake < b.stake ? -1 : a.stake > b.stake ? 1 : a.hotkey < b.hotkey ? -1 : a.hotkey > b.hotkey ? 1 : 0));
  if (cand.length === 0) throw new ScheduleError('no validators above the stake threshold');
  // Python slice [-0:] keeps everything.
  const chosen = new Set((maxValidators === 0 ? cand : cand.slice(-maxValidators)).map((c) => c.hotkey));
  const list = neurons.filter((n) => chosen.has(n.hotkey));
  const key = (n: ValidatorCandidate): [number, number] => [n.hotkey === BAC_VALIDATOR_SS58_ADDRESS ? 1 : 0, n.alphaStake];
  const sorted = stableSortDescending(list, key);
  if ((sorted.length === 0 || sorted[0].hotkey !== BAC_VALIDATOR_SS58_ADDRESS) && bac) sorted.unshift(bac);
  return sorted.map((n) => n.hotkey);
}

/** Python `sorted(xs, key=k, reverse=True)`: descending, equal keys keep their order. */
export function stableSortDescending<T>(xs: readonly T[], key: (x: T) => readonly number[]): T[] {
  return xs
    .map((x, i) => ({ x, i, k: key(x) }))
    .sort((a, b) => {
      for (let p = 0; p < a.k.length; p++) {
        if (a.k[p] !== b.k[p]) return b.k[p] - a.k[p];
      }
      return a.i - b.i;
    })
    .map((e) => e.x);
}

export class ScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

export interface BatchSlot {
  seed: string;
  index: number;
  total: number;
  block: number;
}

/** `when_to_run(C)` given the ordered validator list and the seed block hash. */
export function batchSlot(cycle: BlockRange, orderedHotkeys: readonly string[], ownHotkey: string, seedBlockHash: string, offset = DEFAULT_SYNTHETIC_JOBS_RUN_OFFSET): BatchSlot {
  if (!orderedHotkeys.includes(ownHotkey)) {
    throw new ScheduleError(`This validator is not in a list of validators (${ownHotkey})`);
  }
  const shuffled = [...orderedHotkeys];
  new PythonRandom(seedBlockHash).shuffle(shuffled);
  const index = shuffled.indexOf(ownHotkey);
  return { seed: seedBlockHash, index, total: shuffled.length, block: calculateJobStartBlock(cycle, shuffled.length, index, offset) };
}
