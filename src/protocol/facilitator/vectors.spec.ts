import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, decodeAddress, signatureVerify } from '@polkadot/util-crypto';
import {
  cheatReportDoubleText, cheatReportSingleText, checkJobRequestSignature, jobRequestSignedBytes, parseFacilitatorFrame,
  pythonJson, pythonJsonString, signatureDigest, signedFieldsText, V2JobRequest, verifyRequestSignature,
  JsonObject, parseJsonTree, RequestSignature, authenticationRequestText, V0JobCheated, verifyCheatReportSignature,
  signRequestPayload, v2JobRequestTree,
} from './index';

/** organic-jobs.md §12 test vectors, one describe per vector. */

const TV3_FRAME = `{"signature": {"signature_type": "bittensor", "signatory": "5CDapJdKqe6b1kdD7ABZEbNKrRZqhM21m8q3vn1YU22rKK9h", "timestamp_ns": 1730000000123456789, "signature": "AAAA", "signature_scope": "SignedFields"}, "type": "job.new", "message_type": "V2JobRequest", "uuid": "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9", "job_namespace": "SN123.0", "executor_class": "always_on.gpu-24gb", "docker_image": "user/image:tag", "args": ["--name", "Zo\\u00eb \\"q\\""], "env": {"B": "2", "A": "\\u2603 snow\\nline"}, "use_gpu": true, "volume": {"volume_type": "multi_volume", "volumes": [{"volume_type": "huggingface_volume", "repo_id": "org/model", "repo_type": null, "revision": "main", "relative_path": "models", "allow_patterns": null, "token": null}, {"volume_type": "inline", "contents": "UEsDBA==", "relative_path": "data"}]}, "output_upload": {"output_upload_type": "multi_upload", "uploads": [{"output_upload_type": "single_file_put", "url": "https://example.com/put", "relative_path": "result.json", "signed_headers": null}], "system_output": null}, "artifacts_dir": "/artifacts", "on_trusted_miner": false, "download_time_limit": 60, "execution_time_limit": 120, "upload_time_limit": 30, "streaming_start_time_limit": 5, "streaming_details": {"public_key": "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n", "executor_ip": null}}`;

const TV3_INNER = `{"executor_class":"always_on.gpu-24gb","docker_image":"user/image:tag","args":["--name","Zoë \\"q\\""],"env":{"B":"2","A":"☃ snow\\nline"},"use_gpu":true,"artifacts_dir":"/artifacts","on_trusted_miner":false,"download_time_limit":60,"execution_time_limit":120,"upload_time_limit":30,"streaming_start_time_limit":5,"streaming_details":{"public_key":"-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n","executor_ip":null},"volumes":[{"volume_type":"huggingface_volume","repo_id":"org/model","repo_type":null,"revision":"main","relative_path":"models","allow_patterns":null,"token":null},{"volume_type":"inline","contents":"UEsDBA==","relative_path":"data"}],"uploads":[{"output_upload_type":"single_file_put","url":"https://example.com/put","relative_path":"result.json","signed_headers":null}]}`;

const TV3_OUTER = String.raw`"{\"executor_class\":\"always_on.gpu-24gb\",\"docker_image\":\"user/image:tag\",\"args\":[\"--name\",\"Zo\u00eb \\\"q\\\"\"],\"env\":{\"B\":\"2\",\"A\":\"\u2603 snow\\nline\"},\"use_gpu\":true,\"artifacts_dir\":\"/artifacts\",\"on_trusted_miner\":false,\"download_time_limit\":60,\"execution_time_limit\":120,\"upload_time_limit\":30,\"streaming_start_time_limit\":5,\"streaming_details\":{\"public_key\":\"-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n\",\"executor_ip\":null},\"volumes\":[{\"volume_type\":\"huggingface_volume\",\"repo_id\":\"org/model\",\"repo_type\":null,\"revision\":\"main\",\"relative_path\":\"models\",\"allow_patterns\":null,\"token\":null},{\"volume_type\":\"inline\",\"contents\":\"UEsDBA==\",\"relative_path\":\"data\"}],\"uploads\":[{\"output_upload_type\":\"single_file_put\",\"url\":\"https://example.com/put\",\"relative_path\":\"result.json\",\"signed_headers\":null}]}"`;

