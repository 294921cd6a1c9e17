import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ChainService } from '../../chain/chain.service';
import { OrganicJobsMetrics } from '../organic-jobs.metrics';
import { DataSource } from 'typeorm';
import { StaticValidatorHotkey, ValidatorHotkey } from '../../chain/validator-hotkey';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../config/clock';
import { DynamicConfigService } from '../../config/dynamic/dynamic-config.service';
import { MinerConnection } from '../../miners/connection';
import { SystemEventsService } from '../../observability/system-events/system-events.service';
import type { SystemEventSubtype, SystemEventType } from '../../observability/system-events/system-event.types';
import {
  buildMessage, canonicalDatetimeFromMs, datetimeToEpochMicros, jobAcceptedPayload, jobFinishedPayload, jobStartedPayload,
  MinerMessageOf, MinerMessageType, MinerToValidatorMessage, signReceiptPayload, spinUpTimeSeconds, V0InitialJobRequest,
  V0JobAcceptedReceiptRequest, V0JobFinishedReceiptRequest, V0JobRequest, ValidatorToMinerMessage,
} from '../../protocol';
import { withFastSigning, type HordeFailureReason, type JobStatusUpdate, type JsonRecord } from '../../protocol/facilitator';
import { ReceiptsService } from '../../receipts/receipts.service';
import { BAC_VALIDATOR_SS58_ADDRESS, filterValidExcuseReceipts } from '../excuses/excuse-filter';
import type { OrganicJobStatus } from '../persistence/organic-job.entity';
import { ManifestSource } from '../routing/manifest-source';
import type { JobRoute } from '../routing/route';
import type { OrganicJobSpec } from './job-spec';
import { DriverOutcome, hordeFailureSubtype, jobFailureSubtype, timeoutMessage, validatorHordeUpdate } from './outcome';
import { driverTiming, scoreStr } from './timing';

export interface DriverOptions {
  /** Connection attempts to the miner (reference 5; the reservation window is only 7 s). */
  connectRetries: number;
  retryBaseDelayMs: number;
  retryJitterMs: number;
}
export const DRIVER_OPTIONS = Symbol('DRIVER_OPTIONS');

export interface DriveInput {
  spec: OrganicJobSpec;
  route: JobRoute;
  /** Receives every status update in order; awaited before the driver goes on. */
  onStatus: (update: JobStatusUpdate) => Promise<void>;
  /** Observability hooks (benchmark): called synchronously. */
  onInitialRequestSent?: () => void;
  onFinalMinerMessage?: () => void;
}

export interface DriveResult {
  status: OrganicJobStatus;
  comment: string;
  /** Machine-readable outcome, stored in organic_job.outcome_reason. */
  outcomeReason: string;
  onTrustedMiner: boolean;
  minerHotkey: string;
}

const TERMINAL_TYPES = ['V0DeclineJobRequest', 'V0JobFailedRequest', 'V0HordeFailedRequest', 'V0ExecutorFailedRequest', 'V0StreamingJobNotReadyRequest'] as const;
type TerminalType = (typeof TERMINAL_TYPES)[number];

class StageEnded {
  constructor(readonly outcome: DriverOutcome) {}
}

/**
 * Drives one organic job on one miner (organic-jobs.md §6): creates the OrganicJob row, runs every
 * stage with its deadline, sends and stores the three receipts, maps the outcome (§6.6) to the row,
 * incidents, system events and the status update. Never throws for anything the miner does.
 */
