import { shellSplit } from './shell-split';

describe('shellSplit (shlex.split)', () => {
  it('splits like POSIX shell', () => {
    expect(shellSplit(`--a 1 "two words" 'single q' es\\ caped "q\\"x"`)).toEqual(['--a', '1', 'two words', 'single q', 'es caped', 'q"x']);
    expect(shellSplit('')).toEqual([]);
    expect(shellSplit(`''`)).toEqual(['']);
  });
  it('refuses an unclosed quote', () => expect(() => shellSplit('"abc')).toThrow('No closing quotation'));
});