const TV3_DIGEST = '10f65e915f18e4fc3c994d16663594cc1b0434b69f5b4ecbe11bac03e966554033776e826e9fafdd6a96bb924b4d25ac273cd657d7acd28952cb9eed20a5a45d';
const TV3_SIGNATORY = '5FeZYjzAXnozLU4yfqciNxPFaVVnQBN7rSWmzZuD3MDfiZDK';
const TV3_SIGNATURE = 'FCbanuAT8WAqSKy0I+VAtfQvgXPuN5IBZg0bDXBQ7QlQHCjzl50LX5XYf28jMYrLQyJ8GwdFZMOxlEa7LRRZjw==';

function jobRequest(frame: string): V2JobRequest {
  const p = parseFacilitatorFrame(frame);
  if (p.kind !== 'job-request') throw new Error(`expected a job request, got ${JSON.stringify(p)}`);
  return p.message;
}

function hex(u: Uint8Array): string {
  return Buffer.from(u).toString('hex');
}

const signedTv3 = TV3_FRAME.replace('"5CDapJdKqe6b1kdD7ABZEbNKrRZqhM21m8q3vn1YU22rKK9h"', `"${TV3_SIGNATORY}"`).replace('"AAAA"', `"${TV3_SIGNATURE}"`);

beforeAll(async () => {
  await cryptoWaitReady();
});

describe('TV-1 signature hash and sr25519 verification', () => {
  const payload = '{"array": [1, 2, 3], "b": 2, "dict": {"subdict:": {"null": null}}}';
  const sig = new RequestSignature('bittensor', '5FUJCuGtQPonu8B9JKH4BwsKzEdtyBTpyvbBk2beNZ4iX8sk', 1718845323456788992n,
    'BCbiGUNh6C34/zTC8cIgs2f1MvXX90q1A+2FCiCe/nxoXtCAqrBjvacQAxH482m4TfA/SBw8GMLrTuWsIXO2gg==', 'SignedFields');

  it('hashes the sorted Python JSON of an object payload once', () => {
    const tree = parseJsonTree('{"b": 2, "array": [1, 2, 3], "dict": {"subdict:": {"null": null}}}');
    expect(pythonJson(tree, true)).toBe(payload);
  });
  it('writes the timestamp as 8 big-endian bytes', () => {
    expect(hex(signatureDigest(sig.timestamp_ns, new Uint8Array()).slice(0, 0))).toBe('');
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, sig.timestamp_ns, false);
    expect(hex(b)).toBe('17da90b7007bba00');
  });
  it('gives the expected BLAKE2b-512 digest', () => {
    expect(hex(signatureDigest(sig.timestamp_ns, Buffer.from(payload)))).toBe(
      '2a22a1498ee1ce0fc6ee7414dd61d2a635790346ec02ea3acb761cfb0353aa2ab895eea87a70148ac7cf2b185367b8d387ab8b22c5e0eed955409078a1d2e3a8');
  });
  it('verifies the reference signature and rejects a flipped one', () => {
    expect(u8aToHex(decodeAddress(sig.signatory))).toBe('0x96b2f9237ed0890fbeed891ebb81b91ac0d5d5b6e3afcdbc95df1b68d9f14036');
    expect(verifyRequestSignature(sig, Buffer.from(payload))).toBe(true);
    const bad = new RequestSignature(sig.signature_type, sig.signatory, sig.timestamp_ns, Buffer.from('invalid').toString('base64'), 'SignedFields');
    expect(verifyRequestSignature(bad, Buffer.from(payload))).toBe(false);
  });
});

