import { createHash } from 'node:crypto';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { bls12_381 as bls } from '@noble/curves/bls12-381';
import pulses from './fixtures/quicknet-pulses.json';
import { QUICKNET, roundAt, roundIdentity } from './drand';
import { planReveal } from './reveal-round';
import { MAX_TIMELOCKED_COMMIT_BYTES, parseTleCiphertext, tleCiphertextSize } from './tle-ciphertext';
import { timelockDecrypt, timelockEncrypt } from './tle';
import { decodeTlockPayload, encodeTlockPayload } from './tlock-payload';

const HOTKEY = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const signature = (round: number) => hexToU8a(`0x${pulses.pulses.find((p) => p.round === round)!.signature}`);

describe('timelocked payload (SCALE WeightsTlockPayload)', () => {
  it('v3: uids [1,2,3], values [100,200,300], version 0 (chain README vector)', () => {
    expect(u8aToHex(encodeTlockPayload(3, { uids: [1, 2, 3], values: [100, 200, 300], versionKey: 0n }))).toBe('0x0c0100020003000c6400c8002c010000000000000000');
  });
  it('v4: the hotkey as Vec<u8> first, then the v3 fields', () => {
    const bytes = encodeTlockPayload(4, { hotkey: HOTKEY, uids: [1, 2, 3], values: [100, 200, 300], versionKey: 2n });
    expect(u8aToHex(bytes)).toBe(`0x80${u8aToHex(HOTKEY).slice(2)}0c0100020003000c6400c8002c010200000000000000`);
    expect(decodeTlockPayload(4, bytes)).toEqual({ hotkey: HOTKEY, uids: [1, 2, 3], values: [100, 200, 300], versionKey: 2n });
  });
  it('round-trips 256 uids (two-byte compact lengths)', () => {
    const uids = Array.from({ length: 256 }, (_, i) => i);
    const values = uids.map((u) => (u * 257) % 65536);
    const bytes = encodeTlockPayload(3, { uids, values, versionKey: 9003000n });
    expect(u8aToHex(bytes.subarray(0, 2))).toBe('0x0104');
    expect(decodeTlockPayload(3, bytes)).toEqual({ uids, values, versionKey: 9003000n });
  });
  it('refuses what the chain could not decode', () => {
    expect(() => encodeTlockPayload(3, { uids: [1, 2], values: [1], versionKey: 0n })).toThrow(/differ in length/);
    expect(() => encodeTlockPayload(4, { uids: [1], values: [1], versionKey: 0n })).toThrow(/32-byte hotkey/);
    expect(() => encodeTlockPayload(3, { uids: [70000], values: [1], versionKey: 0n })).toThrow(/not a u16/);
    expect(() => decodeTlockPayload(3, hexToU8a('0x0c0100020003000c6400c8002c0100000000000000000000'))).toThrow(/trailing/);
  });
});

