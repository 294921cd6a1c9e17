import { Keyring } from '@polkadot/keyring';
import { u8aToHex, hexToU8a, stringToU8a, u8aConcat } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady, sr25519Verify } from '@polkadot/util-crypto';
import { authBlob, checkAuthAsMiner, createAuthMessage } from './auth';
import { canonicalJson, pythonJsonString } from './canonical-json';
import { signBlob, streamingReadyBlob, verifyBlob, verifySignature } from './signing';

const keyring = () => new Keyring({ type: 'sr25519', ss58Format: 42 });

beforeAll(() => cryptoWaitReady());

describe('TV-1 key derivation (reference mnemonics)', () => {
  const rows: [string, string, string, string][] = [
    ['test_wallet misc hotkey', 'arm clerk film target discover victory secret orbit until loop shrimp cover', '5FeZYjzAXnozLU4yfqciNxPFaVVnQBN7rSWmzZuD3MDfiZDK', '0x9e8712bfed6f3a6dcf833f3461fcf5148269b2dccb1b3ecb5ddcae0f468ed115'],
    ['test_wallet miner hotkey', 'radio busy purpose chicken nose soccer private bridge nephew float ten media', '5FtFfam1u3qQ76pvHhNqMdgb1Tzk7iFYGC7ituYqaSqAkD5s', '0xa8f85002f93e36c559d1c8e14e6a5218bd9d060d33a5cb9b0c9ff0b4e26b1c04'],
    ['test_wallet validator hotkey', 'position chicken ugly key sugar expect another require cinnamon rubber rich veteran', '5DyzX6hd4nx2jQtdLzDGrCYar7D4LQqhKAUNc5hrDvqBSVLN', '0x54e054c78663f1b032891bf26043f0065e9772c1451607eaeacc9019f070d00c'],
    ['conftest keypair', 'edit evoke caught tunnel harsh plug august group enact cable govern immense', '5G9qWBzLPVVu2fCPPvg3QgPPK5JaJmJKaJha95TPHH9NZWuL', '0xb4dae7156a2f2d57b84c4873b6dbbf4576f5359f3dc80521560562193008b252'],
    ['conftest validator_keypair', 'slot excuse valid grief praise rifle spoil auction weasel glove pen share', '5DUyTyPRu5mZirSTeTf3mk96QuQS7b4epat4XxPzT4DNbQXg', '0x3ebeaaad32fde6cc929d7f51b5fd49646ac73db387254e8176a87f8ccee7aa20'],
    ['conftest miner_keypair', 'almost fatigue race slim picnic mass better clog deal solve already champion', '5Ctd7bcs7Fgsh5KzZuJZ72fMBvPp5Xwxj4RqWZ1m3UTM7oor', '0x248bd07b26820d5d46fb491a985775cb88ab69700d53d93338556ad0169e236d'],
  ];
  it.each(rows)('TV-1 %s', (_name, mnemonic, ss58, publicKey) => {
    const pair = keyring().addFromMnemonic(mnemonic);
    expect(pair.address).toBe(ss58);
    expect(u8aToHex(pair.publicKey)).toBe(publicKey);
  });
});