const TV2_FRAME = JSON.stringify({
  signature: { signature_type: 'bittensor', signatory: '5CDapJdKqe6b1kdD7ABZEbNKrRZqhM21m8q3vn1YU22rKK9h', timestamp_ns: 0, signature: 'lnX1rPC+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAChw==', signature_scope: 'SignedFields' },
  type: 'job.new', message_type: 'V2JobRequest', uuid: '7b522e1a-2c5e-4f5e-8c1e-0f8f5d3c9a11', job_namespace: null,
  executor_class: 'spin_up-4min.gpu-24gb', docker_image: 'nvidia', args: [], env: {}, use_gpu: false,
  volume: { volume_type: 'multi_volume', volumes: [{ volume_type: 'single_file', url: 'fake.com/input.txt', relative_path: 'input.txt' }] },
  output_upload: { output_upload_type: 'multi_upload', uploads: [{ output_upload_type: 'single_file_post', url: 'https://s3.bucket.com/output1.txt', relative_path: 'output1.txt' }], system_output: { output_upload_type: 'zip_and_http_put', url: 'http://r2.bucket.com/output.zip' } },
  artifacts_dir: null, on_trusted_miner: false, download_time_limit: 1, execution_time_limit: 1, upload_time_limit: 1, streaming_start_time_limit: 1,
}).replace('"timestamp_ns":0', '"timestamp_ns":1729622861880448856');

describe('TV-2 signed payload of the dummy job', () => {
  const req = jobRequest(TV2_FRAME);
  it('builds the inner text without system_output and with null-filled upload fields', () => {
    expect(signedFieldsText(req)).toBe('{"executor_class":"spin_up-4min.gpu-24gb","docker_image":"nvidia","args":[],"env":{},"use_gpu":false,"artifacts_dir":"","on_trusted_miner":false,"download_time_limit":1,"execution_time_limit":1,"upload_time_limit":1,"streaming_start_time_limit":1,"streaming_details":null,"volumes":[{"volume_type":"single_file","url":"fake.com/input.txt","relative_path":"input.txt"}],"uploads":[{"output_upload_type":"single_file_post","url":"https://s3.bucket.com/output1.txt","form_fields":null,"relative_path":"output1.txt","signed_headers":null}]}');
  });
  it('gives the expected digest', () => {
    expect(req.signature!.timestamp_ns).toBe(1729622861880448856n);
    expect(hex(signatureDigest(req.signature!.timestamp_ns, jobRequestSignedBytes(req)))).toBe(
      '7efd05933830d654d0af8afb90f2e3afacc1e268e5cbd796b8f983eaf87a1c8880948f1da5dd56d77c2fdc007f075d57c9b04d45cd5727e2923b7afb3f648b55');
  });
  it('rejects the helper signature as "Bad signature" when the signatory is whitelisted', async () => {
    await expect(checkJobRequestSignature(req, 'me', async () => true)).resolves.toEqual({ ok: false, message: 'Bad signature' });
  });
  it('cheat report texts: validator single encoding and SDK double encoding', () => {
    const details = parseJsonTree('{"reason": "hash_mismatch"}');
    const r = { job_uuid: '7b522e1a-2c5e-4f5e-8c1e-0f8f5d3c9a11', trusted_job_uuid: '0d6b0c7e-9a4f-4d4b-9f53-3f0b1c2a5e77', details };
    expect(cheatReportSingleText(r)).toBe('{"details": {"reason": "hash_mismatch"}, "job_uuid": "7b522e1a-2c5e-4f5e-8c1e-0f8f5d3c9a11", "trusted_job_uuid": "0d6b0c7e-9a4f-4d4b-9f53-3f0b1c2a5e77"}');
    expect(cheatReportDoubleText(r)).toBe(String.raw`"{\"details\": {\"reason\": \"hash_mismatch\"}, \"job_uuid\": \"7b522e1a-2c5e-4f5e-8c1e-0f8f5d3c9a11\", \"trusted_job_uuid\": \"0d6b0c7e-9a4f-4d4b-9f53-3f0b1c2a5e77\"}"`);
  });
});

