import { parseMinerMessage, parseValidatorMessage } from './parse';
import { serializeMessage } from './serialize';
import { buildMessage } from './messages/build';
import { V0AcceptJobRequest } from './messages/miner-to-validator';
import { MINER_TO_VALIDATOR_CLASSES } from './messages/miner-to-validator';
import { VALIDATOR_TO_MINER_CLASSES } from './messages/validator-to-miner';

const U = '7b1a3e02-33a2-4a49-b4e2-4a7b903847e7';
const STARTED = { job_uuid: U, miner_hotkey: 'm', validator_hotkey: 'v', timestamp: '2020-01-01T00:00:00Z', receipt_type: 'JobStartedReceipt', executor_class: 'spin_up-4min.gpu-24gb', is_organic: true, ttl: 5 };

function minerOk(frame: string) {
  const r = parseMinerMessage(frame);
  if (!r.ok) throw new Error(r.reason);
  return r.message;
}
function validatorOk(frame: string) {
  const r = parseValidatorMessage(frame);
  if (!r.ok) throw new Error(r.reason);
  return r.message;
}

describe('TV-12 lenient parsing', () => {
  it('TV-12 unknown decline reason -> unknown, message "", receipts []', () => {
    expect(JSON.parse(serializeMessage(minerOk('{"message_type":"V0DeclineJobRequest","job_uuid":"x","reason":"whatever_new"}')))).toEqual({
      message_type: 'V0DeclineJobRequest', job_uuid: 'x', message: '', reason: 'unknown', receipts: [], context: null,
    });
  });
  it('TV-12 legacy error_type/error_detail and unknown stage', () => {
    const m = minerOk('{"message_type":"V0JobFailedRequest","job_uuid":"x","error_type":"nonzero_return_code","error_detail":"d","stage":"bogus"}');
    expect(m).toMatchObject({ message_type: 'V0JobFailedRequest', reason: 'nonzero_return_code', message: 'd', stage: 'unknown' });
  });
  it('TV-12 horde failure with unknown participant and reason', () => {
    expect(minerOk('{"message_type":"V0HordeFailedRequest","job_uuid":"x","reported_by":"alien","message":"m","reason":"nope"}')).toMatchObject({ reported_by: 'unknown', reason: 'unknown' });
  });
  it('TV-12 manifest with an unknown executor class is malformed as a whole', () => {
    const r = parseMinerMessage('{"message_type":"V0ExecutorManifestRequest","manifest":{"always_on.gpu-24gb":1,"unknown.class":2}}');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/unknown executor class "unknown.class"/);
  });
  it('TV-12 extra fields are ignored', () => {
    expect(serializeMessage(minerOk('{"message_type":"V0AcceptJobRequest","job_uuid":"x","extra":1}'))).toBe('{"message_type":"V0AcceptJobRequest","job_uuid":"x"}');
  });
  it('TV-12 message: null is malformed (string with a default is not nullable)', () => {
    expect(parseMinerMessage('{"message_type":"V0DeclineJobRequest","job_uuid":"x","message":null}').ok).toBe(false);
  });
  it('TV-12 port "443" -> 443', () => {
    expect(minerOk('{"message_type":"V0StreamingJobReadyRequest","job_uuid":"x","public_key":"p","port":"443"}')).toMatchObject({ port: 443 });
  });
  it('TV-12 a decline receipt without payload.receipt_type is malformed', () => {
    const { receipt_type: _omit, ...payload } = STARTED;
    const frame = JSON.stringify({ message_type: 'V0DeclineJobRequest', job_uuid: 'x', reason: 'busy', receipts: [{ payload, validator_signature: '0x', miner_signature: '0x' }] });
    expect(parseMinerMessage(frame).ok).toBe(false);
    const withType = JSON.stringify({ message_type: 'V0DeclineJobRequest', job_uuid: 'x', reason: 'busy', receipts: [{ payload: STARTED, validator_signature: '0x', miner_signature: '0x' }] });
    expect(parseMinerMessage(withType).ok).toBe(true);
  });
  it('floats with a fractional part are rejected for integers; integral floats accepted', () => {
    expect(parseMinerMessage('{"message_type":"V0StreamingJobReadyRequest","job_uuid":"x","public_key":"p","port":443.5}').ok).toBe(false);
    expect(parseValidatorMessage('{"message_type":"ValidatorAuthForMiner","validator_hotkey":"a","miner_hotkey":"b","timestamp":1.5,"signature":"s"}').ok).toBe(false);
    expect(minerOk('{"message_type":"V0StreamingJobReadyRequest","job_uuid":"x","public_key":"p","port":443.0}')).toMatchObject({ port: 443 });
  });
  it('wrong types and unknown message types are malformed with a reason', () => {
    for (const f of ['{"message_type":"V0AcceptJobRequest","job_uuid":1}', '{"message_type":"Nope"}', '{}', '[]', 'null', '"x"', '{"message_type":5}', '{bad json', '']) {
      const r = parseMinerMessage(f);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.reason.length).toBeGreaterThan(0);
    }
  });
  it('binary frames are malformed', () => {
    expect(parseMinerMessage(Buffer.from('{"message_type":"V0AcceptJobRequest","job_uuid":"x"}'), { isBinary: true }).ok).toBe(false);
    expect(parseMinerMessage(Buffer.from('{"message_type":"V0AcceptJobRequest","job_uuid":"x"}')).ok).toBe(true);
  });
});

