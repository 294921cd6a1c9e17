import { parseMinerMessage, parseMinerMessageSlowly } from './parse';
import { FAST_MINER_MESSAGE_SHAPES } from './parse-fast-path';
import { fuzzFrames, MINER_MESSAGE_REQUIRED_FIELDS, MINER_MESSAGE_SEED_FRAMES, seededRandom } from './testing/fuzz-frames';

/** Sorted-key JSON, with the class name: the two parsers must agree on content and type. */
function canonical(v: unknown): string {
  const sort = (x: unknown): unknown =>
    Array.isArray(x) ? x.map(sort) : x && typeof x === 'object' ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort((x as Record<string, unknown>)[k])])) : x;
  return `${(v as object)?.constructor?.name}:${JSON.stringify(sort(v))}`;
}

function expectSameOutcome(frame: string): void {
  const fast = parseMinerMessage(frame);
  const slow = parseMinerMessageSlowly(frame);
  expect({ frame, ok: fast.ok, out: fast.ok ? canonical(fast.message) : fast.reason }).toEqual({ frame, ok: slow.ok, out: slow.ok ? canonical(slow.message) : slow.reason });
}

const VALUES: readonly unknown[] = ['', 'x', '7b1a3e02-33a2-4a49-b4e2-4a7b903847e7', null, 0, 1.5, true, [], ['a'], {}, { a: 'b' }, { a: 1 }, { a: null }];

describe('parse fast path (hot miner messages)', () => {
  it('agrees with the full class-validator parse on every field given every kind of value', () => {
    let frames = 0;
    for (const [type, shape] of Object.entries(FAST_MINER_MESSAGE_SHAPES)) {
      const fields = [...shape.required, ...shape.optional, ...(shape.optionalStringRecords ?? [])];
      const valid: Record<string, unknown> = { message_type: type };
      for (const f of shape.required) valid[f] = 'v';
      for (const field of [...fields, 'unknown_field']) {
        for (const value of [...VALUES, undefined]) {
          expectSameOutcome(JSON.stringify({ ...valid, [field]: value }));
          frames++;
        }
      }
      expectSameOutcome(JSON.stringify({ ...valid, artifacts: { 'out.txt': 'YQ==' }, upload_results: { 'x': '{"headers": {}, "body": ""}' }, executor_token: 't', extra: { deep: [1] } }));
    }
    expect(frames).toBeGreaterThan(250);
  });

  it('agrees on 5,000 seeded random mutations of valid frames', () => {
    const random = seededRandom(20261203);
    const seeds = MINER_MESSAGE_SEED_FRAMES.filter((f) => (JSON.parse(f) as { message_type: string }).message_type in FAST_MINER_MESSAGE_SHAPES);
    let n = 0;
    for (const frame of fuzzFrames({ seed: 77, count: 5000, seedFrames: seeds, requiredFields: MINER_MESSAGE_REQUIRED_FIELDS, oversizedShare: 0 })) {
      if (frame.binary || typeof frame.data !== 'string') continue;
      expectSameOutcome(frame.data);
      n++;
    }
    for (let i = 0; i < 500; i++) {
      const seed = JSON.parse(seeds[Math.floor(random() * seeds.length)]) as Record<string, unknown>;
      const keys = Object.keys(seed).filter((k) => k !== 'message_type');
      seed[keys[Math.floor(random() * keys.length)] ?? 'job_uuid'] = VALUES[Math.floor(random() * VALUES.length)];
      expectSameOutcome(JSON.stringify(seed));
    }
    expect(n).toBeGreaterThan(4000);
  });
});
