import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Keyring } from '@polkadot/keyring';
import { canonicalDatetime, canonicalDatetimeFromMs } from './datetime';
import { canonicalJson, pythonJsonString } from './canonical-json';
import {
  jobFinishedPayload, jobStartedPayload, parseReceiptLine, Receipt, receiptBlob, receiptPage, serializeReceipt, signReceiptPayload, verifyReceipt,
  verifyReceiptMinerSignature, verifyReceiptValidatorSignature,
} from './receipts';

beforeAll(() => cryptoWaitReady());

const MINER = '5Ctd7bcs7Fgsh5KzZuJZ72fMBvPp5Xwxj4RqWZ1m3UTM7oor';
const VALIDATOR = '5DUyTyPRu5mZirSTeTf3mk96QuQS7b4epat4XxPzT4DNbQXg';
const JOB = '3342460e-4a99-438b-8757-795f4cb348dd';

const TV5_LINES = [
  '{"payload":{"job_uuid":"3342460e-4a99-438b-8757-795f4cb348dd","miner_hotkey":"5Ctd7bcs7Fgsh5KzZuJZ72fMBvPp5Xwxj4RqWZ1m3UTM7oor","validator_hotkey":"5DUyTyPRu5mZirSTeTf3mk96QuQS7b4epat4XxPzT4DNbQXg","timestamp":"2020-01-01T00:00:00Z","receipt_type":"JobStartedReceipt","executor_class":"spin_up-4min.gpu-24gb","is_organic":false,"ttl":30},"validator_signature":"0xf8e6314e2b72a53ce154deb6630299d079fdd830cf6a4a1864a32072bec29d6949e99ddd70c12530f1e29f17736984535c49ad80c271db8fdb5b50ecf9652789","miner_signature":"0x3caf9176c64d82cc27ff5bbfb0250dcb39b3d6cf1cf4ec877c30b2b3a8e34528bfc4491cc0a0f004caa424c89dc6bf02ac8d6041cf23f7e00c550cc50d966389"}',
  '{"payload":{"job_uuid":"3342460e-4a99-438b-8757-795f4cb348dd","miner_hotkey":"5Ctd7bcs7Fgsh5KzZuJZ72fMBvPp5Xwxj4RqWZ1m3UTM7oor","validator_hotkey":"5DUyTyPRu5mZirSTeTf3mk96QuQS7b4epat4XxPzT4DNbQXg","timestamp":"2020-01-01T00:05:00Z","receipt_type":"JobAcceptedReceipt","time_accepted":"2020-01-01T00:04:00Z","ttl":300},"validator_signature":"0x9845f35eaa4922be8a59765f65d7bf482899cedb4a7703d48287132964143a2c842075e633fc4ebb089240a4914b2026156dd22d6fc3ce6c9ce6b0e32c417b8b","miner_signature":"0xc43a005570f44eb2ae28f1d7e01b7a6d1cf9a40195cece6700b52b8f59ce9e685cead45077101bfc4990f14d90fbb1f055374a85bcf0f75ad73349f299dacb81"}',
  '{"payload":{"job_uuid":"3342460e-4a99-438b-8757-795f4cb348dd","miner_hotkey":"5Ctd7bcs7Fgsh5KzZuJZ72fMBvPp5Xwxj4RqWZ1m3UTM7oor","validator_hotkey":"5DUyTyPRu5mZirSTeTf3mk96QuQS7b4epat4XxPzT4DNbQXg","timestamp":"2020-01-01T00:10:00Z","receipt_type":"JobFinishedReceipt","time_started":"2020-01-01T00:09:00Z","time_took_us":60000000,"score_str":"2.00","block_numbers":[]},"validator_signature":"0x502feaacb046c0958553635a86f5a234dba5145776f6893a96b849f530a02d457509e0462234aafb362e497bf618d4730b093e04eb51ec0932228dfdf6e7008b","miner_signature":"0x40453b00f84def10701e25ba7ddb88be98b031fe5eabcc47afb7864bf62851387efc8c79946e0fa3fbe2242718d6434f85a7bea2b4aa6db17382297cd1abfd89"}',
];

const TV5_BLOBS = [
  '{"executor_class": "spin_up-4min.gpu-24gb", "is_organic": false, "job_uuid": "3342460e-4a99-438b-8757-795f4cb348dd", "miner_hotkey": "5Ctd7bcs7Fgsh5KzZuJZ72fMBvPp5Xwxj4RqWZ1m3UTM7oor", "receipt_type": "JobStartedReceipt", "timestamp": "2020-01-01T00:00:00Z", "ttl": 30, "validator_hotkey": "5DUyTyPRu5mZirSTeTf3mk96QuQS7b4epat4XxPzT4DNbQXg"}',
  '{"job_uuid": "3342460e-4a99-438b-8757-795f4cb348dd", "miner_hotkey": "5Ctd7bcs7Fgsh5KzZuJZ72fMBvPp5Xwxj4RqWZ1m3UTM7oor", "receipt_type": "JobAcceptedReceipt", "time_accepted": "2020-01-01T00:04:00Z", "timestamp": "2020-01-01T00:05:00Z", "ttl": 300, "validator_hotkey": "5DUyTyPRu5mZirSTeTf3mk96QuQS7b4epat4XxPzT4DNbQXg"}',
  '{"block_numbers": [], "job_uuid": "3342460e-4a99-438b-8757-795f4cb348dd", "miner_hotkey": "5Ctd7bcs7Fgsh5KzZuJZ72fMBvPp5Xwxj4RqWZ1m3UTM7oor", "receipt_type": "JobFinishedReceipt", "score_str": "2.00", "time_started": "2020-01-01T00:09:00Z", "time_took_us": 60000000, "timestamp": "2020-01-01T00:10:00Z", "validator_hotkey": "5DUyTyPRu5mZirSTeTf3mk96QuQS7b4epat4XxPzT4DNbQXg"}',
];

