import { Injectable, Logger } from '@nestjs/common';
import { ValidatorHotkey } from '../../chain/validator-hotkey';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../config/clock';
import { DynamicConfigService } from '../../config/dynamic/dynamic-config.service';
import { MinerConnection } from '../../miners/connection';
import { TRUSTED_MINER_PSEUDO_HOTKEY } from '../../miners/registry/miner.entity';
import {
  buildMessage, canonicalDatetimeFromMs, jobAcceptedPayload, jobFinishedPayload, jobStartedPayload, signReceiptPayload, spinUpTimeSeconds,
  V0InitialJobRequest, V0JobAcceptedReceiptRequest, V0JobFinishedReceiptRequest, V0JobRequest,
  type MinerMessageOf, type MinerMessageType, type MinerToValidatorMessage, type V0JobFinishedRequest, type ValidatorToMinerMessage,
} from '../../protocol';
import type { TrustedJobSpec } from './llm-jobs';

export type TrustedJobOutcome =
  | { kind: 'completed'; finished: V0JobFinishedRequest }
  | { kind: 'declined'; reason: string; message: string }
  | { kind: 'failed'; comment: string };

const TERMINAL = ['V0DeclineJobRequest', 'V0JobFailedRequest', 'V0HordeFailedRequest', 'V0ExecutorFailedRequest', 'V0StreamingJobNotReadyRequest'] as const;

class Ended {
  constructor(readonly outcome: TrustedJobOutcome) {}
}

export interface TrustedMinerAddress {
  address: string;
  port: number;
}

/**
 * Runs one job on the operator's trusted miner through the organic single-timeout flow (spec §6.2):
 * job-started receipt TTL and accept deadline R, readiness deadline spin-up + E, then volumes ready,
 * execution done and job finished all within `total_job_timeout` of readiness. The miner hotkey is
 * the 48-zero pseudo key (the trusted miner runs in "local" mode). Never throws for what the miner does.
 */
