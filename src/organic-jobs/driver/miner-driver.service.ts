import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { StaticValidatorHotkey, ValidatorHotkey } from '../../chain/validator-hotkey';
import { Clock } from '../../config/clock';
import { DynamicConfigService } from '../../config/dynamic/dynamic-config.service';
import { defaultMinerConnectionFactory, MINER_CONNECTION_FACTORY, type MinerConnectionApi, type MinerConnectionFactory } from '../../miners/connection';
import {
  buildMessage, canonicalDatetimeFromMs, jobAcceptedPayload, jobFinishedPayload, jobStartedPayload,
  MinerMessageOf, MinerMessageType, MinerToValidatorMessage, signReceiptPayload, spinUpTimeSeconds, V0InitialJobRequest,
  V0JobAcceptedReceiptRequest, V0JobFinishedReceiptRequest, V0JobRequest, ValidatorToMinerMessage,
} from '../../protocol';
import { withFastSigning, type HordeFailureReason, type JsonRecord } from '../../protocol/facilitator';
import { ReceiptsService } from '../../receipts/receipts.service';
import type { DriveInput, DriveProgress, DriveResult } from './drive.types';
import { OrganicJobRecords } from './job-records.service';
import type { DriverOutcome } from './outcome';
import { driverTiming, scoreStr } from './timing';

export type { DriveInput, DriveResult } from './drive.types';

export interface DriverOptions {
  /** Connection attempts to the miner (reference 5; the reservation window is only 7 s). */
  connectRetries: number;
  retryBaseDelayMs: number;
  retryJitterMs: number;
}
export const DRIVER_OPTIONS = Symbol('DRIVER_OPTIONS');


const TERMINAL_TYPES = ['V0DeclineJobRequest', 'V0JobFailedRequest', 'V0HordeFailedRequest', 'V0ExecutorFailedRequest', 'V0StreamingJobNotReadyRequest'] as const;
type TerminalType = (typeof TERMINAL_TYPES)[number];

class StageEnded {
  constructor(readonly outcome: DriverOutcome) {}
}

/**
 * Drives one organic job on one miner (organic-jobs.md §6): runs every stage with its deadline and
 * sends and stores the three receipts. The job's row and what its outcome becomes (facilitator status,
 * row, incident, events) are OrganicJobRecords' (job-records.service.ts). Never throws for anything the
 * miner does.
 */
@Injectable()
export class MinerDriverService {
  private readonly logger = new Logger(MinerDriverService.name);
  private readonly options: DriverOptions;
  private readonly connect: MinerConnectionFactory;
  private fast: ValidatorHotkey | undefined;

  constructor(
    private readonly records: OrganicJobRecords,
    private readonly clock: Clock,
    private readonly dynamic: DynamicConfigService,
    private readonly hotkey: ValidatorHotkey,
    private readonly receipts: ReceiptsService,
    @Optional() @Inject(DRIVER_OPTIONS) options?: Partial<DriverOptions>,
    @Optional() @Inject(MINER_CONNECTION_FACTORY) factory?: MinerConnectionFactory,
  ) {
    this.options = { connectRetries: 3, retryBaseDelayMs: 1000, retryJitterMs: 1000, ...options };
    this.connect = factory ?? defaultMinerConnectionFactory;
  }

  async drive(input: DriveInput): Promise<DriveResult> {
    const { spec } = input;
    // The row is written while the miner is being dialled; only the outcome waits for it.
    const rowWritten = this.records.createRow(spec, input.route).then(() => true, (e: unknown) => {
      this.logger.error({ err: e, jobUuid: spec.uuid }, 'could not create the organic job row');
      return false;
    });
    const progress: DriveProgress = { startedTimestamp: null, lastStatus: 'received' };
    const tracked: DriveInput = { ...input, onStatus: (u) => ((progress.lastStatus = u.status), input.onStatus(u)) };
    let outcome: DriverOutcome;
    try {
      outcome = await this.run(tracked, progress);
    } catch (e) {
      this.logger.error({ err: e, jobUuid: spec.uuid }, 'unexpected error while driving an organic job');
      outcome = { kind: 'exception', exceptionType: e instanceof Error ? e.constructor.name : typeof e, text: String(e) };
    }
    return this.records.finish(input, outcome, progress, rowWritten);
  }