describe('TV-5 receipt blobs and full receipt lines', () => {
  it.each([0, 1, 2])('TV-5 line %i: blob byte for byte, both signatures verify, line re-serialises identically', (i) => {
    const parsed = parseReceiptLine(TV5_LINES[i]);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(receiptBlob(parsed.value.payload)).toBe(TV5_BLOBS[i]);
    expect(verifyReceipt(parsed.value)).toEqual({ validator: true, miner: true });
    expect(serializeReceipt(parsed.value)).toBe(TV5_LINES[i]);
  });
  it.each([0, 1, 2])('TV-5 line %i negative: swapped signatures fail both checks', (i) => {
    const parsed = parseReceiptLine(TV5_LINES[i]);
    if (!parsed.ok) throw new Error(parsed.reason);
    const r = parsed.value;
    expect(verifyReceiptValidatorSignature(r.payload, r.miner_signature)).toBe(false);
    expect(verifyReceiptMinerSignature(r.payload, r.validator_signature)).toBe(false);
  });
  it('TV-5 negative: ttl 30 -> 31 fails', () => {
    const parsed = parseReceiptLine(TV5_LINES[0].replace('"ttl":30', '"ttl":31'));
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(verifyReceipt(parsed.value)).toEqual({ validator: false, miner: false });
  });
  it('TV-5 JobStarted blob from builder fields', () => {
    const p = jobStartedPayload({ job_uuid: JOB, miner_hotkey: MINER, validator_hotkey: VALIDATOR, timestamp: '2020-01-01T00:00:00Z', executor_class: 'spin_up-4min.gpu-24gb', is_organic: false, ttl: 30 });
    expect(receiptBlob(p)).toBe(TV5_BLOBS[0]);
  });
  it('TV-5 keys conftest sign receipts that verify', () => {
    const k = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const validator = k.addFromMnemonic('slot excuse valid grief praise rifle spoil auction weasel glove pen share');
    expect(validator.address).toBe(VALIDATOR);
    const signed = signReceiptPayload(validator, jobStartedPayload({ job_uuid: JOB, miner_hotkey: MINER, validator_hotkey: VALIDATOR, timestamp: '2020-01-01T00:00:00Z', executor_class: 'spin_up-4min.gpu-24gb', is_organic: false, ttl: 30 }));
    expect(signed.blob).toBe(TV5_BLOBS[0]);
    expect(verifyReceiptValidatorSignature(signed.payload, signed.signature)).toBe(true);
  });
});

describe('TV-6 finished receipt with microseconds and blocks', () => {
  const blob =
    '{"block_numbers": [5136476, 5136477], "job_uuid": "3342460e-4a99-438b-8757-795f4cb348dd", "miner_hotkey": "5Ctd7bcs7Fgsh5KzZuJZ72fMBvPp5Xwxj4RqWZ1m3UTM7oor", "receipt_type": "JobFinishedReceipt", "score_str": "12.000000", "time_started": "2025-03-04T05:06:00.120000Z", "time_took_us": 7771234, "timestamp": "2025-03-04T05:06:07.891234Z", "validator_hotkey": "5DUyTyPRu5mZirSTeTf3mk96QuQS7b4epat4XxPzT4DNbQXg"}';
  const line = JSON.stringify({
    payload: { job_uuid: JOB, miner_hotkey: MINER, validator_hotkey: VALIDATOR, timestamp: '2025-03-04T05:06:07.891234+00:00', receipt_type: 'JobFinishedReceipt', time_started: '2025-03-04T05:06:00.12Z', time_took_us: 7771234, score_str: '12.000000', block_numbers: [5136476, 5136477] },
    validator_signature: '0x1246f41996739aecf6904f16e41bd5fba55a7944fb9513f270ed269d95bd5b376d5303ca614e0d1e5f48ad4438cc820429a4279986184c18e21b0b3e13b3d28f',
    miner_signature: '0x6ee42ec75918545e42d0f160f25ee269310b5bcd85341e4a32e8a9bfc07983456bf9dd298f34000e0e09438c1b43d9f1e286ca796b57bd85a98d246492e1ae8a',
  });
  it('TV-6 blob keeps microseconds; both signatures verify', () => {
    const parsed = parseReceiptLine(line);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(receiptBlob(parsed.value.payload)).toBe(blob);
    expect(verifyReceipt(parsed.value)).toEqual({ validator: true, miner: true });
  });
  it('TV-6 a millisecond timestamp (…07.891000Z) would not verify', () => {
    const p = jobFinishedPayload({ job_uuid: JOB, miner_hotkey: MINER, validator_hotkey: VALIDATOR, timestamp: canonicalDatetimeFromMs(Date.parse('2025-03-04T05:06:07.891Z')), time_started: '2025-03-04T05:06:00.120000Z', time_took_us: 7771234, score_str: '12.000000', block_numbers: [5136476, 5136477] });
    expect(p.timestamp).toBe('2025-03-04T05:06:07.891000Z');
    expect(verifyReceiptValidatorSignature(p, JSON.parse(line).validator_signature)).toBe(false);
  });
});

