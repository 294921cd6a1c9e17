import { pyRound, u16ForCommit, u16ForSetWeights } from './u16';

describe('u16 conversion', () => {
  it('rounds halves to even like Python', () => {
    expect([0.5, 1.5, 2.5, 32767.5, 2.4999, 16383.75].map(pyRound)).toEqual([0, 2, 2, 32768, 2, 16384]);
  });
  it('reproduces _normalize_weights_for_committing([0.5, 1.5, 100.1, 30], 65535)', () => {
    expect(u16ForCommit([0.5, 1.5, 100.1, 30])).toEqual([327, 982, 65535, 19641]);
  });
  it('reproduces the reveal vector [16384, 32768, 49151, 65535]', () => {
    expect(u16ForCommit([0.25, 0.5, 0.75, 1])).toEqual([16384, 32768, 49151, 65535]);
    expect(u16ForSetWeights([0.25, 0.5, 0.75, 1])).toEqual([16384, 32768, 49151, 65535]);
  });
  it('keeps all-zero weights at zero for set_weights and refuses to commit them', () => {
    expect(u16ForSetWeights([0, 0])).toEqual([0, 0]);
    expect(() => u16ForCommit([0, 0])).toThrow(/all weights are zero/);
  });
  it('matches the chain README example (100, 200, 300)', () => {
    expect(u16ForSetWeights([100, 200, 300])).toEqual([21845, 43690, 65535]);
  });
});
