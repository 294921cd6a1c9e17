import { driverTiming, scoreStr } from './timing';

const defaults = { reservationTimeLimit: 7, executorStartupTimeLimit: 5, allowedLeeway: 5 };

describe('TV-16 derived timing examples', () => {
  it('spin_up-4min.gpu-24gb with limits 1/1/1/1', () => {
    expect(driverTiming({ ...defaults, spinUpTime: 240, limits: { download: 1, execution: 1, upload: 1, streaming: 1 }, totalTimeout: 300, streaming: false })).toEqual({
      acceptWait: 7, readinessWait: 245, acceptedReceiptTtl: 254, volumesDeadline: 6, streamingDeadline: null, executionDeadline: 7, finishedDeadline: 8,
    });
  });
  it('always_on.gpu-24gb with limits 60/120/30/5', () => {
    expect(driverTiming({ ...defaults, spinUpTime: 3, limits: { download: 60, execution: 120, upload: 30, streaming: 5 }, totalTimeout: 300, streaming: false })).toEqual({
      acceptWait: 7, readinessWait: 8, acceptedReceiptTtl: 228, volumesDeadline: 65, streamingDeadline: null, executionDeadline: 185, finishedDeadline: 215,
    });
  });
  it('same, streaming', () => {
    expect(driverTiming({ ...defaults, spinUpTime: 3, limits: { download: 60, execution: 120, upload: 30, streaming: 5 }, totalTimeout: 300, streaming: true })).toEqual({
      acceptWait: 7, readinessWait: 8, acceptedReceiptTtl: 228, volumesDeadline: 65, streamingDeadline: 70, executionDeadline: 190, finishedDeadline: 220,
    });
  });
  it('single-timeout mode never extends the deadline', () => {
    const t = driverTiming({ ...defaults, spinUpTime: 3, limits: null, totalTimeout: 42, streaming: false });
    expect([t.acceptedReceiptTtl, t.volumesDeadline, t.executionDeadline, t.finishedDeadline]).toEqual([50, 42, 42, 42]);
  });
  it('score_str of executor seconds 210 is "210.000000"', () => {
    expect(scoreStr(60 + 120 + 30)).toBe('210.000000');
    expect(scoreStr(0)).toBe('0.000000');
  });
});
