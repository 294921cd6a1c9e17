import { eventSummary, oneLine } from './text';

describe('status page text', () => {
  it('keeps the first line of an error and drops its stack trace', () => {
    expect(oneLine('Error: boom\n    at Foo.bar (/app/x.js:1:2)\n    at baz')).toBe('Error: boom');
    expect(oneLine('x'.repeat(300))).toHaveLength(200);
  });

  it('shows job events by job and miner only, never their output', () => {
    const e = { type: 'MINER_ORGANIC_JOB_SUCCESS', longDescription: 'Miner 10.0.0.1:8000 hotkey=5X finished: stdout=secret output', data: { job_uuid: 'u-1', miner_hotkey: '5X' } };
    expect(eventSummary(e)).toBe('job u-1 on miner 5X');
    expect(eventSummary({ type: 'VALIDATOR_MINERS_REFRESH', longDescription: 'synced\nmore', data: {} })).toBe('synced');
  });
});
