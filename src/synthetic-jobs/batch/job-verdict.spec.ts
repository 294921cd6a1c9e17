import { judgeJob, type VerdictInput } from './job-verdict';
import { formatG6, parseClassIntMap, parseEventLimits, parseExecutorClassList } from './batch-config';

// Rules of scoring-synthetic-era.md §5.4, first match wins.
describe('per-job verdict', () => {
  const base = (over: Partial<VerdictInput> = {}): VerdictInput => ({
    job: {},
    excusedScore: 1.337,
    verifyTime: (s) => s <= 53,
    verifyCorrectness: () => ({ correct: true, comment: '' }),
    ...over,
  });
  const finished = (took: number) => ({ accept: { kind: 'accept' as const, atMs: 0 }, executor: { kind: 'ready' as const, atMs: 0 }, jobSentAtMs: 1000, response: { kind: 'finished' as const, atMs: 1000 + took, stdout: 'x', rawMessage: '{}' } });

  it('correct in time: COMPLETED, 1', () => {
    expect(judgeJob(base({ job: finished(2000) }))).toMatchObject({ status: 'COMPLETED', score: 1, event: 'SUCCESS' });
  });
  it('busy with enough excuses: EXCUSED with the excused score; not enough: FAILED', () => {
    const job = { accept: { kind: 'decline' as const, reason: 'busy', atMs: 0 } };
    expect(judgeJob(base({ job, excuse: { validExcuses: 1, acceptedSameClass: 0, expected: 1 } }))).toMatchObject({ status: 'EXCUSED', score: 1.337, comment: 'excused (pass)' });
    expect(judgeJob(base({ job, excuse: { validExcuses: 1, acceptedSameClass: 1, expected: 3 } }))).toMatchObject({ status: 'FAILED', score: 0, comment: 'badly excused (fail)' });
    expect(judgeJob(base({ job, excusedScore: 0, excuse: { validExcuses: 1, acceptedSameClass: 0, expected: 1 } }))).toMatchObject({ status: 'EXCUSED', score: 0 });
  });
  it('other decline: FAILED declined', () => {
    expect(judgeJob(base({ job: { accept: { kind: 'decline', reason: 'unknown', atMs: 0 } } }))).toMatchObject({ status: 'FAILED', comment: 'declined', event: 'JOB_REJECTED' });
  });
  it('no response: timed out', () => {
    expect(judgeJob(base({ job: { accept: { kind: 'accept', atMs: 0 } } }))).toMatchObject({ status: 'FAILED', comment: 'timed out', failureKind: 'TIMED_OUT' });
  });
  it('streaming job without a response: NotReady or a forged ready message is JOB_NOT_STARTED, silence times out', () => {
    const ready = { accept: { kind: 'accept' as const, atMs: 0 }, executor: { kind: 'ready' as const, atMs: 0 }, jobSentAtMs: 1 };
    expect(judgeJob(base({ job: { ...ready, streaming: { kind: 'not-ready' } } }))).toMatchObject({ status: 'FAILED', score: 0, comment: 'failed to start streaming', failureKind: 'STREAMING_NOT_READY', event: 'JOB_NOT_STARTED' });
    expect(judgeJob(base({ job: { ...ready, streaming: { kind: 'bad-signature' } } }))).toMatchObject({ status: 'FAILED', comment: 'failed to start streaming: the ready message has an invalid miner_signature', event: 'JOB_NOT_STARTED' });
    expect(judgeJob(base({ job: { ...ready, streaming: { kind: 'none' } } }))).toMatchObject({ status: 'FAILED', failureKind: 'TIMED_OUT', event: null });
    expect(judgeJob(base({ job: { ...ready, streaming: { kind: 'ready' } } }))).toMatchObject({ status: 'FAILED', comment: 'timed out', failureKind: 'TIMED_OUT' });
  });
  it('job failed: returncode in the comment', () => {
    const job = { ...finished(1), response: { kind: 'failed' as const, atMs: 2000, exitStatus: 3, rawMessage: '{}' } };
    expect(judgeJob(base({ job }))).toMatchObject({ status: 'FAILED', comment: 'failed: returncode=3', event: 'FAILURE' });
  });
  it('response before the request: out of order', () => {
    const job = { ...finished(0) };
    expect(judgeJob(base({ job }))).toMatchObject({ status: 'FAILED', comment: 'out of order job response', event: 'JOB_EXECUTION_TIMEOUT' });
  });
  it('too slow: took too long with two decimals, even when correct', () => {
    expect(judgeJob(base({ job: finished(53_456) }))).toMatchObject({ status: 'FAILED', score: 0, comment: 'took too long: time_took_sec=53.46', correct: true });
  });
  it('wrong answer: FAILED with the generator comment', () => {
    expect(judgeJob(base({ job: finished(100), verifyCorrectness: () => ({ correct: false, comment: 'nope' }) }))).toMatchObject({ status: 'FAILED', comment: 'nope', failureKind: 'WRONG_ANSWER' });
  });
});

describe('synthetic config parsing and %.6g', () => {
  it('class=int maps skip bad items', () => {
    expect([...parseClassIntMap('always_on.llm.a6000=2,bogus=3,always_on.gpu-24gb=x,spin_up-4min.gpu-24gb=-1,=,a=b=c')]).toEqual([['always_on.llm.a6000', 2], ['spin_up-4min.gpu-24gb', -1]]);
    expect([...parseClassIntMap('spin_up-4min.gpu-24gb=-1', { dropNegative: true })]).toEqual([]);
  });
  it('streaming class list skips unknown and empty items', () => {
    expect([...parseExecutorClassList('always_on.llm.a6000, bogus,,always_on.gpu-24gb')]).toEqual(['always_on.llm.a6000', 'always_on.gpu-24gb']);
    expect([...parseExecutorClassList('')]).toEqual([]);
  });
  it('event limits', () => {
    expect([...parseEventLimits('MINER_SYNTHETIC_JOB_FAILURE,LLM_PROMPT_ANSWERS_MISSING,10;bad;A,B,x')]).toEqual([['MINER_SYNTHETIC_JOB_FAILURE/LLM_PROMPT_ANSWERS_MISSING', 10]]);
  });
  it.each([[0, '0'], [1, '1'], [1.337, '1.337'], [1e-5, '1e-05'], [123456789, '1.23457e+08'], [0.5, '0.5'], [0.123456789, '0.123457'], [1234567, '1.23457e+06'], [1e-7, '1e-07'], [999999.5, '1e+06'], [0.0001, '0.0001']])('%.6g of %p is %p', (x, s) => {
    expect(formatG6(x)).toBe(s);
  });
});