describe('TV-9 message shapes (reference tests)', () => {
  it('TV-9.1 auth with a non-signature "gibberish" still parses (signature check is separate)', () => {
    expect(validatorOk('{"message_type":"ValidatorAuthForMiner","validator_hotkey":"K","miner_hotkey":"some key","timestamp":1700000000,"signature":"gibberish"}').message_type).toBe('ValidatorAuthForMiner');
  });
  it('TV-9.2 manifest', () => {
    expect(minerOk('{"message_type":"V0ExecutorManifestRequest","manifest":{"spin_up-4min.gpu-24gb":1}}')).toMatchObject({ manifest: { 'spin_up-4min.gpu-24gb': 1 } });
  });
  it('TV-9.3 initial request (streaming variant), receipt ttl 5', () => {
    const m = validatorOk(JSON.stringify({
      message_type: 'V0InitialJobRequest', job_uuid: U, executor_class: 'spin_up-4min.gpu-24gb', docker_image: "it's teeeeests", timeout_seconds: 60, volume: null,
      job_started_receipt_payload: STARTED, job_started_receipt_signature: 'gibberish', streaming_details: { public_key: 'some_public_key', executor_ip: null },
    }));
    expect(m).toMatchObject({ docker_image: "it's teeeeests", timeout_seconds: 60, streaming_details: { public_key: 'some_public_key' }, job_started_receipt_payload: { ttl: 5, is_organic: true } });
  });
  it('TV-9.3 initial request: receipt_type may be omitted, but must match if present', () => {
    const { receipt_type: _omit, ...noType } = STARTED;
    const base = { message_type: 'V0InitialJobRequest', job_uuid: U, executor_class: 'spin_up-4min.gpu-24gb', job_started_receipt_signature: 's' };
    expect(parseValidatorMessage(JSON.stringify({ ...base, job_started_receipt_payload: noType })).ok).toBe(true);
    expect(parseValidatorMessage(JSON.stringify({ ...base, job_started_receipt_payload: { ...STARTED, receipt_type: 'JobAcceptedReceipt' } })).ok).toBe(false);
  });
  it('TV-9.4/5 accept and executor ready', () => {
    expect(minerOk(`{"message_type":"V0AcceptJobRequest","job_uuid":"${U}"}`).message_type).toBe('V0AcceptJobRequest');
    expect(minerOk(`{"message_type":"V0ExecutorReadyRequest","job_uuid":"${U}","executor_token":null}`)).toMatchObject({ executor_token: null });
  });
  it('TV-9.6 job request with inline volume and zip_and_http_post upload', () => {
    const m = validatorOk(JSON.stringify({
      message_type: 'V0JobRequest', job_uuid: U, executor_class: 'spin_up-4min.gpu-24gb', docker_image: 'img', raw_script: null, docker_run_options_preset: 'none',
      docker_run_cmd: [], env: { SOME_ENV_VAR: 'some value' }, volume: { volume_type: 'inline', contents: 'nonsense' },
      output_upload: { output_upload_type: 'zip_and_http_post', url: 'http://localhost/output/upload', form_fields: {} },
    }));
    expect(m).toMatchObject({ env: { SOME_ENV_VAR: 'some value' }, volume: { volume_type: 'inline', contents: 'nonsense', relative_path: null }, output_upload: { output_upload_type: 'zip_and_http_post' } });
  });
  it('TV-9.7 streaming job ready', () => {
    expect(minerOk(`{"executor_token":null,"message_type":"V0StreamingJobReadyRequest","job_uuid":"${U}","public_key":"some_public_key","ip":"0.0.0.0","port":1234,"miner_signature":"0xab"}`)).toMatchObject({ ip: '0.0.0.0', port: 1234 });
  });
  it('TV-9.8 job finished with upload_results', () => {
    const m = minerOk(JSON.stringify({
      message_type: 'V0JobFinishedRequest', job_uuid: U, docker_process_stdout: 'some stdout', docker_process_stderr: 'some stderr', artifacts: {},
      upload_results: { 'output.zip': '{"headers": {"Content-Length": "123", "ETag": "abc123"}, "body": "response body content"}' },
    }));
    expect(m).toMatchObject({ docker_process_stdout: 'some stdout', upload_results: { 'output.zip': expect.stringContaining('ETag') } });
  });
  it('TV-9 executor sequence messages parse (extra top-level volume_type ignored)', () => {
    expect(minerOk(`{"message_type":"V0VolumesReadyRequest","job_uuid":"${U}"}`).message_type).toBe('V0VolumesReadyRequest');
    expect(minerOk(`{"message_type":"V0ExecutionDoneRequest","job_uuid":"${U}","volume_type":"inline"}`).message_type).toBe('V0ExecutionDoneRequest');
    expect(minerOk(`{"message_type":"V0JobFinishedRequest","docker_process_stdout":"","docker_process_stderr":"","artifacts":{},"job_uuid":"${U}","upload_results":{}}`).message_type).toBe('V0JobFinishedRequest');
  });
});