describe('TV-2 real signature over a BLAKE2b digest (reference test_signature.py)', () => {
  const signatory = '5FUJCuGtQPonu8B9JKH4BwsKzEdtyBTpyvbBk2beNZ4iX8sk';
  const tsBytes = hexToU8a('0x17da90b7007bba00');
  const dump = canonicalJson({ b: 2, array: [1, 2, 3], dict: { 'subdict:': { null: null } } });
  const digest = blake2AsU8a(u8aConcat(tsBytes, stringToU8a(dump)), 512);
  const signature = '0x0426e2194361e82df8ff34c2f1c220b367f532f5d7f74ab503ed850a209efe7c685ed080aab063bda7100311f8f369b84df03f481c3c18c2eb4ee5ac2173b682';

  it('TV-2 timestamp_ns 1718845323456788992 is 0x17da90b7007bba00 big-endian', () => {
    const buf = Buffer.alloc(8);
    buf.writeBigUInt64BE(1718845323456788992n);
    expect(u8aToHex(buf)).toBe('0x17da90b7007bba00');
  });
  it('TV-2 sorted dump and digest', () => {
    expect(dump).toBe('{"array": [1, 2, 3], "b": 2, "dict": {"subdict:": {"null": null}}}');
    expect(u8aToHex(digest)).toBe('0x2a22a1498ee1ce0fc6ee7414dd61d2a635790346ec02ea3acb761cfb0353aa2ab895eea87a70148ac7cf2b185367b8d387ab8b22c5e0eed955409078a1d2e3a8');
  });
  it('TV-2 signature verifies over the digest; base64 form matches', () => {
    expect(u8aToHex(keyring().decodeAddress(signatory))).toBe('0x96b2f9237ed0890fbeed891ebb81b91ac0d5d5b6e3afcdbc95df1b68d9f14036');
    expect(sr25519Verify(digest, signature, keyring().decodeAddress(signatory))).toBe(true);
    expect(verifySignature(digest, signature, signatory)).toBe(true);
    expect(Buffer.from(hexToU8a(signature)).toString('base64')).toBe('BCbiGUNh6C34/zTC8cIgs2f1MvXX90q1A+2FCiCe/nxoXtCAqrBjvacQAxH482m4TfA/SBw8GMLrTuWsIXO2gg==');
  });
  it('TV-2 the bytes "invalid" as a signature are rejected, not thrown', () => {
    expect(verifySignature(digest, 'invalid', signatory)).toBe(false);
    expect(verifySignature(digest, u8aToHex(stringToU8a('invalid')), signatory)).toBe(false);
  });
});

describe('TV-3 signed-fields payload: the double-JSON-encoded string hashes to the reference digest', () => {
  const signedFields =
    '{"executor_class":"always_on.llm.a6000","docker_image":"backenddevelopersltd/latest","args":["--device","cuda","--batch_size","1","--model_ids","Deeptensorlab"],"env":{"f":"test"},"use_gpu":true,"artifacts_dir":"","on_trusted_miner":false,"download_time_limit":1,"execution_time_limit":1,"upload_time_limit":1,"streaming_start_time_limit":1,"streaming_details":null,"volumes":[{"volume_type":"single_file","url":"smth.amazon.com","relative_path":"np_data.npy"},{"volume_type":"huggingface_volume","repo_id":"hug","repo_type":null,"revision":"333","relative_path":"./models/here","allow_patterns":null,"token":null}],"uploads":[{"output_upload_type":"single_file_put","url":"smth.amazon.com","relative_path":"output.json","signed_headers":null}]}';
  it('TV-3 digest', () => {
    const encoded = pythonJsonString(signedFields);
    expect(encoded.startsWith('"{\\"executor_class\\":\\"always_on.llm.a6000\\"')).toBe(true);
    const digest = blake2AsU8a(u8aConcat(hexToU8a('0x17da90b7007bba00'), stringToU8a(encoded)), 512);
    expect(u8aToHex(digest)).toBe('0xbeb7e40e49c9b8b2a1cc3ea4cd8097a036090067991c4ea32d05ab72e70cd82a60e9feeed4b11ac6e495bea2ecad0f47fed199c3818b472306aa23194cb149b1');
  });
});

