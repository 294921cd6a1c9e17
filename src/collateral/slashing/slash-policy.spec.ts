import { cheatedJobUrl, isHttpUrl, MAX_SLASH_ATTEMPTS, md5Hex, retryDelaySeconds } from './slash-policy';

describe('slash policy', () => {
  it('§11.5: retriable failures on attempts 1-5 wait 2, 4, 8, 16, 32 s; attempt 6 is the last', () => {
    expect([0, 1, 2, 3, 4].map(retryDelaySeconds)).toEqual([2, 4, 8, 16, 32]);
    expect(retryDelaySeconds(10)).toBe(120);
    expect(MAX_SLASH_ATTEMPTS).toBe(6);
  });

  it('§11.1 item 2: md5("evidence-bytes") = 0x4e634bf15a783162963a5ae51d35670b', () => {
    expect(md5Hex(Buffer.from('evidence-bytes'))).toBe('0x4e634bf15a783162963a5ae51d35670b');
  });

  it('the cheated-job URL is not fetched', () => {
    expect(cheatedJobUrl('3fa85f64-5717-4562-b3fc-2c963f66afa6')).toBe('job 3fa85f64-5717-4562-b3fc-2c963f66afa6 cheated');
    expect(isHttpUrl(cheatedJobUrl('x'))).toBe(false);
    expect(isHttpUrl('https://example.com/proof')).toBe(true);
  });
});
