/**
 * subtensor's hash commit-reveal window (runtime spec 218 and current): a commit made in epoch
 * e(commitBlock) may be revealed only during epoch e + revealPeriodEpochs, where
 * e(b) = floor((b + netuid + 1) / (tempo + 1)). Earlier: RevealTooEarly; later: ExpiredWeightCommit.
 */
export function commitEpoch(block: number, netuid: number, tempo: number): number {
  return Math.floor((block + netuid + 1) / (tempo + 1));
}

export function revealWindow(commitBlock: number, netuid: number, tempo: number, revealPeriodEpochs: number): { first: number; last: number } {
  const epoch = commitEpoch(commitBlock, netuid, tempo) + revealPeriodEpochs;
  const first = epoch * (tempo + 1) - (netuid + 1);
  return { first, last: first + tempo };
}