  private async run(input: DriveInput, progress: DriveProgress): Promise<DriverOutcome> {
    const { spec, route, signal } = input;
    const interrupted = (): DriverOutcome => ({ kind: 'interrupted', lastStatus: progress.lastStatus });
    if (signal?.aborted) return interrupted();
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
    const conn: MinerConnectionApi = this.connect({
      minerHotkey, address: route.miner.address, port: route.miner.port, validatorHotkey: signer, clock: this.clock,
      maxRetries: this.options.connectRetries, retryBaseDelayMs: this.options.retryBaseDelayMs, retryJitterMs: this.options.retryJitterMs,
      reconnect: false,
      onMessage: (m) => this.records.minerNotice(m, spec.uuid, minerHotkey),
    });
    const connected = await conn.connect({ signal });
    if (!connected.ok) {
      await conn.close();
      return connected.failure.kind === 'aborted' ? interrupted() : { kind: 'connection-failed', text: connected.failure.reason };
    }

    let finishedOk: { blockNumbers: number[]; value: number } | null = null;
    try {
      const send = async (msg: ValidatorToMinerMessage, what: string): Promise<void> => {
        const r = await conn.send(msg, { timeoutMs: 10_000, signal });
        if (!r.ok) throw new StageEnded(r.failure.kind === 'aborted' ? interrupted() : { kind: 'connection-failed', text: `${what}: ${r.failure.reason}` });
      };
      const wait = async <T extends MinerMessageType>(type: T, timeoutMs: number, reason: HordeFailureReason): Promise<MinerMessageOf<T>> => {
        const r = await conn.waitFor([type, ...TERMINAL_TYPES] as MinerMessageType[], { timeoutMs: Math.max(0, timeoutMs), jobUuid: spec.uuid, interrupt: [], signal });
        if (!r.ok) {
          if (r.failure.kind === 'aborted') throw new StageEnded(interrupted());
          if (r.failure.kind === 'timeout') {
            const garbage = conn.failures.filter((f) => f.kind === 'unparseable');
            const note = garbage.length ? `miner sent ${garbage.length} malformed frame(s), last: ${garbage[garbage.length - 1].reason}`.slice(0, 500) : undefined;
            throw new StageEnded({ kind: 'timeout', reason, note });
          }
          throw new StageEnded({ kind: 'connection-failed', text: r.failure.reason });
        }
        const m = r.message as MinerToValidatorMessage;
        if ((TERMINAL_TYPES as readonly string[]).includes(m.message_type) && m.message_type !== type) throw new StageEnded(terminalOutcome(m as MinerMessageOf<TerminalType>));
        return m as MinerMessageOf<T>;
      };

      // 1. initial request with the JobStarted receipt
      const started = signReceiptPayload(signer.pair, jobStartedPayload({
        job_uuid: spec.uuid, miner_hotkey: minerHotkey, validator_hotkey: validator, timestamp: canonicalDatetimeFromMs(this.clock.now()),
        executor_class: spec.executorClass, is_organic: true, ttl: R,
      }));
      progress.startedTimestamp = started.payload.timestamp;
      await send(buildMessage(V0InitialJobRequest, {
        job_uuid: spec.uuid, executor_class: spec.executorClass, docker_image: spec.dockerImage, timeout_seconds: spec.totalTimeout,
        volume: spec.volume, job_started_receipt_payload: started.payload, job_started_receipt_signature: started.signature,
        streaming_details: spec.streamingDetails,
        executor_timing: spec.limits
          ? { allowed_leeway: L, download_time_limit: spec.limits.download, execution_time_limit: spec.limits.execution, upload_time_limit: spec.limits.upload, streaming_start_time_limit: spec.limits.streaming }
          : null,
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
      else this.records.receiptSendError(spec.uuid, minerHotkey, 'JobAcceptedReceipt', sentAccepted.failure.reason);

      await wait('V0ExecutorReadyRequest', timing.readinessWait * 1000, 'executor_readiness_response_timed_out');
      await input.onStatus({ uuid: spec.uuid, status: 'executor_ready', metadata: null });

      // 3. job request; the deadline D starts now
      const d0 = this.clock.now();
      await send(buildMessage(V0JobRequest, {
        job_uuid: spec.uuid, executor_class: spec.executorClass, docker_image: spec.dockerImage, raw_script: null,
        docker_run_options_preset: spec.useGpu ? 'nvidia_all' : 'none', docker_run_cmd: spec.args, env: spec.env, volume: null,
        output_upload: spec.outputUpload, artifacts_dir: spec.artifactsDir,
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
      else this.records.receiptSendError(spec.uuid, minerHotkey, 'JobFinishedReceipt', sent.failure.reason);
      void conn.close();
    }
  }

  /** The validator hotkey with sr25519 signing in wasm (every job signs an auth message and three receipts). */
  private signingHotkey(): ValidatorHotkey {
    if (!this.fast) this.fast = new StaticValidatorHotkey(withFastSigning(this.hotkey.pair));
    return this.fast;
  }


}

function terminalOutcome(m: MinerMessageOf<TerminalType>): DriverOutcome {
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