describe('drand quicknet', () => {
  it('identity is sha256 of the round as u64 big-endian', () => {
    expect(u8aToHex(roundIdentity(1000))).toBe(u8aToHex(createHash('sha256').update(hexToU8a('0x00000000000003e8')).digest()));
  });
  it('the fixture pulses are real quicknet signatures (BLS short signatures, RFC 9380 hash to G1)', () => {
    for (const p of pulses.pulses) {
      const s = bls.shortSignatures;
      expect(s.verify(s.Signature.fromHex(p.signature), s.hash(roundIdentity(p.round), 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_'), bls.G2.Point.fromBytes(QUICKNET.publicKey))).toBe(true);
      expect(createHash('sha256').update(hexToU8a(`0x${p.signature}`)).digest('hex')).toBe(p.randomness);
    }
  });
  it('round at a time', () => {
    expect(roundAt(QUICKNET.genesisTime + 3000, QUICKNET)).toBe(1000);
    expect(roundAt(QUICKNET.genesisTime + 3002.9, QUICKNET)).toBe(1000);
    expect(roundAt(0, QUICKNET)).toBe(0);
  });
});

describe('timelock encryption (tle wasm)', () => {
  it.each([1000, 1001, 1002])('a v4 payload encrypted to quicknet round %i decrypts with the real pulse of that round only', async (round) => {
    const payload = encodeTlockPayload(4, { hotkey: HOTKEY, uids: [0, 5, 7], values: [65535, 1, 32768], versionKey: 2n });
    const ct = await timelockEncrypt(round, payload, QUICKNET.publicKey);
    expect(await timelockDecrypt(ct, signature(round))).toEqual(payload);
    const other = round === 1000 ? 1001 : 1000;
    await expect(timelockDecrypt(ct, signature(other))).rejects.toThrow(/timelock decryption failed/);
  });
  it('produces the layout the chain decodes: U | v | w | body (ciphertext, nonce) | AES_GCM_', async () => {
    const payload = encodeTlockPayload(3, { uids: [1, 2, 3], values: [100, 200, 300], versionKey: 0n });
    const ct = await timelockEncrypt(1000, payload, QUICKNET.publicKey);
    const parts = parseTleCiphertext(ct);
    expect(parts.u).toHaveLength(96);
    expect(parts.v).toHaveLength(32);
    expect(parts.w).toHaveLength(32);
    expect(parts.aesCiphertext).toHaveLength(payload.length + 16);
    expect(parts.nonce).toHaveLength(12);
    expect(parts.cipherSuite).toBe('AES_GCM_');
    expect(ct).toHaveLength(tleCiphertextSize(payload.length));
    expect(u8aToHex(ct.subarray(96, 104))).toBe('0x2000000000000000');
    // a fresh ephemeral key each time
    expect(u8aToHex(await timelockEncrypt(1000, payload, QUICKNET.publicKey))).not.toBe(u8aToHex(ct));
  });
  it('256 uids with the v4 hotkey fit the chain limit', async () => {
    const uids = Array.from({ length: 256 }, (_, i) => i);
    const payload = encodeTlockPayload(4, { hotkey: HOTKEY, uids, values: uids.map(() => 65535), versionKey: 2n });
    const ct = await timelockEncrypt(1001, payload, QUICKNET.publicKey);
    expect(ct.length).toBe(1313);
    expect(ct.length).toBeLessThanOrEqual(MAX_TIMELOCKED_COMMIT_BYTES);
    expect(decodeTlockPayload(4, await timelockDecrypt(ct, signature(1001))).uids).toEqual(uids);
  });
  it('refuses a ciphertext that is cut or padded', async () => {
    const ct = await timelockEncrypt(1000, Uint8Array.of(1, 2, 3), QUICKNET.publicKey);
    expect(() => parseTleCiphertext(ct.subarray(0, ct.length - 1))).toThrow(/cipher suite/);
    expect(() => parseTleCiphertext(Uint8Array.from([...ct, 0]))).toThrow(/trailing/);
  });
});

describe('reveal round', () => {
  const quicknet = { genesisTime: QUICKNET.genesisTime, period: QUICKNET.period };
  const mainnet = { netuid: 12, tempo: 360, revealPeriodEpochs: 1, blockTimeSeconds: 12, beacon: quicknet };
  it.each([
    // currentBlock, revealPeriodEpochs, now -> round, commit epoch, first reveal block (CSW §5.6, computed by hand)
    [1000, 1, 1750000000.0, 19065836, 2, 1070],
    [1069, 1, 1750000000.7, 19065560, 2, 1070],
    [1070, 2, 1750000000.7, 19068444, 3, 1792],
    [5000000, 1, 1764633600.25, 23944215, 13850, 5000198],
  ])('crv4 at block %i (period %i, now %f) -> round %i', (currentBlock, revealPeriodEpochs, nowSeconds, round, epoch, first) => {
    expect(planReveal('crv4', { ...mainnet, currentBlock, revealPeriodEpochs, nowSeconds })).toEqual({
      revealRound: round,
      commitEpoch: epoch,
      firstRevealBlock: first,
      lastRevealBlock: first + 360,
      tooClose: false,
    });
  });
  it('crv4: round 1 at the earliest, like the reference', () => {
    expect(planReveal('crv4', { ...mainnet, currentBlock: 0, nowSeconds: 0 }).revealRound).toBe(1);
  });
  it('crv3: aims 3 blocks before the one reveal attempt, the last block of the commit epoch', () => {
    // netuid 2, tempo 10: epoch(b) = floor((b + 3) / 11); epoch 4 = blocks 41..51, its last block 51 reveals it
    const devnet = { netuid: 2, tempo: 10, revealPeriodEpochs: 1, blockTimeSeconds: 1, beacon: { genesisTime: 1000, period: 3 } };
    expect(planReveal('crv3', { ...devnet, currentBlock: 41, nowSeconds: 2000 })).toEqual({
      revealRound: Math.floor((2000 + (51 - 3 - 41) - 1000) / 3),
      commitEpoch: 4,
      firstRevealBlock: 51,
      lastRevealBlock: 51,
      tooClose: false,
    });
    // included in block 51 (the epoch's last): filed under epoch 5, revealed in block 62
    expect(planReveal('crv3', { ...devnet, currentBlock: 50, nowSeconds: 2000 })).toMatchObject({ commitEpoch: 5, firstRevealBlock: 62, tooClose: false });
    // two epochs of reveal period: the last block of the next epoch
    expect(planReveal('crv3', { ...devnet, revealPeriodEpochs: 2, currentBlock: 41, nowSeconds: 2000 })).toMatchObject({ commitEpoch: 4, firstRevealBlock: 62 });
    // within 3 blocks of the reveal: too close for a pulse published after now
    expect(planReveal('crv3', { ...devnet, currentBlock: 48, nowSeconds: 2000 }).tooClose).toBe(true);
    expect(planReveal('crv3', { ...devnet, currentBlock: 47, nowSeconds: 2000 }).tooClose).toBe(false);
  });
});
