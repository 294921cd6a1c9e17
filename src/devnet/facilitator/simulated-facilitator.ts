import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { KeyringPair } from '@polkadot/keyring/types';
import { encodeAddress, signatureVerify } from '@polkadot/util-crypto';
import { WebSocket, WebSocketServer } from 'ws';
import {
  jobRequestSignedBytes, pythonJson, RequestSignature, signRequestPayload, v2JobRequestTree, V2JobRequest,
  V0JobCheated, v0JobCheatedTree, cheatReportDoubleText, JsonNode, OutputUpload, Volume, StreamingDetails, FacilitatorExecutorClass,
} from '../../protocol/facilitator';

/**
 * A facilitator for tests, the benchmark and demos: a real WebSocket server that authenticates the
 * validator as the real facilitator does (organic-jobs.md §2.2: active-validator check, sr25519 over the
 * 32 public-key bytes, close codes 3000/3001), pushes signed V2JobRequest frames in the facilitator's
 * Python-JSON form, answers every status update (job.not_found, job.integrity_error) and records them.
 */

export interface ReceivedStatus {
  uuid: string;
  status: string;
  metadata: Record<string, unknown> | null;
  /** process.hrtime in ms when the frame arrived */
  receivedAt: number;
}

export interface JobOptions {
  uuid?: string;
  executorClass?: FacilitatorExecutorClass;
  dockerImage?: string;
  args?: readonly string[];
  env?: [string, string][];
  useGpu?: boolean;
  volume?: Volume | null;
  outputUpload?: OutputUpload | null;
  artifactsDir?: string | null;
  onTrustedMiner?: boolean;
  limits?: { download: number; execution: number; upload: number; streaming: number };
  streamingDetails?: StreamingDetails | null;
  namespace?: string | null;
  /** The SDK user's key; the facilitator's default SDK key when omitted. `null` sends no signature. */
  signer?: KeyringPair | null;
  /** Corrupt the signature after signing (bad-signature tests). */
  tamperSignature?: boolean;
}

interface Channel {
  ws: WebSocket;
  hotkey: string | null;
  lastHeartbeat: number;
  versions: { runner: string | undefined; validator: string | undefined };
}

export interface SimulatedFacilitatorOptions {
  /** ss58 hotkeys the facilitator treats as active validators. */
  validators: string[];
  /** SDK user key used to sign jobs by default. */
  sdkSigner: KeyringPair;
  port?: number;
  host?: string;
}

export class SimulatedFacilitator extends EventEmitter {
  private server!: WebSocketServer;
  private readonly channels = new Set<Channel>();
  private readonly jobs = new Map<string, { validator: string; sentAt: number }>();
  readonly statuses: ReceivedStatus[] = [];
  private readonly seenStatuses = new Set<string>();
  private readonly statusesByUuid = new Map<string, ReceivedStatus[]>();
  readonly heartbeats: { hotkey: string; at: number }[] = [];
  readonly authAttempts: { hotkey: string | null; ok: boolean; error?: string }[] = [];
  readonly unparsed: string[] = [];
  /** X-Validator-Runner-Version / X-Validator-Version of every connection, in order. */
  readonly connectionVersions: { runner?: string; validator?: string }[] = [];
  private validators: Set<string>;

