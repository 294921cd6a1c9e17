import type { DrandBeaconParams } from './drand';

/** Which timelocked commit the runtime takes (the payload and the reveal rule differ). */
export type TimelockScheme = 'crv3' | 'crv4';

export interface RevealRoundInput {
  /** Head when the commit is built; the commit lands in the next block at the earliest. */
  currentBlock: number;
  netuid: number;
  tempo: number;
  /** The subnet's `RevealPeriodEpochs` (commit_reveal_weights_interval). */
  revealPeriodEpochs: number;
  /** Wall-clock unix seconds (fractional). */
  nowSeconds: number;
  /** Seconds per block (12 on finney; the chain's slot duration). */
  blockTimeSeconds: number;
  beacon: Pick<DrandBeaconParams, 'genesisTime' | 'period'>;
}

export interface TimelockPlan {
  revealRound: number;
  /** The epoch the chain files the commit under (inclusion in the next block). */
  commitEpoch: number;
  /** The blocks in which the chain can apply the commit; after `lastRevealBlock` it is gone. */
  firstRevealBlock: number;
  lastRevealBlock: number;
  /**
   * crv3 only: the reveal block is so close that no pulse published after now can be on chain by
   * then. Committing now would make the weights readable at once; wait for the next epoch.
   */
  tooClose: boolean;
}

/** subtensor's epoch index: floor((block + netuid + 1) / (tempo + 1)). */
export function epochIndex(block: number, netuid: number, tempo: number): number {
  return Math.floor((block + netuid + 1) / (tempo + 1));
}

/** First block of epoch `e`. */
export function epochStart(e: number, netuid: number, tempo: number): number {
  return e * (tempo + 1) - (netuid + 1);
}

/** Blocks before the crv3 reveal block whose round the commit targets (drand publication plus the chain's ingest). */
export const CRV3_PULSE_MARGIN_BLOCKS = 3;

/**
 * The drand round to encrypt to.
 *
 * crv4 (`commit_timelocked_weights`): bittensor-drand 1.0.0 `generate_commit` (CSW §5.6): the round
 * of the wall-clock time 3 blocks after the first block of epoch `current + revealPeriodEpochs`; the
 * chain retries every block of that epoch until the pulse is stored.
 *
 * crv3 (`commit_crv3_weights`, runtime 293): the chain tries once, in the last block of epoch
 * `commitEpoch + revealPeriodEpochs - 1`, and drops the commit when the pulse is not stored then.
 * The 1.0.0 formula aims 4 blocks after that try, so every commit would be dropped; here the round
 * is the one published CRV3_PULSE_MARGIN_BLOCKS blocks before the reveal block.
 */
export function planReveal(scheme: TimelockScheme, i: RevealRoundInput): TimelockPlan {
  for (const [k, v] of Object.entries({ currentBlock: i.currentBlock, netuid: i.netuid, tempo: i.tempo, revealPeriodEpochs: i.revealPeriodEpochs })) {
    if (!Number.isSafeInteger(v) || v < 0) throw new Error(`${k} must be a non-negative integer, got ${v}`);
  }
  if (i.tempo < 1) throw new Error('tempo must be at least 1');
  if (!(i.blockTimeSeconds > 0)) throw new Error(`block time must be positive, got ${i.blockTimeSeconds}`);
  const roundAtOffset = (blocks: number) => Math.max(1, Math.floor((i.nowSeconds + Math.max(0, blocks) * i.blockTimeSeconds - i.beacon.genesisTime) / i.beacon.period));

  if (scheme === 'crv4') {
    const commitEpoch = epochIndex(i.currentBlock, i.netuid, i.tempo);
    const firstRevealBlock = epochStart(commitEpoch + i.revealPeriodEpochs, i.netuid, i.tempo);
    return {
      revealRound: roundAtOffset(firstRevealBlock + 3 - i.currentBlock),
      commitEpoch,
      firstRevealBlock,
      lastRevealBlock: firstRevealBlock + i.tempo,
      tooClose: false,
    };
  }
  const commitEpoch = epochIndex(i.currentBlock + 2, i.netuid, i.tempo);
  const revealBlock = epochStart(commitEpoch + Math.max(1, i.revealPeriodEpochs), i.netuid, i.tempo) - 1;
  const lead = revealBlock - CRV3_PULSE_MARGIN_BLOCKS - i.currentBlock;
  return { revealRound: roundAtOffset(lead), commitEpoch, firstRevealBlock: revealBlock, lastRevealBlock: revealBlock, tooClose: lead < 1 };
}