@Injectable()
export class MinerDriverService {
  private readonly logger = new Logger(MinerDriverService.name);
  private readonly options: DriverOptions;
  private fast: ValidatorHotkey | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly dynamic: DynamicConfigService,
    private readonly hotkey: ValidatorHotkey,
    private readonly events: SystemEventsService,
    private readonly receipts: ReceiptsService,
    private readonly manifests: ManifestSource,
    @Optional() @Inject(DRIVER_OPTIONS) options?: Partial<DriverOptions>,
    @Optional() private readonly chain?: ChainService,
    @Optional() private readonly metrics?: OrganicJobsMetrics,
  ) {
    this.options = { connectRetries: 3, retryBaseDelayMs: 1000, retryJitterMs: 1000, ...options };
  }

  async drive(input: DriveInput): Promise<DriveResult> {
    const { spec, route } = input;
    const onTrusted = route.kind === 'trusted';
    // The row is written while the miner is being dialled; only the outcome update waits for it.
    const rowWritten = this.createJobRow(spec, route).then(() => true, (e: unknown) => {
      this.logger.error({ err: e, jobUuid: spec.uuid }, 'could not create the organic job row');
      return false;
    });
    let outcome: DriverOutcome;
    let startedTimestamp: string | null = null;
    try {
      const r = await this.run(input, (ts) => (startedTimestamp = ts));
      outcome = r;
    } catch (e) {
      this.logger.error({ err: e, jobUuid: spec.uuid }, 'unexpected error while driving an organic job');
      outcome = { kind: 'exception', exceptionType: e instanceof Error ? e.constructor.name : typeof e, text: String(e) };
    }
    return this.finish(input, outcome, startedTimestamp, onTrusted, rowWritten);
  }

  private async run(input: DriveInput, setStarted: (ts: string) => void): Promise<DriverOutcome> {
    const { spec, route } = input;
    const t0 = this.clock.now();
    const [R, E, L] = await Promise.all([
      this.dynamic.get('DYNAMIC_EXECUTOR_RESERVATION_TIME_LIMIT'),
      this.dynamic.get('DYNAMIC_EXECUTOR_STARTUP_TIME_LIMIT'),
      this.dynamic.get('DYNAMIC_ORGANIC_JOB_ALLOWED_LEEWAY_TIME'),
    ]);
    const timing = driverTiming({
      reservationTimeLimit: R, executorStartupTimeLimit: E, allowedLeeway: L, spinUpTime: spinUpTimeSeconds(spec.executorClass),
      limits: spec.limits, totalTimeout: spec.totalTimeout, streaming: spec.streamingDetails !== null,
    });
    const signer = this.signingHotkey();
    const validator = signer.ss58;
    const minerHotkey = route.miner.hotkey;
    if (!route.miner.address || route.miner.port <= 0) {
      return { kind: 'connection-failed', text: `no address for miner ${minerHotkey}${route.kind === 'trusted' ? ' (TRUSTED_MINER_ADDRESS/PORT not set)' : ''}` };
    }
    const conn = new MinerConnection({
      minerHotkey, address: route.miner.address, port: route.miner.port, validatorHotkey: signer, clock: this.clock,
      maxRetries: this.options.connectRetries, retryBaseDelayMs: this.options.retryBaseDelayMs, retryJitterMs: this.options.retryJitterMs,
      reconnect: false,
      onMessage: (m) => this.onMinerNotice(m, spec.uuid, minerHotkey),
    });
    const connected = await conn.connect();
    if (!connected.ok) {
      await conn.close();
      return { kind: 'connection-failed', text: connected.failure.reason };
    }

    let finishedOk: { blockNumbers: number[]; value: number } | null = null;
    try {
      const send = async (msg: ValidatorToMinerMessage, what: string): Promise<void> => {
        const r = await conn.send(msg, { timeoutMs: 10_000 });
        if (!r.ok) throw new StageEnded({ kind: 'connection-failed', text: `${what}: ${r.failure.reason}` });
      };
      const wait = async <T extends MinerMessageType>(type: T, timeoutMs: number, reason: HordeFailureReason): Promise<MinerMessageOf<T>> => {
        const r = await conn.waitFor([type, ...TERMINAL_TYPES] as MinerMessageType[], { timeoutMs: Math.max(0, timeoutMs), jobUuid: spec.uuid, interrupt: [] });
        if (!r.ok) {
          if (r.failure.kind === 'timeout') {
            const garbage = conn.failures.filter((f) => f.kind === 'unparseable');
            const note = garbage.length ? `miner sent ${garbage.length} malformed frame(s), last: ${garbage[garbage.length - 1].reason}`.slice(0, 500) : undefined;
            throw new StageEnded({ kind: 'timeout', reason, note });
          }
          throw new StageEnded({ kind: 'connection-failed', text: r.failure.reason });
        }
        const m = r.message as MinerToValidatorMessage;
        if ((TERMINAL_TYPES as readonly string[]).includes(m.message_type) && m.message_type !== type) throw new StageEnded(this.terminalOutcome(m as MinerMessageOf<TerminalType>));
        return m as MinerMessageOf<T>;
      };

      // 1. initial request with the JobStarted receipt
      const started = signReceiptPayload(signer.pair, jobStartedPayload({
        job_uuid: spec.uuid, miner_hotkey: minerHotkey, validator_hotkey: validator, timestamp: canonicalDatetimeFromMs(this.clock.now()),
        executor_class: spec.executorClass, is_organic: true, ttl: R,
      }));
      setStarted(started.payload.timestamp);
      await send(buildMessage(V0InitialJobRequest, {
        job_uuid: spec.uuid, executor_class: spec.executorClass, docker_image: spec.dockerImage, timeout_seconds: spec.totalTimeout,
        volume: spec.volume as never, job_started_receipt_payload: started.payload, job_started_receipt_signature: started.signature,
        streaming_details: spec.streamingDetails as never,
        executor_timing: spec.limits ? { allowed_leeway: L, download_time_limit: spec.limits.download, execution_time_limit: spec.limits.execution, upload_time_limit: spec.limits.upload, streaming_start_time_limit: spec.limits.streaming } as never : null,
      }), 'initial job request');
      input.onInitialRequestSent?.();
      const storedStarted = this.receipts.storeOwn(started.payload, started.blob, started.signature);

      await wait('V0AcceptJobRequest', timing.acceptWait * 1000, 'initial_response_timed_out');
      await storedStarted;
      await input.onStatus({ uuid: spec.uuid, status: 'accepted', metadata: null });

      // 2. accepted receipt (failure only logged)
      const now = canonicalDatetimeFromMs(this.clock.now());
      const accepted = signReceiptPayload(signer.pair, jobAcceptedPayload({
        job_uuid: spec.uuid, miner_hotkey: minerHotkey, validator_hotkey: validator, timestamp: now, time_accepted: now, ttl: timing.acceptedReceiptTtl,
      }));
      const sentAccepted = await conn.send(buildMessage(V0JobAcceptedReceiptRequest, { payload: accepted.payload, signature: accepted.signature }), { timeoutMs: 5000 });
      if (sentAccepted.ok) void this.receipts.storeOwn(accepted.payload, accepted.blob, accepted.signature);
      else this.receiptSendError(spec.uuid, minerHotkey, 'JobAcceptedReceipt', sentAccepted.failure.reason);

      await wait('V0ExecutorReadyRequest', timing.readinessWait * 1000, 'executor_readiness_response_timed_out');
      await input.onStatus({ uuid: spec.uuid, status: 'executor_ready', metadata: null });

      // 3. job request; the deadline D starts now
      const d0 = this.clock.now();
      await send(buildMessage(V0JobRequest, {
        job_uuid: spec.uuid, executor_class: spec.executorClass, docker_image: spec.dockerImage, raw_script: null,
        docker_run_options_preset: spec.useGpu ? 'nvidia_all' : 'none', docker_run_cmd: spec.args, env: spec.env, volume: null,
        output_upload: spec.outputUpload as never, artifacts_dir: spec.artifactsDir,
      }), 'job request');
      const left = (offsetS: number) => d0 + offsetS * 1000 - this.clock.now();

      await wait('V0VolumesReadyRequest', left(timing.volumesDeadline), 'volumes_timed_out');
      await input.onStatus({ uuid: spec.uuid, status: 'volumes_ready', metadata: null });
      if (timing.streamingDeadline !== null) {
        const ready = await wait('V0StreamingJobReadyRequest', left(timing.streamingDeadline), 'streaming_job_ready_timed_out');
        await input.onStatus({
          uuid: spec.uuid, status: 'streaming_ready',
          metadata: { streaming_details: { streaming_server_cert: ready.public_key, streaming_server_address: ready.ip ?? null, streaming_server_port: ready.port } },
        });
      }
      await wait('V0ExecutionDoneRequest', left(timing.executionDeadline), 'execution_timed_out');
      await input.onStatus({ uuid: spec.uuid, status: 'execution_done', metadata: null });
      const finished = await wait('V0JobFinishedRequest', left(timing.finishedDeadline), 'final_response_timed_out');
      input.onFinalMinerMessage?.();
      finishedOk = { blockNumbers: input.route.allowanceBlocks ?? [], value: input.route.allowanceJobValue ?? 0 };
      return { kind: 'completed', finished };
    } catch (e) {
      if (e instanceof StageEnded) {
        if (e.outcome.kind !== 'completed') input.onFinalMinerMessage?.();
        return e.outcome;
      }
      throw e;
    } finally {
      // The finished receipt goes out on every outcome once connected (failure values unless completed).
      const took = this.clock.now() - t0;
      const finishedReceipt = signReceiptPayload(signer.pair, jobFinishedPayload({
        job_uuid: spec.uuid, miner_hotkey: minerHotkey, validator_hotkey: validator, timestamp: canonicalDatetimeFromMs(this.clock.now()),
        time_started: canonicalDatetimeFromMs(t0), time_took_us: Math.floor(took * 1000),
        score_str: scoreStr(finishedOk?.value ?? 0), block_numbers: finishedOk?.blockNumbers ?? [],
      }));
      const sent = await conn.send(buildMessage(V0JobFinishedReceiptRequest, { payload: finishedReceipt.payload, signature: finishedReceipt.signature }), { timeoutMs: 2000 });
      if (sent.ok) void this.receipts.storeOwn(finishedReceipt.payload, finishedReceipt.blob, finishedReceipt.signature);
      else this.receiptSendError(spec.uuid, minerHotkey, 'JobFinishedReceipt', sent.failure.reason);
      void conn.close();
    }
  }

  /** The validator hotkey with sr25519 signing in wasm (every job signs an auth message and three receipts). */
  private signingHotkey(): ValidatorHotkey {
    if (!this.fast) this.fast = new StaticValidatorHotkey(withFastSigning(this.hotkey.pair));
    return this.fast;
  }

  private terminalOutcome(m: MinerMessageOf<TerminalType>): DriverOutcome {
    switch (m.message_type) {
      case 'V0DeclineJobRequest':
        return { kind: 'declined', decline: m };
      case 'V0JobFailedRequest':
        return { kind: 'job-failed', failed: m };
      case 'V0HordeFailedRequest':
        return { kind: 'horde-failed', reportedBy: m.reported_by, reason: m.reason, message: m.message, context: (m.context ?? null) as JsonRecord | null };
      case 'V0ExecutorFailedRequest':
        return { kind: 'horde-failed', reportedBy: 'miner', reason: 'generic_error', message: 'Executor reported legacy V0ExecutorFailedRequest message', context: null };
      case 'V0StreamingJobNotReadyRequest':
        return { kind: 'horde-failed', reportedBy: 'miner', reason: 'streaming_failed', message: 'Executor reported legacy V0StreamingJobNotReadyRequest message', context: null };
    }
  }

  private async finish(input: DriveInput, outcome: DriverOutcome, startedTimestamp: string | null, onTrusted: boolean, rowWritten: Promise<boolean>): Promise<DriveResult> {
    const { spec, route } = input;
    const hk = route.miner.hotkey;
    const uuid = spec.uuid;
    let status: OrganicJobStatus = 'FAILED';
    let comment: string;
    let reason: string;
    let update: JobStatusUpdate;
    let incident: 'MINER_JOB_REJECTED' | 'MINER_JOB_FAILED' | 'MINER_HORDE_FAILED' | null = null;
    let event: { type: SystemEventType; subtype: SystemEventSubtype };
    const extra: Partial<{ stdout: string; stderr: string; artifacts: Record<string, string>; uploadResults: Record<string, string> }> = {};

    switch (outcome.kind) {
      case 'completed': {
        const f = outcome.finished;
        status = 'COMPLETED';
        reason = 'completed';
        comment = `Miner ${route.miner.address}:${route.miner.port} hotkey=${hk} finished: stdout=${f.docker_process_stdout.slice(0, 200)} stderr=${f.docker_process_stderr.slice(0, 200)}`;
        Object.assign(extra, { stdout: f.docker_process_stdout, stderr: f.docker_process_stderr, artifacts: f.artifacts ?? {}, uploadResults: f.upload_results ?? {} });
        update = { uuid, status: 'completed', metadata: { miner_response: { docker_process_stderr: f.docker_process_stderr, docker_process_stdout: f.docker_process_stdout, artifacts: f.artifacts ?? {}, upload_results: f.upload_results ?? {} } } };
        event = { type: 'MINER_ORGANIC_JOB_SUCCESS', subtype: 'SUCCESS' };
        break;
      }
      case 'declined': {
        const d = outcome.decline;
        if (d.reason === 'busy') {
          const excused = await this.isExcused(d, spec, hk, startedTimestamp);
          status = excused ? 'EXCUSED' : 'FAILED';
          comment = excused ? 'Miner properly excused job' : 'Miner failed to excuse job';
          reason = excused ? 'declined:busy:excused' : 'declined:busy:not_excused';
          event = { type: 'MINER_ORGANIC_JOB_FAILURE', subtype: excused ? 'JOB_EXCUSED' : 'JOB_REJECTED' };
          if (!excused) incident = 'MINER_JOB_REJECTED';
        } else {
          comment = d.message;
          reason = `declined:${d.reason}`;
          event = { type: 'MINER_ORGANIC_JOB_FAILURE', subtype: 'JOB_REJECTED' };
          incident = 'MINER_JOB_REJECTED';
        }
        update = { uuid, status: 'rejected', metadata: { job_rejection_details: { rejected_by: 'miner', reason: d.reason, message: comment, context: (d.context ?? null) as JsonRecord | null } } };
        break;
      }
      case 'job-failed': {
        const f = outcome.failed;
        comment = f.message;
        reason = `job_failed:${f.reason}`;
        incident = 'MINER_JOB_FAILED';
        event = { type: 'MINER_ORGANIC_JOB_FAILURE', subtype: jobFailureSubtype(f.reason) };
        update = {
          uuid, status: 'failed', metadata: { job_failure_details: {
            reason: f.reason, stage: f.stage, message: f.message, context: (f.context ?? null) as JsonRecord | null,
            docker_process_exit_status: f.docker_process_exit_status ?? null, docker_process_stdout: f.docker_process_stdout ?? null, docker_process_stderr: f.docker_process_stderr ?? null,
          } },
        };
        break;
      }
      case 'horde-failed':
        comment = outcome.message;
        reason = `horde_failed:${outcome.reason}`;
        incident = 'MINER_HORDE_FAILED';
        event = { type: 'MINER_ORGANIC_JOB_FAILURE', subtype: hordeFailureSubtype(outcome.reason) };
        update = { uuid, status: 'horde_failed', metadata: { horde_failure_details: { reported_by: outcome.reportedBy, reason: outcome.reason, message: outcome.message, context: outcome.context } } };
        break;
      case 'timeout': {
        const msg = timeoutMessage(outcome.reason);
        comment = `Horde failed (${outcome.reason}): ${msg}${outcome.note ? `; ${outcome.note}` : ''}`;
        reason = outcome.reason;
        event = { type: 'MINER_ORGANIC_JOB_FAILURE', subtype: hordeFailureSubtype(outcome.reason) };
        update = validatorHordeUpdate(uuid, 'failed', outcome.reason, msg, null);
        break;
      }
      case 'connection-failed': {
        const msg = `Miner connection failed: ${outcome.text}`;
        comment = `Horde failed (miner_connection_failed): ${msg}`;
        reason = 'miner_connection_failed';
        event = { type: 'MINER_ORGANIC_JOB_FAILURE', subtype: 'MINER_CONNECTION_ERROR' };
        update = validatorHordeUpdate(uuid, 'failed', 'miner_connection_failed', msg, null);
        break;
      }
      case 'exception':
        comment = 'Horde failed (unhandled_exception): Unhandled exception';
        reason = 'unhandled_exception';
        event = { type: 'MINER_ORGANIC_JOB_FAILURE', subtype: 'GENERIC_ERROR' };
        update = validatorHordeUpdate(uuid, 'failed', 'unhandled_exception', 'Unhandled exception', { exception_type: outcome.exceptionType });
        break;
    }

    // The facilitator hears the outcome first; the row, incident and event follow.
    const statusSent = input.onStatus(update);
    await rowWritten;
    try {
      await this.dataSource.query(
        `UPDATE organic_job SET status = $2, comment = $3, outcome_reason = $4, stdout = COALESCE($5, stdout), stderr = COALESCE($6, stderr),
           artifacts = COALESCE($7::jsonb, artifacts), upload_results = COALESCE($8::jsonb, upload_results), updated_at = now() WHERE job_uuid = $1`,
        [uuid, status, comment, reason.slice(0, 100), extra.stdout ?? null, extra.stderr ?? null,
          extra.artifacts ? JSON.stringify(extra.artifacts) : null, extra.uploadResults ? JSON.stringify(extra.uploadResults) : null]);
    } catch (e) {
      this.logger.error({ err: e, jobUuid: uuid }, 'could not save the organic job outcome');
    }
    if (incident && !onTrusted) {
      await this.dataSource.query(
        `INSERT INTO miner_incident (type, hotkey_ss58address, job_uuid, executor_class) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [incident, hk, uuid, spec.executorClass]).catch((e: unknown) => this.logger.error({ err: e, jobUuid: uuid }, 'could not store miner incident'));
      this.metrics?.incidentReported(incident, hk, spec.executorClass);
    }
    const quiet = onTrusted && (await this.dynamic.get('DYNAMIC_DISABLE_TRUSTED_ORGANIC_JOB_EVENTS'));
    // The reference writes the validator's hotkey as miner_hotkey here (a defect): we write the miner's.
    if (!quiet) void this.events.record({ ...event, description: comment, data: { job_uuid: uuid, miner_hotkey: hk } });
    await statusSent;
    return { status, comment, outcomeReason: reason, onTrustedMiner: onTrusted, minerHotkey: hk };
  }

  /** §6.7 with the newest manifest at or before the check time (deliberate fix: the reference takes the oldest). */
  private async isExcused(d: MinerMessageOf<'V0DeclineJobRequest'>, spec: OrganicJobSpec, minerHotkey: string, startedTimestamp: string | null): Promise<boolean> {
    if (startedTimestamp === null) return false;
    const checkTimeUs = datetimeToEpochMicros(startedTimestamp);
    const minStake = await this.dynamic.get('DYNAMIC_MINIMUM_VALIDATOR_STAKE_FOR_EXCUSE');
    const rows: { hotkey: string }[] = await this.dataSource.query(
      `SELECT hotkey FROM miner WHERE in_metagraph AND stake >= $1 ORDER BY stake DESC LIMIT 24`,
      [BigInt(Math.ceil(minStake * 1e9)).toString()]);
    const allowed = new Set([...rows.map((r) => r.hotkey), BAC_VALIDATOR_SS58_ADDRESS, this.hotkey.ss58]);
    const valid = filterValidExcuseReceipts(d.receipts, {
      minerHotkey, declinedJobUuid: spec.uuid, executorClass: spec.executorClass, checkTimeUs, declinedJobIsSynthetic: false, allowedValidators: allowed,
    });
    const expected = await this.manifests.executorCountAt(minerHotkey, spec.executorClass, new Date(Number(checkTimeUs / 1000n)));
    return valid.length >= expected;
  }

  private async createJobRow(spec: OrganicJobSpec, route: JobRoute): Promise<void> {
    const known: unknown[] = await this.dataSource.query(`SELECT 1 FROM miner WHERE hotkey = $1`, [route.miner.hotkey]);
    if (known.length === 0) await this.dataSource.query(`INSERT INTO miner (hotkey) VALUES ($1) ON CONFLICT (hotkey) DO NOTHING`, [route.miner.hotkey]);
    // The job's block places it in a scoring window: the latest head the chain client has seen.
    const block = this.config.jobs.DEBUG_USE_MOCK_BLOCK_NUMBER
      ? 5136476 + Math.floor((this.clock.now() / 1000 - 1742076533) / 12)
      : (this.chain?.lastHead?.number ?? null);
    if (block === null) this.logger.warn({ jobUuid: spec.uuid }, 'no chain head known yet: the organic job gets no block and will not be scored');
    await this.dataSource.query(
      `INSERT INTO organic_job (job_uuid, miner_id, miner_address, miner_address_ip_version, miner_port, executor_class, status, job_description,
         namespace, block, on_trusted_miner, streaming_details, allowance_reservation_id, allowance_blocks, allowance_job_value)
       SELECT $1, id, $3, $4, $5, $6, 'PENDING', $7, $8, $9, $10, $11::jsonb, $12, $13::bigint[], $14 FROM miner WHERE hotkey = $2`,
      [spec.uuid, route.miner.hotkey, route.miner.address, route.miner.ipVersion, route.miner.port, spec.executorClass, spec.jobDescription,
        spec.namespace?.slice(0, 100) ?? null, block, route.kind === 'trusted', spec.streamingDetails ? JSON.stringify(spec.streamingDetails) : null,
        route.allowanceReservationId?.toString() ?? null, route.allowanceBlocks, route.allowanceJobValue ?? 0]);
  }

  private onMinerNotice(m: MinerToValidatorMessage, jobUuid: string, minerHotkey: string): void {
    if (m.message_type === 'GenericError') {
      void this.events.record({ type: 'MINER_ORGANIC_JOB_FAILURE', subtype: 'GENERIC_ERROR', description: `miner sent GenericError: ${String(m.details ?? '')}`.slice(0, 1000), data: { job_uuid: jobUuid, miner_hotkey: minerHotkey } });
    } else if (m.message_type === 'UnauthorizedError') {
      void this.events.record({ type: 'MINER_ORGANIC_JOB_FAILURE', subtype: 'UNAUTHORIZED', description: `miner refused us: ${m.code} ${String(m.details ?? '')}`.slice(0, 1000), data: { job_uuid: jobUuid, miner_hotkey: minerHotkey } });
    }
  }

  private receiptSendError(jobUuid: string, minerHotkey: string, type: string, reason: string): void {
    void this.events.record({ type: 'RECEIPT_FAILURE', subtype: 'RECEIPT_SEND_ERROR', description: `could not send ${type}: ${reason}`, data: { job_uuid: jobUuid, miner_hotkey: minerHotkey } });
  }
}
