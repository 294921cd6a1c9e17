import { Injectable, Logger } from '@nestjs/common';
import { ValidatorHotkey } from '../chain/validator-hotkey';
import { DynamicConfigService } from '../config/dynamic/dynamic-config.service';
import { checkJobRequestSignature, END_STATUSES, JobStatusUpdate, V2JobRequest } from '../protocol/facilitator';
import { specFromJobRequest } from './driver/organic-job-spec';
import { MinerDriverService } from './driver/miner-driver.service';
import { interruptedUpdate } from './driver/outcome';
import { BlacklistService } from './trust/blacklist.service';
import { WhitelistService } from './trust/whitelist.service';
import { NoMinerForJob } from './routing/route';
import { RoutingService } from './routing/routing.service';

/** Which miner a status update is about (empty hotkey before routing), for the live feed. */
export interface JobContext {
  minerHotkey: string;
  executorClass: string;
}

export type StatusSink = (update: JobStatusUpdate, job?: JobContext) => Promise<void>;

export interface PipelineHooks {
  onRouted?: () => void;
  onInitialRequestSent?: () => void;
  onFinalMinerMessage?: () => void;
}

/** How `admit` ended: the job is ours (`received` sent), refused (end status sent), or already known (nothing sent). */
export type Admission = 'taken' | 'refused' | 'duplicate';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One facilitator job from request to final status (organic-jobs.md §4), in two steps: `admit`
 * (verify, store, `received`) and `run` (route, drive, blacklist after a failure). Every admitted job
 * ends with exactly one end-state update, also when `run` is aborted (validator shutdown).
 */
@Injectable()
export class OrganicJobPipeline {
  private readonly logger = new Logger(OrganicJobPipeline.name);
  private running = 0;

  constructor(
    private readonly hotkey: ValidatorHotkey,
    private readonly dynamic: DynamicConfigService,
    private readonly whitelist: WhitelistService,
    private readonly routing: RoutingService,
    private readonly driver: MinerDriverService,
    private readonly blacklist: BlacklistService,
  ) {}

  get inFlight(): number {
    return this.running;
  }

  /** Both steps at once (no journal): `received`, route, drive. */
  async handle(req: V2JobRequest, send: StatusSink, hooks: PipelineHooks = {}): Promise<void> {
    if ((await this.admit(req, send)) === 'taken') await this.run(req, send, { hooks });
  }

  /**
   * Verifies the request's signature and signer, stores it through `store` (false: a repeated request,
   * nothing is sent) and answers `received` only once it is stored. A request that cannot be stored
   * is refused: the validator never runs a job it could lose.
   */
  async admit(req: V2JobRequest, send: StatusSink, store?: () => Promise<boolean>): Promise<Admission> {
    const verdict = await checkJobRequestSignature(req, this.hotkey.ss58, (hk) => this.whitelist.contains(hk));
    if (!verdict.ok) {
      this.logger.warn({ jobUuid: req.uuid, reason: verdict.message }, 'job request refused');
      await send({ uuid: req.uuid, status: 'rejected', metadata: { job_rejection_details: { rejected_by: 'validator', reason: 'invalid_signature', message: verdict.message, context: null } } });
      return 'refused';
    }
    if (store) {
      let stored: boolean;
      try {
        stored = await store();
      } catch (e) {
        this.logger.error({ err: e, jobUuid: req.uuid }, 'could not store the job request; refusing it');
        await send({
          uuid: req.uuid, status: 'rejected',
          metadata: { job_rejection_details: { rejected_by: 'validator', reason: 'unknown', message: 'The validator could not store the job request', context: null } },
        });
        return 'refused';
      }
      if (!stored) {
        this.logger.warn({ jobUuid: req.uuid }, 'job request for a job already taken on ignored');
        return 'duplicate';
      }
    }
    await send({ uuid: req.uuid, status: 'received', metadata: null });
    return 'taken';
  }

  /** Routes and drives an admitted job; ends with exactly one end status. */
  async run(req: V2JobRequest, send: StatusSink, opts: { hooks?: PipelineHooks; signal?: AbortSignal } = {}): Promise<void> {
    this.running++;
    try {
      await this.routeAndDrive(req, send, opts.hooks ?? {}, opts.signal);
    } finally {
      this.running--;
    }
  }

  private async routeAndDrive(req: V2JobRequest, send: StatusSink, hooks: PipelineHooks, signal: AbortSignal | undefined): Promise<void> {
    let ended = false;
    const job: JobContext = { minerHotkey: '', executorClass: req.executor_class };
    const tracked = async (u: JobStatusUpdate): Promise<void> => {
      if (END_STATUSES.includes(u.status)) {
        ended = true;
        // Free the executor before the facilitator hears the end: it may route the next job to this
        // miner at once, while the driver is still closing the connection and storing receipts.
        this.routing.release(req.uuid);
      }
      await send(u, job);
    };
    try {
      if (signal?.aborted) return await tracked(interruptedUpdate(req.uuid, 'validator_shutdown', 'received'));
      if (!UUID_RE.test(req.uuid)) throw new TypeError(`job uuid ${JSON.stringify(req.uuid.slice(0, 60))} is not a UUID`);
      const spec = specFromJobRequest(req);
      const route = await this.routing.pick({ uuid: req.uuid, executorClass: req.executor_class, onTrustedMiner: req.on_trusted_miner, executorSeconds: req.executorSeconds });
      job.minerHotkey = route.miner.hotkey;
      hooks.onRouted?.();
      const result = await this.driver.drive({ spec, route, onStatus: tracked, signal, onInitialRequestSent: hooks.onInitialRequestSent, onFinalMinerMessage: hooks.onFinalMinerMessage });
      if (result.status === 'FAILED' && result.minerAtFault && !result.onTrustedMiner) {
        const seconds = await this.dynamic.get('DYNAMIC_JOB_FAILURE_BLACKLIST_TIME_SECONDS');
        await this.blacklist.blacklist({ minerHotkey: result.minerHotkey, jobUuid: req.uuid, reason: 'JOB_FAILED', seconds, details: result.comment });
        this.routing.invalidate();
      }
    } catch (e) {
      if (ended) {
        this.logger.error({ err: e, jobUuid: req.uuid }, 'organic job failed after its end status');
      } else if (e instanceof NoMinerForJob) {
        await tracked({
          uuid: req.uuid, status: 'rejected',
          metadata: { job_rejection_details: { rejected_by: 'validator', reason: 'no_miner_for_job', message: 'Job could not be routed to a miner', context: { exception_type: e.exceptionType } } },
        });
      } else {
        this.logger.error({ err: e, jobUuid: req.uuid }, 'organic job failed outside the miner driver');
        await tracked({
          uuid: req.uuid, status: 'horde_failed',
          metadata: { horde_failure_details: { reported_by: 'validator', reason: 'unhandled_exception', message: 'Unhandled exception', context: { exception_type: e instanceof Error ? e.constructor.name : typeof e } } },
        });
      }
    } finally {
      this.routing.release(req.uuid);
    }
  }
}
