/**
 * Seeded generator of invalid frames for robustness tests (miner protocol here; the facilitator tests
 * reuse it with their own seed frames and required fields). Every frame it yields is invalid by
 * construction: malformed JSON, a truncated object, a binary frame, an oversized frame, or a valid seed
 * frame with at least one breaking mutation (plus harmless noise such as unknown fields).
 */

export type FuzzFrameKind = 'malformed' | 'truncated' | 'binary' | 'oversized' | 'mutated';

export interface FuzzFrame {
  index: number;
  kind: FuzzFrameKind;
  /** Text for text frames, bytes for binary ones. */
  data: string | Buffer;
  binary: boolean;
  /** What was done, for failure messages. */
  description: string;
}

export interface FuzzFrameOptions {
  seed: number;
  count: number;
  /** Valid frames (JSON objects with message_type) to truncate and mutate. Default: miner -> validator examples. */
  seedFrames?: readonly string[];
  /** Required top-level fields per message_type (breaking mutations remove them or give them a wrong type). */
  requiredFields?: Readonly<Record<string, readonly string[]>>;
  /** Size of oversized frames in bytes (set just above the receiver's limit). Default 64 KiB + 1. */
  oversizedBytes?: number;
  /** Share of oversized frames, default 0.005 (each one costs the receiver a reconnect). */
  oversizedShare?: number;
}

/** mulberry32: small, fast, good enough to make fuzz runs reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const U = '7b1a3e02-33a2-4a49-b4e2-4a7b903847e7';
const RECEIPT = {
  payload: { job_uuid: U, miner_hotkey: 'm', validator_hotkey: 'v', timestamp: '2025-01-01T12:00:00Z', receipt_type: 'JobStartedReceipt', executor_class: 'always_on.gpu-24gb', is_organic: true, ttl: 7 },
  validator_signature: '0x00',
  miner_signature: '0x00',
};

/** One valid example of every miner -> validator message. */
export const MINER_MESSAGE_SEED_FRAMES: readonly string[] = [
  { message_type: 'GenericError', details: 'x' },
  { message_type: 'UnauthorizedError', code: 'TOKEN_TOO_OLD', details: null },
  { message_type: 'V0ExecutorManifestRequest', manifest: { 'spin_up-4min.gpu-24gb': 1 } },
  { message_type: 'V0MainHotkeyMessage', main_hotkey: null },
  { message_type: 'V0DeclineJobRequest', job_uuid: U, message: '', reason: 'busy', receipts: [RECEIPT], context: null },
  { message_type: 'V0AcceptJobRequest', job_uuid: U },
  { message_type: 'V0ExecutorFailedRequest', job_uuid: U, executor_token: null },
  { message_type: 'V0StreamingJobNotReadyRequest', job_uuid: U, executor_token: null },
  { message_type: 'V0ExecutorReadyRequest', job_uuid: U, executor_token: null },
  { message_type: 'V0StreamingJobReadyRequest', job_uuid: U, public_key: 'pem', ip: '1.2.3.4', port: 443, miner_signature: null },
  { message_type: 'V0JobFailedRequest', job_uuid: U, message: 'm', reason: 'timeout', stage: 'execution', context: { a: 1 } },
  { message_type: 'V0VolumesReadyRequest', job_uuid: U },
  { message_type: 'V0ExecutionDoneRequest', job_uuid: U },
  { message_type: 'V0JobFinishedRequest', job_uuid: U, docker_process_stdout: 'o', docker_process_stderr: 'e', artifacts: {}, upload_results: {} },
  { message_type: 'V0MachineSpecsRequest', job_uuid: U, specs: { specs: {} } },
  { message_type: 'V0HordeFailedRequest', job_uuid: U, reported_by: 'miner', message: 'm', reason: 'executor_disconnected', context: null },
].map((m) => JSON.stringify(m));

export const MINER_MESSAGE_REQUIRED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  GenericError: [],
  UnauthorizedError: ['code'],
  V0ExecutorManifestRequest: ['manifest'],
  V0MainHotkeyMessage: [],
  V0DeclineJobRequest: ['job_uuid'],
  V0AcceptJobRequest: ['job_uuid'],
  V0ExecutorFailedRequest: ['job_uuid'],
  V0StreamingJobNotReadyRequest: ['job_uuid'],
  V0ExecutorReadyRequest: ['job_uuid'],
  V0StreamingJobReadyRequest: ['job_uuid', 'public_key', 'port'],
  V0JobFailedRequest: ['job_uuid'],
  V0VolumesReadyRequest: ['job_uuid'],
  V0ExecutionDoneRequest: ['job_uuid'],
  V0JobFinishedRequest: ['job_uuid', 'docker_process_stdout', 'docker_process_stderr'],
  V0MachineSpecsRequest: ['job_uuid', 'specs'],
  // enum fields are lenient (any value maps to 'unknown'), so only plain fields are listed
  V0HordeFailedRequest: ['job_uuid', 'message'],
};