describe('TV-4 authentication message', () => {
  const validator = '5DyzX6hd4nx2jQtdLzDGrCYar7D4LQqhKAUNc5hrDvqBSVLN';
  const miner = '5FtFfam1u3qQ76pvHhNqMdgb1Tzk7iFYGC7ituYqaSqAkD5s';
  const signature = '0xd8d0b8641c273d3da0a056872af67349872f6cbead9bd45dedf4ff897a9a3c1934a6606b0c7e7235b09a2ddcadc0b41a2a5a16cb6dbc6057a3d29dff6c86d48f';
  const msg = { message_type: 'ValidatorAuthForMiner' as const, validator_hotkey: validator, miner_hotkey: miner, timestamp: 1735732800, signature };

  it('TV-4 blob', () => {
    expect(authBlob(validator, miner, 1735732800)).toBe(`${validator}:${miner}:1735732800`);
  });
  it('TV-4 reference signature verifies', () => {
    expect(verifyBlob(authBlob(validator, miner, 1735732800), signature, validator)).toBe(true);
  });
  it('TV-4 miner accepts it at the time it was made, and rejects it today as "msg too old"', () => {
    expect(checkAuthAsMiner(msg, { minerHotkey: miner, urlValidatorHotkey: validator, nowMs: 1735732800_000 + 10_000 })).toBeNull();
    expect(checkAuthAsMiner(msg, { minerHotkey: miner, urlValidatorHotkey: validator, nowMs: 1735732800_000 + 11_000 })).toBe('msg too old');
  });
  it('TV-4 the other miner checks, in the miner order', () => {
    const now = 1735732800_000;
    expect(checkAuthAsMiner(msg, { minerHotkey: validator, urlValidatorHotkey: validator, nowMs: now })).toBe(`wrong miner hotkey (${validator}!=${miner})`);
    expect(checkAuthAsMiner(msg, { minerHotkey: validator, urlValidatorHotkey: validator, nowMs: now, isLocalMiner: true })).toBeNull();
    expect(checkAuthAsMiner(msg, { minerHotkey: miner, urlValidatorHotkey: miner, nowMs: now })).toBe(`wrong validator hotkey (${miner}!=${validator})`);
    expect(checkAuthAsMiner({ ...msg, signature: signature.replace('d8', 'd9') }, { minerHotkey: miner, urlValidatorHotkey: validator, nowMs: now })).toBe('Signature mismatches');
    expect(checkAuthAsMiner({ ...msg, timestamp: 1735732800 + 3600 }, { minerHotkey: miner, urlValidatorHotkey: validator, nowMs: now })).toBe('Signature mismatches');
  });
  it('TV-4 our own auth message has the exact shape and verifies', () => {
    const pair = keyring().addFromMnemonic('position chicken ugly key sugar expect another require cinnamon rubber rich veteran');
    const own = createAuthMessage(pair, miner, 1735732800_999);
    expect(own.timestamp).toBe(1735732800);
    expect(own.signature).toMatch(/^0x[0-9a-f]{128}$/);
    expect(checkAuthAsMiner(own, { minerHotkey: miner, urlValidatorHotkey: validator, nowMs: 1735732801_000 })).toBeNull();
  });
});

describe('TV-7 streaming-ready signature blob', () => {
  const uuid = 'b4793a02-33a2-4a49-b4e2-4a7b903847e7';
  it('TV-7 blob with ip and with null ip (Python None)', () => {
    expect(streamingReadyBlob(uuid, '0.0.0.0', 1234, 'dummy-cert')).toBe(`${uuid}:0.0.0.0:1234:dummy-cert`);
    expect(streamingReadyBlob(uuid, null, 1234, 'dummy-cert')).toBe(`${uuid}:None:1234:dummy-cert`);
  });
  it('TV-7 reference miner signature verifies', () => {
    const sig = '0x26a269de0edba4643ed2945b4d1d2aebe2fb6ce296124fc209a59b240276946f4e3494701f6119adba0e2fb974b6058b56ca5962f604a8de0c0ea6655081fa8b';
    expect(verifyBlob(`${uuid}:0.0.0.0:1234:dummy-cert`, sig, '5FtFfam1u3qQ76pvHhNqMdgb1Tzk7iFYGC7ituYqaSqAkD5s')).toBe(true);
  });
});

describe('sign_blob format (§3.2-3.3)', () => {
  it('signs UTF-8, 0x + 128 lowercase hex, verifies; malformed signatures are invalid, never thrown', () => {
    const pair = keyring().addFromUri('//Alice');
    const sig = signBlob(pair, 'héllo');
    expect(sig).toMatch(/^0x[0-9a-f]{128}$/);
    expect(verifyBlob('héllo', sig, pair.address)).toBe(true);
    expect(verifyBlob('héllo', sig.toUpperCase().replace('0X', '0x'), pair.address)).toBe(true);
    expect(verifyBlob('hello', sig, pair.address)).toBe(false);
    expect(verifyBlob('héllo', sig.slice(2), pair.address)).toBe(false);
    expect(verifyBlob('héllo', sig.slice(0, 100), pair.address)).toBe(false);
    expect(verifyBlob('héllo', 42, pair.address)).toBe(false);
    expect(verifyBlob('héllo', sig, 'not-an-address')).toBe(false);
    expect(() => signBlob(pair, '0xdead')).toThrow(/0x/);
  });
  it('accepts the polkadot-js <Bytes> wrapped form like the reference verifier', () => {
    const pair = keyring().addFromUri('//Alice');
    const wrapped = u8aToHex(pair.sign(stringToU8a('<Bytes>blob</Bytes>')));
    expect(verifyBlob('blob', wrapped, pair.address)).toBe(true);
  });
});
