import { parsePythonFloat } from './python-float';
import { parseExecutorClassWeights } from './executor-classes';

describe('Python float() (scoring-synthetic-era.md §8.4)', () => {
  test.each([
    ['1', 1],
    [' 99 ', 99],
    ['1_000.5', 1000.5],
    ['-2.5e3', -2500],
    ['.5', 0.5],
    ['5.', 5],
    ['+1E-2', 0.01],
    ['inf', Infinity],
    ['-Infinity', -Infinity],
  ])('%p -> %p', (raw, value) => expect(parsePythonFloat(raw)).toBe(value));
  test('nan', () => expect(parsePythonFloat('NaN')).toBeNaN());
  test.each(['', '1x', '1__0', '_1', '1_', '0x10', '1.5.2', 'e5', '--1', 'in f'])('%p is rejected', (raw) => {
    expect(parsePythonFloat(raw)).toBeUndefined();
  });
});

describe('DYNAMIC_EXECUTOR_CLASS_WEIGHTS parsing', () => {
  test('the synthetic-era default', () => {
    expect(parseExecutorClassWeights('spin_up-4min.gpu-24gb=99,always_on.llm.a6000=1')).toEqual(
      new Map([['spin_up-4min.gpu-24gb', 99], ['always_on.llm.a6000', 1]]),
    );
  });
  test('always_on.test is not a class of this era and is skipped', () => {
    expect(parseExecutorClassWeights('spin_up-4min.gpu-24gb=99,always_on.llm.a6000=1,always_on.test=0')).toEqual(
      new Map([['spin_up-4min.gpu-24gb', 99], ['always_on.llm.a6000', 1]]),
    );
  });
  test('malformed pairs are skipped, a later duplicate wins, values accept Python float syntax', () => {
    expect(
      parseExecutorClassWeights('spin_up-4min.gpu-24gb=1,bogus=3,always_on.gpu-24gb=2=3,always_on.llm.a6000=x, always_on.gpu-24gb=5,spin_up-4min.gpu-24gb= 1_0 '),
    ).toEqual(new Map([['spin_up-4min.gpu-24gb', 10]]));
  });
  test('empty string: empty map', () => {
    expect(parseExecutorClassWeights('')).toEqual(new Map());
  });
});