describe('TV-3 escaping, key order, defaults', () => {
  it('builds the inner text with raw UTF-8 and received env order', () => {
    expect(signedFieldsText(jobRequest(TV3_FRAME))).toBe(TV3_INNER);
  });
  it('builds the ASCII outer text like Python json.dumps', () => {
    expect(pythonJsonString(TV3_INNER)).toBe(TV3_OUTER);
  });
  it('escapes DEL and astral characters as Python does', () => {
    expect(pythonJsonString('a\u007fbé😀')).toBe('"a\\u007fb\\u00e9\\ud83d\\ude00"');
  });
  it('keeps timestamp_ns exact and gives the expected digest', () => {
    const req = jobRequest(TV3_FRAME);
    expect(req.signature!.timestamp_ns).toBe(1730000000123456789n);
    const digest = signatureDigest(req.signature!.timestamp_ns, jobRequestSignedBytes(req));
    expect(hex(digest.slice(0, 0))).toBe('');
    expect(hex(digest)).toBe(TV3_DIGEST);
  });
  it('re-fills omitted optional fields with null (same digest)', () => {
    const trimmed = TV3_FRAME.replace('"repo_type": null, ', '').replace(', "allow_patterns": null, "token": null', '')
      .replace(', "signed_headers": null', '').replace(', "executor_ip": null', '');
    expect(trimmed).not.toBe(TV3_FRAME);
    const req = jobRequest(trimmed);
    expect(hex(signatureDigest(req.signature!.timestamp_ns, jobRequestSignedBytes(req)))).toBe(TV3_DIGEST);
  });
  it('gives a different digest when env keys arrive in another order', () => {
    const swapped = TV3_FRAME.replace('"env": {"B": "2", "A": "\\u2603 snow\\nline"}', '"env": {"A": "\\u2603 snow\\nline", "B": "2"}');
    const req = jobRequest(swapped);
    expect(hex(signatureDigest(req.signature!.timestamp_ns, jobRequestSignedBytes(req)))).not.toBe(TV3_DIGEST);
  });
  it('keeps integer-like env keys in received order', () => {
    const frame = TV3_FRAME.replace('"env": {"B": "2", "A": "\\u2603 snow\\nline"}', '"env": {"b": "1", "42": "x", "0": "y"}');
    expect(signedFieldsText(jobRequest(frame))).toContain('"env":{"b":"1","42":"x","0":"y"}');
  });
  it('accepts the positive signature vector when the signatory is whitelisted', async () => {
    const req = jobRequest(signedTv3);
    await expect(checkJobRequestSignature(req, 'me', async (hk) => hk === TV3_SIGNATORY)).resolves.toEqual({ ok: true });
  });
  it('rejects a signatory missing from the whitelist with the reference message', async () => {
    await expect(checkJobRequestSignature(jobRequest(signedTv3), 'me', async () => false)).resolves.toEqual({
      ok: false, message: 'Signatory 5FeZYjzAXnozLU4yfqciNxPFaVVnQBN7rSWmzZuD3MDfiZDK is not in validator whitelist',
    });
  });
  it('accepts the validator\'s own hotkey without a whitelist lookup', async () => {
    const lookup = jest.fn(async () => false);
    await expect(checkJobRequestSignature(jobRequest(signedTv3), TV3_SIGNATORY, lookup)).resolves.toEqual({ ok: true });
    expect(lookup).not.toHaveBeenCalled();
  });
  it('fails with "Bad signature" when timestamp_ns is parsed as a JavaScript number (rounded)', async () => {
    const rounded = BigInt(Number(1730000000123456789n));
    expect(rounded).not.toBe(1730000000123456789n);
    const frame = signedTv3.replace('1730000000123456789', rounded.toString());
    await expect(checkJobRequestSignature(jobRequest(frame), 'me', async () => true)).resolves.toEqual({ ok: false, message: 'Bad signature' });
  });
  it('rejects a missing signature with "Signature is empty"', async () => {
    const frame = TV3_FRAME.replace(/^\{"signature": \{[^}]*\}, /, '{');
    await expect(checkJobRequestSignature(jobRequest(frame), 'me', async () => true)).resolves.toEqual({ ok: false, message: 'Signature is empty' });
  });
  it('re-renders the facilitator\'s exact Python JSON text', () => {
    expect(pythonJson(v2JobRequestTree(jobRequest(TV3_FRAME)))).toBe(TV3_FRAME);
  });
});

