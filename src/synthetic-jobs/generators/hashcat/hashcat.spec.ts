import { fernetDecrypt, fernetEncrypt, hashLine, kdf } from './hashcat-crypto';
import { pickleDumps, pickleLoads } from './pickle';
import { readZip as unzip } from '../../../common/zip';
import { createHashcatJob, HASHCAT_V0_IMAGE, HASHCAT_V1_IMAGE } from './hashcat-generator';
import { solveHashcatJob } from '../../../devnet/executors/hashcat-solver';

// Vectors: synthetic-jobs.md §13.4 and §13.5.
describe('hashcat crypto vectors', () => {
  it('Kdf', () => {
    expect(kdf('aaaaaabbbbbbccccc1ddddd2')).toBe('dxJ95tjvxRMsbX_Pj8QDTqXhvoF_iGl128BYoVbyvRo=');
    expect(kdf('aaaaaa\nbbbbbb')).toBe('MMFwWPsOM6dn4ot0Scp5xrLYn2x0k62fh6dm6glYIG0=');
  });

  it('hash lines', () => {
    const salt = Buffer.from('0011223344556677', 'hex');
    expect(hashLine('SHA256', 'abcdef', salt)).toBe('abf2a6508eddb2fe76c702db3ebe750e2d4ca545f8e137b1f86ed155b9797449:0011223344556677');
    expect(hashLine('SHA384', 'abcd1', salt)).toBe('f7970cf0c9f0ef82288d29d34e5ce6dfdb941886168a931276e5282e6e743d611f2c9d99c5ae3255912b51d19a43623b:0011223344556677');
    expect(hashLine('SHA512', 'abcd1', salt)).toBe('03160a3f5f81bbc54b7abaa8e2a12c729469378cf4a7f3d788ad4ba47f7c82d92b99b20e9a0fe7414dfd6239a2a4f5a103ed99b4a0a6c06d8d6be3f9fc811714:0011223344556677');
  });

  it('Fernet token with fixed timestamp and IV, and its decryption', () => {
    const line = 'abf2a6508eddb2fe76c702db3ebe750e2d4ca545f8e137b1f86ed155b9797449:0011223344556677';
    const token = fernetEncrypt(kdf('aaaaaa\nbbbbbb'), line, { timestampSeconds: 1700000000, iv: Buffer.alloc(16) });
    expect(token).toBe('gAAAAABlU_EAAAAAAAAAAAAAAAAAAAAAAFctJ1uZ1zOnB7KV1q0fW8nZkTtwunOx_9-fAfAKrwaJDzBrKSecYSy8aoZZyMXxykh6uKIC0aFGFSOC9YWLREV7QzKvNa8vaEasJd-tOI9krFvm9grxhQYU0IIxE3sJF1Q6_Fgph5X6p2jEYELMGBhl9Sy2XaQH0VE5gTXbHxB0');
    expect(fernetDecrypt(kdf('aaaaaa\nbbbbbb'), token).toString()).toBe(line);
    expect(() => fernetDecrypt(kdf('other'), token)).toThrow();
  });

  it('pickle of the §13.5 mapping is byte for byte the reference', () => {
    const bytes = pickleDumps([
      ['n', 3],
      ['payloads', ['p0', 'p1', 'p2']],
      ['masks', ['?1?1?1?1?1?1', '?1?1?1?1?1?d', '?1?1?1?1?1?d']],
      ['algorithms', ['1410', '10810', '1710']],
      ['num_letters', [6, 5, 5]],
      ['num_digits', [0, 1, 1]],
    ]);
    expect(bytes.length).toBe(210);
    expect(bytes.toString('hex')).toBe('80027d2858010000006e4b0358080000007061796c6f6164735d285802000000703058020000007031580200000070326558050000006d61736b735d28580c0000003f313f313f313f313f313f31580c0000003f313f313f313f313f313f64580c0000003f313f313f313f313f313f6465580a000000616c676f726974686d735d285804000000313431305805000000313038313058040000003137313065580b0000006e756d5f6c6574746572735d284b064b054b0565580a0000006e756d5f6469676974735d284b004b014b0165752e');
    expect(pickleLoads(bytes)).toEqual({ n: 3, payloads: ['p0', 'p1', 'p2'], masks: ['?1?1?1?1?1?1', '?1?1?1?1?1?d', '?1?1?1?1?1?d'], algorithms: ['1410', '10810', '1710'], num_letters: [6, 5, 5], num_digits: [0, 1, 1] });
  });
});

