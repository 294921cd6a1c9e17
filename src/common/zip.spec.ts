import { execFileSync } from 'node:child_process';
import { readZip, writeZip } from './zip';

describe('zip', () => {
  const files: [string, Buffer][] = [['payload.txt', Buffer.from('hello\n')], ['dir/out.bin', Buffer.alloc(5000, 7)]];

  it.each([false, true])('round trip (deflate %s)', (deflate) => {
    const z = writeZip(files, { deflate });
    expect([...readZip(z)]).toEqual(files);
  });

  it("is read by Python's zipfile with the right names, contents and dates", () => {
    const z = writeZip(files, { deflate: true });
    const out = execFileSync('python3', ['-c', [
      'import sys, zipfile, io, json',
      'z = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))',
      'print(json.dumps([[i.filename, i.date_time[:3], len(z.read(i))] for i in z.infolist()]))',
    ].join('\n')], { input: z, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([['payload.txt', [1980, 1, 1], 6], ['dir/out.bin', [1980, 1, 1], 5000]]);
  });

  it('refuses paths that escape, truncated entries and non-zips', () => {
    expect(() => readZip(writeZip([['../evil', Buffer.from('x')]]))).toThrow(/unsafe path/);
    expect(() => readZip(writeZip([['/etc/passwd', Buffer.from('x')]]))).toThrow(/unsafe path/);
    const z = writeZip([['a.txt', Buffer.alloc(100, 1)]]);
    const cut = Buffer.concat([z.subarray(0, 40), z.subarray(z.length - 68)]);
    expect(() => readZip(cut)).toThrow();
    expect(() => readZip(Buffer.from('not a zip at all, definitely not'))).toThrow(/not a ZIP/);
  });
});