describe('every message type of both unions parses from its spec example and re-serialises to an equivalent frame', () => {
  const minerExamples: Record<keyof typeof MINER_TO_VALIDATOR_CLASSES, object> = {
    GenericError: { details: 'Malformed message' },
    UnauthorizedError: { code: 'TOKEN_TOO_OLD', details: null },
    V0ExecutorManifestRequest: { manifest: { 'spin_up-4min.gpu-24gb': 1, 'always_on.llm.a6000': 2 } },
    V0MainHotkeyMessage: { main_hotkey: '5F' },
    V0DeclineJobRequest: { job_uuid: U, message: '', reason: 'busy', receipts: [{ payload: STARTED, validator_signature: '0x1', miner_signature: '0x2' }], context: null },
    V0AcceptJobRequest: { job_uuid: U },
    V0ExecutorFailedRequest: { job_uuid: U, executor_token: null },
    V0StreamingJobNotReadyRequest: { job_uuid: U, executor_token: null },
    V0ExecutorReadyRequest: { job_uuid: U, executor_token: null },
    V0StreamingJobReadyRequest: { job_uuid: U, executor_token: null, public_key: 'pem', ip: null, port: 443, miner_signature: null },
    V0JobFailedRequest: { job_uuid: U, message: 'm', reason: 'nonzero_return_code', stage: 'execution', docker_process_exit_status: 1, docker_process_stdout: 'o', docker_process_stderr: 'e', context: null },
    V0VolumesReadyRequest: { job_uuid: U },
    V0ExecutionDoneRequest: { job_uuid: U },
    V0JobFinishedRequest: { job_uuid: U, docker_process_stdout: 'o', docker_process_stderr: 'e', artifacts: { '/a/x': 'eA==' }, upload_results: null },
    V0MachineSpecsRequest: { job_uuid: U, specs: { specs: { gpu: { count: 1, details: [] }, os: 'Ubuntu' } } },
    V0HordeFailedRequest: { job_uuid: U, reported_by: 'executor', message: 'CVE check failed', reason: 'security_check_failed', context: { return_code: 1 } },
  };
  it.each(Object.entries(minerExamples))('miner -> validator %s', (type, fields) => {
    const frame = JSON.stringify({ message_type: type, ...fields });
    const m = minerOk(frame);
    expect(m.message_type).toBe(type);
    expect(JSON.parse(serializeMessage(m))).toEqual(JSON.parse(frame));
  });

  const validatorExamples: Record<keyof typeof VALIDATOR_TO_MINER_CLASSES, object> = {
    GenericError: { details: null },
    ValidatorAuthForMiner: { validator_hotkey: 'a', miner_hotkey: 'b', timestamp: 1735732800, signature: '0x00' },
    V0InitialJobRequest: {
      job_uuid: U, executor_class: 'always_on.gpu-24gb', docker_image: 'img', timeout_seconds: 300,
      volume: { volume_type: 'multi_volume', volumes: [{ volume_type: 'inline', contents: 'UEsFBg==', relative_path: 'code' }, { volume_type: 'single_file', url: 'https://x/a.npy', relative_path: 'data/a.npy' }, { volume_type: 'huggingface_volume', repo_id: 'org/model', repo_type: null, revision: null, relative_path: null, allow_patterns: ['*.json'], token: null }, { volume_type: 'zip_url', contents: 'https://x/y.zip', relative_path: null }] },
      job_started_receipt_payload: STARTED, job_started_receipt_signature: '0x1',
      streaming_details: { public_key: '-----BEGIN CERTIFICATE-----\n…', executor_ip: null },
      executor_timing: { allowed_leeway: 5, download_time_limit: 60, execution_time_limit: 120, upload_time_limit: 60, streaming_start_time_limit: 0 },
    },
    V0JobRequest: {
      job_uuid: U, executor_class: 'always_on.gpu-24gb', docker_image: 'backenddevelopersltd/compute-horde-job-echo:v0-latest', raw_script: null, docker_run_options_preset: 'nvidia_all',
      docker_run_cmd: ['--arg', '1'], env: { FOO: 'bar' }, volume: null,
      output_upload: { output_upload_type: 'multi_upload', uploads: [{ output_upload_type: 'single_file_put', url: 'https://s3/a', relative_path: 'a.txt', signed_headers: null }, { output_upload_type: 'single_file_post', url: 'https://s3/p', form_fields: null, relative_path: 'out.json', signed_headers: { 'x-amz-acl': 'private' } }], system_output: { output_upload_type: 'zip_and_http_put', url: 'https://s3/sys' } },
      artifacts_dir: '/artifacts',
    },
    V0JobAcceptedReceiptRequest: { payload: { job_uuid: U, miner_hotkey: 'm', validator_hotkey: 'v', timestamp: '2025-01-01T12:00:00Z', receipt_type: 'JobAcceptedReceipt', time_accepted: '2025-01-01T12:00:00Z', ttl: 300 }, signature: '0x1' },
    V0JobFinishedReceiptRequest: { payload: { job_uuid: U, miner_hotkey: 'm', validator_hotkey: 'v', timestamp: '2025-01-01T12:00:00Z', receipt_type: 'JobFinishedReceipt', time_started: '2025-01-01T12:00:00Z', time_took_us: 1, score_str: '1', block_numbers: [] }, signature: '0x1' },
    V0MainHotkeyMessage: { main_hotkey: null },
  };
  it.each(Object.entries(validatorExamples))('validator -> miner %s', (type, fields) => {
    const frame = JSON.stringify({ message_type: type, ...fields });
    const m = validatorOk(frame);
    expect(m.message_type).toBe(type);
    expect(JSON.parse(serializeMessage(m))).toEqual(JSON.parse(frame));
  });

  it('a nested multi_volume inside multi_volume is rejected', () => {
    const frame = JSON.stringify({ message_type: 'V0JobRequest', job_uuid: U, executor_class: 'always_on.gpu-24gb', docker_image: 'i', docker_run_options_preset: 'none', docker_run_cmd: [], volume: { volume_type: 'multi_volume', volumes: [{ volume_type: 'multi_volume', volumes: [] }] } });
    expect(parseValidatorMessage(frame).ok).toBe(false);
  });
  it('env must not be null; unknown executor class is rejected', () => {
    const base = { message_type: 'V0JobRequest', job_uuid: U, executor_class: 'always_on.gpu-24gb', docker_image: 'i', docker_run_options_preset: 'none', docker_run_cmd: [] };
    expect(parseValidatorMessage(JSON.stringify({ ...base, env: null })).ok).toBe(false);
    expect(parseValidatorMessage(JSON.stringify({ ...base, executor_class: 'always_on.h100' })).ok).toBe(false);
    expect(parseValidatorMessage(JSON.stringify(base)).ok).toBe(true);
  });
  it('buildMessage + serializeMessage: compact, message_type first', () => {
    expect(serializeMessage(buildMessage(V0AcceptJobRequest, { job_uuid: U }))).toBe(`{"message_type":"V0AcceptJobRequest","job_uuid":"${U}"}`);
  });
});