describe('hashcat generator', () => {
  const base = { executorClass: 'spin_up-4min.gpu-24gb' as const, minerHotkey: '5Miner' };

  it('V1 at production difficulty: image, script, pickle with 100 hashes per stage, 53 s', () => {
    const job = createHashcatJob({ ...base, weightsVersion: 1 });
    expect(job.baseDockerImage).toBe(HASHCAT_V1_IMAGE);
    expect(job.dockerRunCmd).toEqual(['/script.py']);
    expect(job.rawScript).toContain('pickle.load');
    expect(job.volumeInInitialRequest).toBe(false);
    expect(job.timeoutSeconds).toBe(53);
    expect(job.verifyTime(53)).toBe(true);
    expect(job.verifyTime(53.01)).toBe(false);
    const pickle = pickleLoads(unzip(Buffer.from((job.volume as { contents: string }).contents, 'base64')).get('payload.txt') as Buffer);
    expect(pickle.masks).toEqual(['?1?1?1?1?1?1', '?1?1?1?1?1?d', '?1?1?1?1?1?d']);
    expect(pickle.algorithms).toEqual(['1410', '10810', '1710']);
    expect((pickle.payloads as string[])[0].split('\n')).toHaveLength(100);
    expect((pickle.payloads as string[])[1].startsWith('gAAAAA')).toBe(true);
  });

  it('V1 and V2 at devnet difficulty are solved by the CPU executor; a wrong answer is rejected', () => {
    for (const weightsVersion of [1, 4]) {
      const job = createHashcatJob({ ...base, weightsVersion, difficulty: 'devnet' });
      const stdout = solveHashcatJob({ volumeContents: (job.volume as { contents: string }).contents, dockerRunCmd: job.dockerRunCmd });
      expect(job.verifyCorrectness({ stdout, rawMessage: '{}' })).toEqual({ correct: true, comment: '' });
      expect(job.verifyCorrectness({ stdout: 'nope', rawMessage: '{}' }).correct).toBe(false);
    }
    const v2 = createHashcatJob({ ...base, weightsVersion: 4, difficulty: 'devnet' });
    expect(v2.volumeInInitialRequest).toBe(true);
    expect(v2.dockerRunCmd[1].startsWith('5Miner-')).toBe(true);
    expect(v2.dockerRunCmd[1]).toHaveLength('5Miner-'.length + 48);
  });

  it('V0 uses the v0 image, one hash, and the algorithm of the UTC hour', () => {
    const job = createHashcatJob({ ...base, weightsVersion: 0, difficulty: 'devnet', nowMs: Date.UTC(2025, 0, 1, 1) });
    expect(job.baseDockerImage).toBe(HASHCAT_V0_IMAGE);
    expect(job.dockerRunCmd).toContain('10810');
    // devnet difficulty also shortens the job timeout; production keeps the reference's 45 s
    expect(job.timeoutSeconds).toBe(10);
    expect(createHashcatJob({ ...base, weightsVersion: 0, difficulty: 'production', nowMs: Date.UTC(2025, 0, 1, 1) }).timeoutSeconds).toBe(45);
    const stdout = solveHashcatJob({ volumeContents: (job.volume as { contents: string }).contents, dockerRunCmd: job.dockerRunCmd });
    expect(job.verifyCorrectness({ stdout, rawMessage: '{}' }).correct).toBe(true);
  });

  it('unknown weights version throws', () => {
    expect(() => createHashcatJob({ ...base, weightsVersion: 7 })).toThrow('weights version 7');
  });
});