  constructor(private readonly opts: SimulatedFacilitatorOptions) {
    super();
    this.validators = new Set(opts.validators);
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server = new WebSocketServer({ host: this.opts.host ?? '127.0.0.1', port: this.opts.port ?? 0, maxPayload: 64 * 1024 * 1024 });
      this.server.once('listening', resolve);
      this.server.once('error', reject);
    });
    this.server.on('connection', (ws, req) => this.onConnection(ws, req.headers));
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/ws/v0/`;
  }

  setActiveValidators(hotkeys: string[]): void {
    this.validators = new Set(hotkeys);
  }

  /** Authenticated channels of a validator. */
  connectedChannels(hotkey?: string): number {
    return [...this.channels].filter((c) => c.hotkey !== null && (hotkey === undefined || c.hotkey === hotkey)).length;
  }

  async waitForConnection(hotkey?: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.connectedChannels(hotkey) === 0) {
      if (Date.now() > deadline) throw new Error('no validator connected to the simulated facilitator');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private onConnection(ws: WebSocket, headers: Record<string, string | string[] | undefined>): void {
    const ch: Channel = {
      ws, hotkey: null, lastHeartbeat: Date.now(),
      versions: { runner: headers['x-validator-runner-version'] as string | undefined, validator: headers['x-validator-version'] as string | undefined },
    };
    this.channels.add(ch);
    this.connectionVersions.push({ ...ch.versions });
    ws.on('close', () => this.channels.delete(ch));
    ws.on('error', () => this.channels.delete(ch));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      this.onFrame(ch, data.toString());
    });
  }

  private reply(ch: Channel, errors: { msg: string; type: string; help?: string }[]): void {
    if (ch.ws.readyState !== WebSocket.OPEN) return;
    ch.ws.send(JSON.stringify(errors.length === 0 ? { status: 'success', errors: [] } : { status: 'error', errors: errors.map((e) => ({ help: '', ...e })) }));
  }

  private onFrame(ch: Channel, text: string): void {
    let msg: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      msg = parsed as Record<string, unknown>;
    } catch {
      this.unparsed.push(text);
      return this.reply(ch, [{ msg: 'Invalid JSON', type: 'json_invalid' }]);
    }
    switch (msg.message_type) {
      case 'V0AuthenticationRequest':
        return this.onAuth(ch, msg);
      case 'V0Heartbeat':
        if (!ch.hotkey) return this.reply(ch, [{ msg: 'Not authenticated', type: 'auth.not_authenticated' }]);
        ch.lastHeartbeat = Date.now();
        this.heartbeats.push({ hotkey: ch.hotkey, at: Date.now() });
        this.emit('heartbeat', ch.hotkey);
        return;
      case 'V0MachineSpecsUpdate':
        if (!ch.hotkey) return this.reply(ch, [{ msg: 'Not authenticated', type: 'auth.not_authenticated' }]);
        return;
      case 'V0JobStatusUpdate':
        return this.onStatus(ch, msg, text);
      default:
        this.unparsed.push(text);
        return this.reply(ch, [{ msg: "Unable to extract tag using discriminator 'message_type'", type: 'union_tag_not_found' }]);
    }
  }

  private onAuth(ch: Channel, msg: Record<string, unknown>): void {
    if (ch.hotkey) return this.reply(ch, [{ msg: 'Already authenticated', type: 'auth.already_authenticated' }]);
    const pk = msg.public_key;
    const sig = msg.signature;
    if (typeof pk !== 'string' || !/^[0-9a-f]{64}$/i.test(pk) || typeof sig !== 'string') {
      this.authAttempts.push({ hotkey: null, ok: false, error: 'malformed' });
      return this.reply(ch, [{ msg: 'Invalid authentication request', type: 'value_error' }]);
    }
    const keyBytes = Buffer.from(pk, 'hex');
    const hotkey = encodeAddress(keyBytes, 42);
    if (!this.validators.has(hotkey)) {
      this.authAttempts.push({ hotkey, ok: false, error: 'auth.validator_not_found' });
      this.reply(ch, [{ msg: 'Validator not found', type: 'auth.validator_not_found' }]);
      ch.ws.close(3001);
      return;
    }
    let valid = false;
    try {
      valid = signatureVerify(keyBytes, sig, keyBytes).isValid;
    } catch {
      valid = false;
    }
    if (!valid) {
      this.authAttempts.push({ hotkey, ok: false, error: 'auth.signature_invalid' });
      this.reply(ch, [{ msg: 'Invalid signature', type: 'auth.signature_invalid' }]);
      ch.ws.close(3000);
      return;
    }
    ch.hotkey = hotkey;
    ch.lastHeartbeat = Date.now();
    this.authAttempts.push({ hotkey, ok: true });
    this.reply(ch, []);
    this.emit('authenticated', hotkey);
  }

  private onStatus(ch: Channel, msg: Record<string, unknown>, text: string): void {
    if (!ch.hotkey) return this.reply(ch, [{ msg: 'Not authenticated', type: 'auth.not_authenticated' }]);
    const uuid = msg.uuid;
    const status = msg.status;
    if (typeof uuid !== 'string' || typeof status !== 'string') {
      this.unparsed.push(text);
      return this.reply(ch, [{ msg: 'Field required', type: 'missing' }]);
    }
    if (!this.jobs.has(uuid)) return this.reply(ch, [{ msg: 'Job not found', type: 'job.not_found', help: 'Job with this UUID was not found' }]);
    // (uuid, status) is unique in the real facilitator's table; a Set keeps this O(1) over thousands of jobs.
    if (this.seenStatuses.has(`${uuid}|${status}`)) {
      return this.reply(ch, [{ msg: 'Integrity error', type: 'job.integrity_error' }]);
    }
    const metadata = (msg.metadata ?? null) as Record<string, unknown> | null;
    if ((status === 'completed' && !metadata?.miner_response) || (status === 'streaming_ready' && !metadata?.streaming_details)) {
      // The real facilitator's handler dereferences these and fails.
      return this.reply(ch, [{ msg: 'metadata missing', type: 'internal_error' }]);
    }
    const rec: ReceivedStatus = { uuid, status, metadata, receivedAt: performance.now() };
    this.statuses.push(rec);
    this.seenStatuses.add(`${uuid}|${status}`);
    const ofJob = this.statusesByUuid.get(uuid);
    if (ofJob) ofJob.push(rec);
    else this.statusesByUuid.set(uuid, [rec]);
    this.reply(ch, []);
    this.emit('status', rec);
  }

  /** Builds a signed V2JobRequest like the facilitator would forward it. */
  buildJob(o: JobOptions = {}): V2JobRequest {
    const limits = o.limits ?? { download: 1, execution: 1, upload: 1, streaming: 1 };
    const unsigned = new V2JobRequest(
      null, o.uuid ?? randomUUID(), o.namespace ?? null, o.executorClass ?? 'always_on.gpu-24gb', o.dockerImage ?? 'backenddevelopersltd/compute-horde-job-echo:v0-latest',
      [...(o.args ?? [])], o.env ?? [], o.useGpu ?? true, o.volume ?? null, o.outputUpload ?? null, o.artifactsDir ?? null, o.onTrustedMiner ?? false,
      limits.download, limits.execution, limits.upload, limits.streaming, o.streamingDetails ?? null,
    );
    const signer = o.signer === undefined ? this.opts.sdkSigner : o.signer;
    if (signer === null) return unsigned;
    const ts = BigInt(Date.now()) * 1_000_000n + 123_456n;
    let sig = signRequestPayload(signer, ts, jobRequestSignedBytes(unsigned));
    if (o.tamperSignature) sig = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
    const signature = new RequestSignature('bittensor', signer.address, ts, sig, 'SignedFields');
    return new V2JobRequest(signature, unsigned.uuid, unsigned.job_namespace, unsigned.executor_class, unsigned.docker_image, unsigned.args,
      unsigned.env, unsigned.use_gpu, unsigned.volume, unsigned.output_upload, unsigned.artifacts_dir, unsigned.on_trusted_miner,
      unsigned.download_time_limit, unsigned.execution_time_limit, unsigned.upload_time_limit, unsigned.streaming_start_time_limit, unsigned.streaming_details);
  }

  /** Sends a job to every authenticated channel of `validator` (as the facilitator does). Returns the uuid. */
  submitJob(validator: string, o: JobOptions | V2JobRequest = {}): string {
    const job = o instanceof V2JobRequest ? o : this.buildJob(o);
    this.jobs.set(job.uuid, { validator, sentAt: performance.now() });
    this.broadcast(validator, pythonJson(v2JobRequestTree(job)));
    return job.uuid;
  }

  /** Registers a uuid as a known job without sending it (for raw-frame tests). */
  registerJob(uuid: string, validator: string): void {
    this.jobs.set(uuid, { validator, sentAt: performance.now() });
  }

  jobSentAt(uuid: string): number | undefined {
    return this.jobs.get(uuid)?.sentAt;
  }

  /** Sends a cheat report signed the way the SDK signs it (FullRequest scope, double encoded). */
  reportCheated(validator: string, jobUuid: string, trustedJobUuid: string, details: JsonNode, signer: KeyringPair = this.opts.sdkSigner): void {
    const ts = BigInt(Date.now()) * 1_000_000n;
    const unsigned = { job_uuid: jobUuid, trusted_job_uuid: trustedJobUuid, details };
    const sig = signRequestPayload(signer, ts, Buffer.from(cheatReportDoubleText(unsigned), 'ascii'));
    const report = new V0JobCheated(new RequestSignature('bittensor', signer.address, ts, sig, 'FullRequest'), jobUuid, trustedJobUuid, details);
    this.broadcast(validator, pythonJson(v0JobCheatedTree(report)));
  }

  /** Sends any text to every authenticated channel of `validator` (garbage tests). */
  sendRaw(validator: string, text: string): void {
    this.broadcast(validator, text);
  }

  private broadcast(validator: string, text: string): void {
    let sent = 0;
    for (const ch of this.channels) {
      if (ch.hotkey === validator && ch.ws.readyState === WebSocket.OPEN) {
        ch.ws.send(text);
        sent++;
      }
    }
    if (sent === 0) throw new Error(`validator ${validator} is not connected to the simulated facilitator`);
  }

  statusesOf(uuid: string): string[] {
    return (this.statusesByUuid.get(uuid) ?? []).map((s) => s.status);
  }

  /** Resolves when `uuid` reached an end state (completed, rejected, failed, horde_failed). */
  waitForEnd(uuid: string, timeoutMs = 30_000): Promise<ReceivedStatus> {
    return this.waitForStatus(uuid, ['completed', 'rejected', 'failed', 'horde_failed'], timeoutMs);
  }

  waitForStatus(uuid: string, statuses: string[], timeoutMs = 30_000): Promise<ReceivedStatus> {
    const found = (this.statusesByUuid.get(uuid) ?? []).find((s) => statuses.includes(s.status));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('status', on);
        reject(new Error(`job ${uuid}: no status in [${statuses.join(', ')}] within ${timeoutMs} ms (got: ${this.statusesOf(uuid).join(', ') || 'nothing'})`));
      }, timeoutMs);
      const on = (s: ReceivedStatus) => {
        if (s.uuid === uuid && statuses.includes(s.status)) {
          clearTimeout(timer);
          this.off('status', on);
          resolve(s);
        }
      };
      this.on('status', on);
    });
  }

  /** Drops every validator connection abruptly (reconnect tests). */
  dropConnections(): void {
    for (const ch of this.channels) ch.ws.terminate();
    this.channels.clear();
  }

  async close(): Promise<void> {
    for (const ch of this.channels) ch.ws.terminate();
    this.channels.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