describe('TV-4 minimal request', () => {
  const frame = '{"message_type":"V2JobRequest","uuid":"u","executor_class":"spin_up-4min.gpu-24gb","docker_image":"doesntmatter","args":[],"env":{},"use_gpu":false,"download_time_limit":1,"execution_time_limit":1,"upload_time_limit":1,"streaming_start_time_limit":1}';
  it('fills defaults and gives the expected inner text and digest', () => {
    const req = jobRequest(frame);
    expect(req.signature).toBeNull();
    expect(signedFieldsText(req)).toBe('{"executor_class":"spin_up-4min.gpu-24gb","docker_image":"doesntmatter","args":[],"env":{},"use_gpu":false,"artifacts_dir":"","on_trusted_miner":false,"download_time_limit":1,"execution_time_limit":1,"upload_time_limit":1,"streaming_start_time_limit":1,"streaming_details":null,"volumes":[],"uploads":[]}');
    expect(hex(signatureDigest(1n, jobRequestSignedBytes(req)))).toBe(
      'becd80e1984941e7d1822339ce50b0214af46e9140a409d45eb4c2c59bbd422b686e6c74773e02c618ea78f7ff8f29cbfde0a9da09484d4a1b4e1ca7505ae50d');
  });
});

describe('TV-5 SignedFields equivalence', () => {
  it('a single upload becomes a one-element uploads list and a single volume a one-element volumes list', () => {
    const base = JSON.parse(TV2_FRAME.replace('1729622861880448856', '1'));
    const multi = jobRequest(JSON.stringify({ ...base, volume: { volume_type: 'multi_volume', volumes: [{ volume_type: 'single_file', url: 'smth.amazon.com', relative_path: 'np_data.npy' }] }, output_upload: { output_upload_type: 'multi_upload', uploads: [{ output_upload_type: 'single_file_put', url: 'smth.amazon.com', relative_path: 'output.json' }] } }));
    const single = jobRequest(JSON.stringify({ ...base, volume: { volume_type: 'single_file', url: 'smth.amazon.com', relative_path: 'np_data.npy' }, output_upload: { output_upload_type: 'single_file_put', url: 'smth.amazon.com', relative_path: 'output.json' } }));
    expect(signedFieldsText(single)).toBe(signedFieldsText(multi));
  });
  it('a request serialized and parsed back yields the same signed content (roundtrip)', () => {
    const req = jobRequest(TV3_FRAME);
    expect(signedFieldsText(jobRequest(pythonJson(v2JobRequestTree(req))))).toBe(signedFieldsText(req));
  });
});

describe('TV-6 authentication frames', () => {
  it('builds a verifiable V0AuthenticationRequest for the test validator hotkey', async () => {
    const pair = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromMnemonic('position chicken ugly key sugar expect another require cinnamon rubber rich veteran');
    expect(pair.address).toBe('5DyzX6hd4nx2jQtdLzDGrCYar7D4LQqhKAUNc5hrDvqBSVLN');
    const frame = JSON.parse(authenticationRequestText(pair));
    expect(frame.message_type).toBe('V0AuthenticationRequest');
    expect(frame.public_key).toBe('54e054c78663f1b032891bf26043f0065e9772c1451607eaeacc9019f070d00c');
    expect(frame.signature).toMatch(/^0x[0-9a-f]{128}$/);
    expect(signatureVerify(Buffer.from(frame.public_key, 'hex'), frame.signature, pair.address).isValid).toBe(true);
  });
  it('parses facilitator responses, including pydantic error objects with extra keys', () => {
    const p = parseFacilitatorFrame('{"status":"error","errors":[{"msg":"Validator not found","type":"auth.validator_not_found","help":"x","loc":[]}]}');
    expect(p.kind).toBe('response');
    if (p.kind === 'response') expect(p.message.errors[0].type).toBe('auth.validator_not_found');
    expect(parseFacilitatorFrame('{"status":"success"}').kind).toBe('response');
    expect(parseFacilitatorFrame('{"hello":"world"}').kind).toBe('malformed');
  });
});