const NOISE_VALUES: unknown[] = ['', 'é', '\u0000', '😀', '\ud800', 0, -1, 1e308, 2 ** 53 + 1, true, null, [], {}, JSON.parse('{"__proto__":{"polluted":true}}'), 'x'.repeat(300)];
const WRONG_TYPE_VALUES: unknown[] = [null, 12345, 1.5, true, false, [], ['a'], {}, { nested: { deeper: [] } }];
const MALFORMED_TEXTS = ['', ' ', '{', '}', '{"message_type":', '[', 'null', 'true', '42', '"V0AcceptJobRequest"', '{"message_type":null}', "{'message_type':'V0AcceptJobRequest'}", 'NaN', '{"a":1}{"b":2}', '\u0000', '\ufeff{}', 'ping', 'PONG'];

export function* fuzzFrames(options: FuzzFrameOptions): Generator<FuzzFrame> {
  const rnd = seededRandom(options.seed);
  const seeds = options.seedFrames ?? MINER_MESSAGE_SEED_FRAMES;
  const required = options.requiredFields ?? MINER_MESSAGE_REQUIRED_FIELDS;
  const oversizedBytes = options.oversizedBytes ?? 64 * 1024 + 1;
  const oversizedShare = options.oversizedShare ?? 0.005;
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];

  for (let index = 0; index < options.count; index++) {
    const r = rnd();
    if (r < oversizedShare) {
      const head = pick(seeds).slice(0, -1) + ',"pad":"';
      const tail = '"}';
      const data = head + 'A'.repeat(Math.max(0, oversizedBytes - head.length - tail.length)) + tail;
      yield { index, kind: 'oversized', binary: false, data, description: `oversized frame of ${data.length} bytes` };
      continue;
    }
    const category = r < 0.15 ? 'malformed' : r < 0.3 ? 'truncated' : r < 0.38 ? 'binary' : 'mutated';
    if (category === 'malformed') {
      const mode = int(3);
      let text: string;
      if (mode === 0) text = pick(MALFORMED_TEXTS);
      else if (mode === 1) text = randomText(rnd, 1 + int(200));
      else text = `{"message_type":"${pick(seeds).slice(17, 30)}${randomText(rnd, 5)}`;
      if (text === 'PING') text = 'PING!';
      yield { index, kind: 'malformed', binary: false, data: text, description: `malformed text (${text.length} chars)` };
      continue;
    }
    if (category === 'truncated') {
      const seed = pick(seeds);
      const cut = int(seed.length - 1);
      yield { index, kind: 'truncated', binary: false, data: seed.slice(0, cut), description: `seed cut at ${cut}/${seed.length}` };
      continue;
    }
    if (category === 'binary') {
      const bytes = int(2) === 0 ? Buffer.from(pick(seeds)) : Buffer.from(Array.from({ length: 1 + int(64) }, () => int(256)));
      yield { index, kind: 'binary', binary: true, data: bytes, description: `binary frame of ${bytes.length} bytes` };
      continue;
    }
    const obj = JSON.parse(pick(seeds)) as Record<string, unknown>;
    const type = String(obj.message_type);
    const req = required[type] ?? [];
    const steps: string[] = [];
    // harmless noise first: unknown fields, field order
    for (let i = int(3); i > 0; i--) {
      const key = pick(['extra', 'zz', '__proto__', 'constructor', 'message_type_', randomText(rnd, 6)]);
      if (key === '__proto__' || key === 'constructor') continue;
      obj[key] = pick(NOISE_VALUES);
      steps.push(`+${key}`);
    }
    // then one breaking mutation
    const breaking = req.length > 0 ? int(5) : int(2);
    let out: unknown = obj;
    switch (breaking) {
      case 0:
        obj.message_type = `Fz${randomText(rnd, 1 + int(12)).replace(/"/g, '')}`;
        steps.push('unknown message_type');
        break;
      case 1:
        obj.message_type = pick([null, 1, true, [], {}, type.toLowerCase() === type ? `${type}X` : type.toLowerCase()]);
        steps.push('bad message_type');
        break;
      case 2:
        delete obj[pick(req)];
        steps.push('required field removed');
        break;
      case 3: {
        const field = pick(req);
        obj[field] = pick(WRONG_TYPE_VALUES.filter((v) => typeof v !== typeof obj[field] || Array.isArray(v) !== Array.isArray(obj[field])));
        steps.push(`${field} wrong type`);
        break;
      }
      default:
        out = int(2) === 0 ? [obj] : JSON.stringify(obj);
        steps.push('not an object');
    }
    yield { index, kind: 'mutated', binary: false, data: JSON.stringify(out), description: `${type}: ${steps.join(', ')}` };
  }
}

function randomText(rnd: () => number, length: number): string {
  const alphabet = '{}[]:,"\\ abcxyz0123456789.-+eE\n\t\u00e9\u4e2d';
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
  return s;
}
