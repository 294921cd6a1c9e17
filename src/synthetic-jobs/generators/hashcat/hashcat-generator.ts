import { randomBytes, randomUUID } from 'node:crypto';
import type { ExecutorClass } from '../../../protocol/executor-class';
import type { CorrectnessVerdict, FinishedResult, InlineVolumeJson, SyntheticJobGenerator } from '../synthetic-job-generator';
import { ALPHABET, DIGITS, fernetEncrypt, HASHCAT_MODE, hashLine, kdf, randomString } from './hashcat-crypto';
import { CHAINED_PARAMS, HashcatDifficulty, HashJobParams, HASHCAT_ALGORITHMS, mask, V0_PARAMS, withDifficulty } from './hashcat-params';
import { pickleDumps } from './pickle';
import { writeZip } from '../../../common/zip';
import { V1_DECRYPT_SCRIPT, V2_DECRYPT_SCRIPT } from './decrypt-scripts';

export const HASHCAT_V0_IMAGE = 'backenddevelopersltd/compute-horde-job:v0-latest';
export const HASHCAT_V1_IMAGE = 'backenddevelopersltd/compute-horde-job:v1-latest';

export interface HashcatJobOptions {
  executorClass: ExecutorClass;
  minerHotkey: string;
  /** DYNAMIC_WEIGHTS_VERSION or DEBUG_OVERRIDE_WEIGHTS_VERSION: 0 V0; 1-3 V1; 4 V2. */
  weightsVersion: number;
  difficulty?: HashcatDifficulty;
  /** For V0's algorithm choice (UTC hour mod 3). */
  nowMs?: number;
}

/** The GPU hashcat job (synthetic-jobs.md §5.2). Throws for an unknown weights version. */
export function createHashcatJob(opts: HashcatJobOptions): SyntheticJobGenerator {
  const difficulty = opts.difficulty ?? 'production';
  if (opts.weightsVersion === 0) return v0Job(opts, difficulty);
  if (opts.weightsVersion >= 1 && opts.weightsVersion <= 3) return chainedJob(opts, difficulty, false);
  if (opts.weightsVersion === 4) return chainedJob(opts, difficulty, true);
  throw new Error(`No hashcat job for weights version ${opts.weightsVersion}`);
}

function password(p: HashJobParams): string {
  return randomString(p.numLetters, ALPHABET) + randomString(p.numDigits, DIGITS);
}

function distinctSortedPasswords(p: HashJobParams): string[] {
  const set = new Set<string>();
  const capacity = ALPHABET.length ** p.numLetters * DIGITS.length ** p.numDigits;
  const wanted = Math.min(p.numHashes, capacity);
  while (set.size < wanted) set.add(password(p));
  return [...set].sort();
}

function inlineZipVolume(payload: Buffer): InlineVolumeJson {
  return { volume_type: 'inline', contents: writeZip([['payload.txt', payload]]).toString('base64'), relative_path: null };
}

function stdoutVerdict(expected: string, result: FinishedResult): CorrectnessVerdict {
  if (result.stdout.trim() === expected) return { correct: true, comment: '' };
  return { correct: false, comment: `result does not match expected answer: ${expected}, msg: ${result.rawMessage}` };
}

function v0Job(opts: HashcatJobOptions, difficulty: HashcatDifficulty): SyntheticJobGenerator {
  const hour = new Date(opts.nowMs ?? Date.now()).getUTCHours();
  const params = withDifficulty(V0_PARAMS[HASHCAT_ALGORITHMS[hour % 3]], difficulty);
  const pass = password(params);
  const payload = hashLine(params.algorithm, pass, randomBytes(8));
  const timeout = params.timeoutSeconds;
  return {
    jobUuid: randomUUID(),
    executorClass: opts.executorClass,
    timeoutSeconds: timeout,
    baseDockerImage: HASHCAT_V0_IMAGE,
    dockerImage: HASHCAT_V0_IMAGE,
    dockerRunOptionsPreset: 'nvidia_all',
    dockerRunCmd: [
      '--runtime', '600', '--restore-disable', '--attack-mode', '3', '--workload-profile', '3', '--optimized-kernel-enable',
      '--hash-type', HASHCAT_MODE[params.algorithm], '--hex-salt', '-1', '?l?d?u', '--outfile-format', '2', '--quiet',
      '/volume/payload.txt', '?1'.repeat(pass.length),
    ],
    rawScript: null,
    volume: inlineZipVolume(Buffer.from(payload, 'utf8')),
    volumeInInitialRequest: false,
    outputUpload: null,
    description: `Hashcat V0SyntheticJob ${params.algorithm}, password_length = ${pass.length}, timeout=${timeout}s`,
    verifyTime: (s) => s <= timeout,
    verifyCorrectness: (r) => stdoutVerdict(pass, r),
  };
}

function chainedJob(opts: HashcatJobOptions, difficulty: HashcatDifficulty, v2: boolean): SyntheticJobGenerator {
  const params = CHAINED_PARAMS.map((p) => withDifficulty(p, difficulty));
  const stagePasswords = params.map(distinctSortedPasswords);
  const firstPassword = v2 ? `${opts.minerHotkey}-${randomString(48, ALPHABET)}` : null;
  const payloads = params.map((p, i) => {
    const salt = randomBytes(8);
    const clear = stagePasswords[i].map((pw) => hashLine(p.algorithm, pw, salt)).join('\n');
    if (i > 0) return fernetEncrypt(kdf(stagePasswords[i - 1].join('\n')), clear);
    return firstPassword === null ? clear : fernetEncrypt(kdf(firstPassword), clear);
  });
  const pickled = pickleDumps([
    ['n', params.length],
    ['payloads', payloads],
    ['masks', params.map(mask)],
    ['algorithms', params.map((p) => HASHCAT_MODE[p.algorithm])],
    ['num_letters', params.map((p) => p.numLetters)],
    ['num_digits', params.map((p) => p.numDigits)],
  ]);
  const expected = kdf(stagePasswords.map((s) => s.join('')).join(''));
  const timeout = Math.max(...params.map((p) => p.timeoutSeconds));
  const kind = v2 ? 'V2' : 'V1';
  return {
    jobUuid: randomUUID(),
    executorClass: opts.executorClass,
    timeoutSeconds: timeout,
    baseDockerImage: HASHCAT_V1_IMAGE,
    dockerImage: HASHCAT_V1_IMAGE,
    dockerRunOptionsPreset: 'nvidia_all',
    dockerRunCmd: firstPassword === null ? ['/script.py'] : ['/script.py', firstPassword],
    rawScript: v2 ? V2_DECRYPT_SCRIPT : V1_DECRYPT_SCRIPT,
    volume: inlineZipVolume(pickled),
    volumeInInitialRequest: v2,
    outputUpload: null,
    description: `Hashcat ${kind}SyntheticJob ${params.map((p) => `${p.algorithm}(letters=${p.numLetters}, digits=${p.numDigits}, hashes=${p.numHashes})`).join(', ')}, timeout=${timeout}s`,
    verifyTime: (s) => s <= timeout,
    verifyCorrectness: (r) => stdoutVerdict(expected, r),
  };
}
