import { createHash, hash } from 'node:crypto';
import { fernetDecrypt, hashAlgorithmFromMode, HashAlgorithm, kdf } from '../../synthetic-jobs/generators/hashcat/hashcat-crypto';
import { pickleLoads } from '../../synthetic-jobs/generators/hashcat/pickle';
import { readZip } from '../../common/zip';

/**
 * What the hashcat job image does, on the CPU: read /volume/payload.txt from the inline zip volume,
 * run the decrypt script's logic (V1/V2) or plain hashcat (V0) by brute force over the mask. It sees
 * only what a real executor sees (the job's volume and command), never validator state. Practical
 * only at the devnet difficulty (a few characters per password).
 */
export interface HashcatJobInput {
  /** base64 zip of an inline volume. */
  volumeContents: string;
  dockerRunCmd: readonly string[];
}

const CHARSET_1 = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const CHARSETS: Record<string, string> = { '?l': 'abcdefghijklmnopqrstuvwxyz', '?u': 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '?d': '0123456789', '?1': CHARSET_1 };
const NODE_HASH: Record<HashAlgorithm, string> = { SHA256: 'sha256', SHA384: 'sha384', SHA512: 'sha512' };
/** Above this many candidates a job is not meant for the CPU solver. */
const MAX_CANDIDATES = 5_000_000;

/** The job's stdout (what the container prints). Throws like a failing container would. */
export function solveHashcatJob(input: HashcatJobInput): string {
  const files = readZip(Buffer.from(input.volumeContents, 'base64'));
  const payload = files.get('payload.txt');
  if (!payload) throw new Error('payload.txt missing from the volume');
  return solveHashcatPayload(payload, input.dockerRunCmd);
}

/** The same, given /volume/payload.txt. */
export function solveHashcatPayload(payload: Buffer, dockerRunCmd: readonly string[]): string {
  const input = { dockerRunCmd };
  if (input.dockerRunCmd[0] === '/script.py') {
    const job = pickleLoads(payload);
    const firstKey = input.dockerRunCmd[1];
    const n = job.n as number;
    const payloads = job.payloads as string[];
    const masks = job.masks as string[];
    const algorithms = job.algorithms as string[];
    const answers: string[][] = [];
    for (let i = 0; i < n; i++) {
      let text = payloads[i];
      if (i > 0) text = fernetDecrypt(kdf(answers[i - 1].join('\n')), text).toString('utf8');
      else if (firstKey !== undefined) text = fernetDecrypt(kdf(firstKey), text).toString('utf8');
      answers.push(crack(text, masks[i], algorithms[i]).sort());
    }
    return kdf(answers.map((a) => a.join('')).join('')) + '\n';
  }
  // V0: plain hashcat arguments; the mask is the last argument, the mode follows --hash-type.
  const mode = input.dockerRunCmd[input.dockerRunCmd.indexOf('--hash-type') + 1];
  const maskArg = input.dockerRunCmd[input.dockerRunCmd.length - 1];
  return crack(payload.toString('utf8'), maskArg, mode).join('\n') + '\n';
}

const candidateCache = new Map<string, Buffer[]>();
const CACHED_MASK_MAX_CANDIDATES = 10_000;

/** Every candidate of a mask, in hashcat's order (last position fastest); small masks are cached. */
function candidatesOf(maskText: string, positions: readonly string[]): Iterable<Buffer> {
  const cached = candidateCache.get(maskText);
  if (cached) return cached;
  const total = positions.reduce((acc, cs) => acc * cs.length, 1);
  if (total > CACHED_MASK_MAX_CANDIDATES) return enumerate(positions, total);
  const all = [...enumerate(positions, total)];
  candidateCache.set(maskText, all);
  return all;
}

function* enumerate(positions: readonly string[], total: number): Generator<Buffer> {
  const index = new Array<number>(positions.length).fill(0);
  for (let c = 0; c < total; c++) {
    yield Buffer.from(positions.map((cs, p) => cs[index[p]]).join(''), 'latin1');
    for (let p = positions.length - 1; p >= 0; p--) {
      index[p]++;
      if (index[p] < positions[p].length) break;
      index[p] = 0;
    }
  }
}

function oneShotHash(algorithm: string, data: Buffer): string {
  return typeof hash === 'function' ? hash(algorithm, data, 'hex') : createHash(algorithm).update(data).digest('hex');
}

/** All passwords matching `mask` whose `H(pass ‖ salt)` is among the hash lines. */
export function crack(hashLines: string, maskText: string, mode: string): string[] {
  const algorithm = hashAlgorithmFromMode(mode);
  if (!algorithm) throw new Error(`unsupported hash type ${mode}`);
  const targets = new Map<string, Set<string>>();
  for (const line of hashLines.split('\n')) {
    if (!line) continue;
    const [digest, salt] = line.split(':');
    if (!targets.has(salt)) targets.set(salt, new Set());
    (targets.get(salt) as Set<string>).add(digest);
  }
  const positions = (maskText.match(/\?[a-z0-9]/g) ?? []).map((m) => {
    const cs = CHARSETS[m];
    if (!cs) throw new Error(`unsupported mask element ${m}`);
    return cs;
  });
  const total = positions.reduce((acc, cs) => acc * cs.length, 1);
  if (total > MAX_CANDIDATES) throw new Error(`mask ${maskText} has ${total} candidates: too many for the CPU solver`);
  const found: string[] = [];
  const salts = [...targets.entries()].map(([salt, digests]) => ({ salt: Buffer.from(salt, 'hex'), digests }));
  let left = salts.reduce((acc, t) => acc + t.digests.size, 0);
  const nodeAlgorithm = NODE_HASH[algorithm];
  for (const candidate of candidatesOf(maskText, positions)) {
    if (left === 0) break;
    for (const t of salts) {
      // one-shot hash over candidate ‖ salt: several times cheaper than a Hash object per candidate
      const digest = oneShotHash(nodeAlgorithm, Buffer.concat([candidate, t.salt]));
      if (t.digests.delete(digest)) {
        found.push(candidate.toString('latin1'));
        left--;
      }
    }
  }
  return found;
}
