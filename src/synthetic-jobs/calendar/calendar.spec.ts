import { cycleContaining, epochContaining, isInPeakCycle, peakCycle } from './chain-time';
import { BAC_VALIDATOR_SS58_ADDRESS, batchSlot, calculateJobStartBlock, orderValidatorHotkeys, ScheduleError, ValidatorCandidate } from './batch-slot';

describe('chain time (synthetic-jobs.md §13.2, CSW §9.1)', () => {
  it.each([
    [0, 25, -2, 359], [0, 358, -2, 359], [0, 359, 359, 720], [0, 719, 359, 720], [0, 720, 720, 1081],
    [12, 0, -14, 347], [12, 25, -14, 347], [12, 346, -14, 347], [12, 347, 347, 708], [12, 707, 347, 708],
    [12, 708, 708, 1069], [12, 1000, 708, 1069], [12, 1100, 1069, 1430], [12, 1430, 1430, 1791], [12, 10000, 9733, 10094],
  ])('netuid %i block %i: epoch [%i, %i)', (netuid, block, start, stop) => {
    expect(epochContaining(block, netuid)).toEqual({ start, stop });
  });

  it.each([
    [0, 25, -2, 720], [0, 360, -2, 720], [0, 719, -2, 720], [0, 720, 720, 1442], [0, 721, 720, 1442],
    [12, 0, -14, 708], [12, 347, -14, 708], [12, 708, 708, 1430], [12, 1000, 708, 1430], [12, 1430, 1430, 2152], [12, 10000, 9372, 10094],
  ])('netuid %i block %i: cycle [%i, %i)', (netuid, block, start, stop) => {
    expect(cycleContaining(block, netuid)).toEqual({ start, stop });
  });

  it('peak cycles', () => {
    expect(peakCycle(1000, 12)).toEqual({ start: 708, stop: 1430 });
    expect(isInPeakCycle(1000, 12)).toBe(true);
    expect(peakCycle(7219, 12)).toEqual({ start: 708, stop: 1430 });
    expect(isInPeakCycle(7219, 12)).toBe(false);
    expect(peakCycle(8000, 12)).toEqual({ start: 7928, stop: 8650 });
    expect(isInPeakCycle(8000, 12)).toBe(true);
    expect(peakCycle(10000, 12)).toEqual({ start: 7928, stop: 8650 });
    expect(isInPeakCycle(10000, 12)).toBe(false);
  });
});

describe('batch slot (scoring-synthetic-era.md §9.2, §9.3)', () => {
  it.each([
    [100, 151, 0, 4, 2, 125], [100, 151, 0, 2, 0, 100], [100, 151, 0, 2, 1, 125],
    [100, 201, 10, 3, 0, 110], [100, 201, 10, 3, 1, 140], [100, 201, 10, 3, 2, 170],
  ])('cycle [%i,%i) offset %i total %i index %i -> %i', (start, stop, offset, total, index, expected) => {
    expect(calculateJobStartBlock({ start, stop }, total, index, offset)).toBe(expected);
  });

  const own = '5OwnValidatorHotkey';
  const neurons: ValidatorCandidate[] = Array.from({ length: 11 }, (_, uid) => ({
    uid,
    hotkey: uid === 6 ? own : `mock_validator_hotkey_${uid}`,
    totalStake: BigInt((uid + 1) * 1001) * 1_000_000_000n,
    alphaStake: (uid + 1) * 1001,
  }));
  const seed = '0xed0050a68f7027abdf10a5e4bd7951c00d886ddbb83bed5b3236ed642082b464';

  it('"simple" scheduling vector: own hotkey 5th by stake, index 6 after shuffle, block 390', () => {
    const ordered = orderValidatorHotkeys(neurons, 0n, 64);
    expect(ordered.indexOf(own)).toBe(4);
    expect(ordered[0]).toBe('mock_validator_hotkey_10');
    const cycle = cycleContaining(140, 12);
    expect(cycle).toEqual({ start: -14, stop: 708 });
    expect(batchSlot(cycle, ordered, own, seed)).toEqual({ seed, index: 6, total: 11, block: 390 });
  });

  it('not in the list is a ScheduleError', () => {
    const ordered = orderValidatorHotkeys(neurons, 0n, 64);
    expect(() => batchSlot({ start: -14, stop: 708 }, ordered, 'someone else', seed)).toThrow(ScheduleError);
  });

  it('max_validators keeps the top stakes; the BAC validator goes first', () => {
    const top3 = orderValidatorHotkeys(neurons, 0n, 3);
    expect(top3).toEqual(['mock_validator_hotkey_10', 'mock_validator_hotkey_9', 'mock_validator_hotkey_8']);
    const bac: ValidatorCandidate = { uid: 99, hotkey: BAC_VALIDATOR_SS58_ADDRESS, totalStake: 1n, alphaStake: 0 };
    expect(orderValidatorHotkeys(neurons, 0n, 3, bac)[0]).toBe(BAC_VALIDATOR_SS58_ADDRESS);
    const withBac = [...neurons, { ...bac, totalStake: 10n ** 15n }];
    const ordered = orderValidatorHotkeys(withBac, 0n, 0, bac);
    expect(ordered[0]).toBe(BAC_VALIDATOR_SS58_ADDRESS);
    expect(ordered.filter((h) => h === BAC_VALIDATOR_SS58_ADDRESS)).toHaveLength(1);
  });

  it('ties keep uid order (stable descending sort)', () => {
    const tied: ValidatorCandidate[] = [0, 1, 2].map((uid) => ({ uid, hotkey: `h${uid}`, totalStake: 5n, alphaStake: 1 }));
    expect(orderValidatorHotkeys(tied, 0n, 0)).toEqual(['h0', 'h1', 'h2']);
  });
});
