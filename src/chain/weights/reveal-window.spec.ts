import { commitEpoch, revealWindow } from './reveal-window';

describe('reveal window', () => {
  it('is the epoch after the commit (netuid 2, tempo 10)', () => {
    // epoch(b) = floor((b + 3) / 11): block 30 is in epoch 3 (blocks 30..40), reveal in epoch 4 = 41..51
    expect(commitEpoch(30, 2, 10)).toBe(3);
    expect(commitEpoch(40, 2, 10)).toBe(3);
    expect(revealWindow(30, 2, 10, 1)).toEqual({ first: 41, last: 51 });
    expect(revealWindow(40, 2, 10, 1)).toEqual({ first: 41, last: 51 });
    expect(revealWindow(41, 2, 10, 2)).toEqual({ first: 63, last: 73 });
  });
  it('follows netuid 12 mainnet alignment (tempo 360)', () => {
    expect(revealWindow(1000, 12, 360, 1)).toEqual({ first: 1070, last: 1430 });
  });
});