describe('what the miner re-serialises is what we sign', () => {
  it('a builder given a JS ISO string (…05.123Z) sends and signs the canonical …05.123000Z', () => {
    const p = jobStartedPayload({ job_uuid: JOB, miner_hotkey: MINER, validator_hotkey: VALIDATOR, timestamp: new Date(Date.parse('2025-01-02T03:04:05.123Z')).toISOString(), executor_class: 'always_on.test', is_organic: true, ttl: 7 });
    expect(receiptBlob(p)).toContain('"timestamp": "2025-01-02T03:04:05.123000Z"');
    const reparsed = parseReceiptLine(serializeReceipt(Object.assign(new Receipt(), { payload: p, validator_signature: '0x', miner_signature: null })));
    if (!reparsed.ok) throw new Error(reparsed.reason);
    expect(receiptBlob(reparsed.value.payload)).toBe(receiptBlob(p));
  });
});

describe('TV-8 datetime canonicalisation (pydantic JSON mode)', () => {
  it.each([
    ['2025-01-02T03:04:05Z', '2025-01-02T03:04:05Z'],
    ['2025-01-02T03:04:05.000Z', '2025-01-02T03:04:05Z'],
    ['2025-01-02T03:04:05.123Z', '2025-01-02T03:04:05.123000Z'],
    ['2025-01-02T03:04:05.120000Z', '2025-01-02T03:04:05.120000Z'],
    ['2025-01-02T03:04:05.123456+00:00', '2025-01-02T03:04:05.123456Z'],
    ['2025-01-02T05:04:05.5+02:00', '2025-01-02T05:04:05.500000+02:00'],
    ['2025-01-02T03:04:05', '2025-01-02T03:04:05'],
    [1735787045, '2025-01-02T03:04:05Z'],
  ])('TV-8 %p -> %p', (input, expected) => expect(canonicalDatetime(input)).toBe(expected));
  it('TV-8 rejects what pydantic rejects', () => {
    for (const bad of ['2025-13-01T00:00:00Z', '2025-02-30T00:00:00Z', 'yesterday', '', null, true, {}]) expect(canonicalDatetime(bad)).toBeNull();
  });
  it('canonicalDatetimeFromMs renders milliseconds as 6 digits, zero as none', () => {
    expect(canonicalDatetimeFromMs(Date.parse('2025-01-02T03:04:05.123Z'))).toBe('2025-01-02T03:04:05.123000Z');
    expect(canonicalDatetimeFromMs(Date.parse('2025-01-02T03:04:05Z'))).toBe('2025-01-02T03:04:05Z');
  });
});

describe('TV-11 receipt page numbers (floor(unix/300))', () => {
  it.each([
    [1577836800, 5259456], [1735689600, 5785632], [1762259696, 5874198],
  ])('TV-11 %i -> page %i', (t, page) => {
    expect(receiptPage(t)).toBe(page);
    expect(receiptPage(t + 300)).toBe(page + 1);
  });
});

describe('canonical JSON (§3.4)', () => {
  it('Python ensure_ascii escaping with lowercase hex, astral as surrogate pairs, "/" unescaped', () => {
    expect(pythonJsonString('a"b\\c\n\r\t\b\f/\u007f\u00e9\u2028😀\u0001')).toBe('"a\\"b\\\\c\\n\\r\\t\\b\\f/\\u007f\\u00e9\\u2028\\ud83d\\ude00\\u0001"');
  });
  it('sorted keys, ", " and ": " separators, nested', () => {
    expect(canonicalJson({ b: [1, { z: null, a: true }], a: '', c: {} , d: []})).toBe('{"a": "", "b": [1, {"a": true, "z": null}], "c": {}, "d": []}');
  });
  it('keys in code point order, as Python sorts them (astral after U+FFFF, unlike UTF-16 order)', () => {
    expect(canonicalJson({ '\uffff': 1, '😀': 2, b: 3, B: 4, 'é': 5 })).toBe('{"B": 4, "b": 3, "\\u00e9": 5, "\\uffff": 1, "\\ud83d\\ude00": 2}');
  });
  it('integers without exponent; bigint exact', () => {
    expect(canonicalJson({ n: 1e21, big: 1718845323456788992n })).toBe('{"big": 1718845323456788992, "n": 1000000000000000000000}');
  });
});