@Injectable()
export class TrustedMinerClient {
  private readonly logger = new Logger(TrustedMinerClient.name);

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly dynamic: DynamicConfigService,
    private readonly hotkey: ValidatorHotkey,
  ) {}

  /** The configured trusted miner, or undefined when TRUSTED_MINER_ADDRESS / TRUSTED_MINER_PORT are unset. */
  get address(): TrustedMinerAddress | undefined {
    const { TRUSTED_MINER_ADDRESS: address, TRUSTED_MINER_PORT: port } = this.config.jobs;
    return address && port ? { address, port } : undefined;
  }

  async run(job: TrustedJobSpec): Promise<TrustedJobOutcome> {
    const target = this.address;
    if (!target) return { kind: 'failed', comment: 'trusted miner not configured (TRUSTED_MINER_ADDRESS / TRUSTED_MINER_PORT)' };
    const [R, E] = await Promise.all([this.dynamic.get('DYNAMIC_EXECUTOR_RESERVATION_TIME_LIMIT'), this.dynamic.get('DYNAMIC_EXECUTOR_STARTUP_TIME_LIMIT')]);
    const readinessS = spinUpTimeSeconds(job.executorClass) + E;
    const conn = new MinerConnection({
      minerHotkey: TRUSTED_MINER_PSEUDO_HOTKEY, address: target.address, port: target.port, validatorHotkey: this.hotkey, clock: this.clock,
      maxRetries: 3, reconnect: false,
    });
    const t0 = this.clock.now();
    const connected = await conn.connect();
    if (!connected.ok) {
      await conn.close();
      return { kind: 'failed', comment: `could not connect to the trusted miner ${target.address}:${target.port}: ${connected.failure.reason}` };
    }
    const validator = this.hotkey.ss58;
    const miner = TRUSTED_MINER_PSEUDO_HOTKEY;
    try {
      const send = async (msg: ValidatorToMinerMessage, what: string) => {
        const r = await conn.send(msg, { timeoutMs: 10_000 });
        if (!r.ok) throw new Ended({ kind: 'failed', comment: `sending ${what} failed: ${r.failure.reason}` });
      };
      const wait = async <T extends MinerMessageType>(type: T, timeoutMs: number, stage: string): Promise<MinerMessageOf<T>> => {
        const r = await conn.waitFor([type, ...TERMINAL] as MinerMessageType[], { timeoutMs: Math.max(0, timeoutMs), jobUuid: job.jobUuid, interrupt: [] });
        if (!r.ok) throw new Ended({ kind: 'failed', comment: r.failure.kind === 'timeout' ? `timed out waiting for ${stage}` : `${stage}: ${r.failure.reason}` });
        const m = r.message as MinerToValidatorMessage;
        if (m.message_type !== type) throw new Ended(terminalOutcome(m));
        return m as MinerMessageOf<T>;
      };

      const started = signReceiptPayload(this.hotkey.pair, jobStartedPayload({
        job_uuid: job.jobUuid, miner_hotkey: miner, validator_hotkey: validator, timestamp: canonicalDatetimeFromMs(this.clock.now()),
        executor_class: job.executorClass, is_organic: true, ttl: R,
      }));
      await send(buildMessage(V0InitialJobRequest, {
        job_uuid: job.jobUuid, executor_class: job.executorClass, docker_image: job.dockerImage, timeout_seconds: job.totalJobTimeoutSeconds,
        volume: job.volume, job_started_receipt_payload: started.payload, job_started_receipt_signature: started.signature,
        streaming_details: null, executor_timing: null,
      }), 'the initial job request');
      await wait('V0AcceptJobRequest', R * 1000, 'the accept response');

      const now = canonicalDatetimeFromMs(this.clock.now());
      const accepted = signReceiptPayload(this.hotkey.pair, jobAcceptedPayload({
        job_uuid: job.jobUuid, miner_hotkey: miner, validator_hotkey: validator, timestamp: now, time_accepted: now, ttl: readinessS + job.totalJobTimeoutSeconds,
      }));
      const sentReceipt = await conn.send(buildMessage(V0JobAcceptedReceiptRequest, { payload: accepted.payload, signature: accepted.signature }), { timeoutMs: 5000 });
      if (!sentReceipt.ok) this.logger.warn({ jobUuid: job.jobUuid, reason: sentReceipt.failure.reason }, 'could not send the job accepted receipt to the trusted miner');

      await wait('V0ExecutorReadyRequest', readinessS * 1000, 'executor readiness');
      const d0 = this.clock.now();
      await send(buildMessage(V0JobRequest, {
        job_uuid: job.jobUuid, executor_class: job.executorClass, docker_image: job.dockerImage, raw_script: null,
        docker_run_options_preset: 'nvidia_all', docker_run_cmd: job.dockerRunCmd, env: {}, volume: null, output_upload: job.outputUpload, artifacts_dir: null,
      }), 'the job request');
      const left = () => d0 + job.totalJobTimeoutSeconds * 1000 - this.clock.now();
      await wait('V0VolumesReadyRequest', left(), 'volumes ready');
      await wait('V0ExecutionDoneRequest', left(), 'execution done');
      const finished = await wait('V0JobFinishedRequest', left(), 'the job result');
      return { kind: 'completed', finished };
    } catch (e) {
      if (e instanceof Ended) return e.outcome;
      this.logger.error({ err: e, jobUuid: job.jobUuid }, 'unexpected error while running a job on the trusted miner');
      return { kind: 'failed', comment: `unexpected error: ${e instanceof Error ? e.message : String(e)}` };
    } finally {
      const finishedReceipt = signReceiptPayload(this.hotkey.pair, jobFinishedPayload({
        job_uuid: job.jobUuid, miner_hotkey: miner, validator_hotkey: validator, timestamp: canonicalDatetimeFromMs(this.clock.now()),
        time_started: canonicalDatetimeFromMs(t0), time_took_us: Math.floor((this.clock.now() - t0) * 1000),
        score_str: '0.000000', // as the organic driver does for trusted-miner routes
      }));
      await conn.send(buildMessage(V0JobFinishedReceiptRequest, { payload: finishedReceipt.payload, signature: finishedReceipt.signature }), { timeoutMs: 2000 });
      await conn.close();
    }
  }
}

function terminalOutcome(m: MinerToValidatorMessage): TrustedJobOutcome {
  switch (m.message_type) {
    case 'V0DeclineJobRequest':
      return { kind: 'declined', reason: m.reason, message: m.message };
    case 'V0JobFailedRequest':
      return { kind: 'failed', comment: `job failed (${m.reason}, stage ${m.stage}): ${m.message}` };
    case 'V0HordeFailedRequest':
      return { kind: 'failed', comment: `horde failed (${m.reason}, reported by ${m.reported_by}): ${m.message}` };
    default:
      return { kind: 'failed', comment: `miner reported ${m.message_type}` };
  }
}