describe('TV-8 bad message and leniency', () => {
  it('{"job_request": "invalid"} is malformed with no job uuid', () => {
    expect(parseFacilitatorFrame('{"job_request": "invalid"}')).toEqual(expect.objectContaining({ kind: 'malformed', jobUuid: null }));
  });
  it('an extra top-level key refuses the job request but keeps its uuid for a rejection', () => {
    const p = parseFacilitatorFrame(TV2_FRAME.replace('"use_gpu":false', '"use_gpu":false,"surprise":1'));
    expect(p).toEqual(expect.objectContaining({ kind: 'malformed', jobUuid: '7b522e1a-2c5e-4f5e-8c1e-0f8f5d3c9a11' }));
  });
  it('unknown executor class and bad base64 signature are refused', () => {
    expect(parseFacilitatorFrame(TV2_FRAME.replace('spin_up-4min.gpu-24gb', 'non.existent.class')).kind).toBe('malformed');
    expect(parseFacilitatorFrame(TV2_FRAME.replace('lnX1rPC+', 'lnX1rPC!')).kind).toBe('malformed');
  });
  it('cheat report without details is refused (the facilitator drops null details)', () => {
    const ok = '{"signature": {"signature_type": "bittensor", "signatory": "5C", "timestamp_ns": 1729622861880448856, "signature": "AAAA", "signature_scope": "FullRequest"}, "type": "job.cheated", "message_type": "V0JobCheated", "job_uuid": "a", "trusted_job_uuid": "b", "details": {"reason": "hash_mismatch"}}';
    expect(parseFacilitatorFrame(ok).kind).toBe('job-cheated');
    expect(parseFacilitatorFrame(ok.replace(', "details": {"reason": "hash_mismatch"}', '')).kind).toBe('malformed');
  });
});

describe('cheat-report signature fix (§8.2)', () => {
  it('an SDK-signed (double encoded) report verifies only in sdk-compatible mode', async () => {
    const pair = new Keyring({ type: 'sr25519' }).addFromMnemonic('arm clerk film target discover victory secret orbit until loop shrimp cover');
    const details = parseJsonTree('{"reason": "hash_mismatch"}');
    const unsigned = { job_uuid: '7b522e1a-2c5e-4f5e-8c1e-0f8f5d3c9a11', trusted_job_uuid: '0d6b0c7e-9a4f-4d4b-9f53-3f0b1c2a5e77', details };
    const ts = 1729622861880448856n;
    const sig = signRequestPayload(pair, ts, Buffer.from(cheatReportDoubleText(unsigned), 'ascii'));
    const report = new V0JobCheated(new RequestSignature('bittensor', pair.address, ts, sig, 'FullRequest'), unsigned.job_uuid, unsigned.trusted_job_uuid, details);
    expect(verifyCheatReportSignature(report, 'parity')).toBe(false);
    expect(verifyCheatReportSignature(report, 'sdk-compatible')).toBe(true);
  });
});

describe('Python JSON numbers', () => {
  it('writes floats with repr layout', () => {
    const t = parseJsonTree('[1.0, 1e5, 0.0001, 1e-5, 1e16, 123456789012345678901234567890, -0, 2.5]') as unknown as JsonObject;
    expect(pythonJson(t as never)).toBe('[1.0, 100000.0, 0.0001, 1e-05, 1e+16, 123456789012345678901234567890, 0, 2.5]');
  });
});
