import { Injectable, Logger } from '@nestjs/common';
import { ValidatorHotkey } from '../chain/validator-hotkey';
import { DynamicConfigService } from '../config/dynamic/dynamic-config.service';
import { checkJobRequestSignature, END_STATUSES, JobStatusUpdate, V2JobRequest } from '../protocol/facilitator';
import { specFromJobRequest } from './driver/job-spec';
import { MinerDriverService } from './driver/miner-driver.service';
import { BlacklistService } from './post/blacklist.service';
import { WhitelistService } from './post/whitelist.service';
import { NoMinerForJob } from './routing/route';
import { RoutingService } from './routing/routing.service';

export type StatusSink = (update: JobStatusUpdate) => Promise<void>;

export interface PipelineHooks {
  onRouted?: () => void;
  onInitialRequestSent?: () => void;
  onFinalMinerMessage?: () => void;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One facilitator job from request to final status (organic-jobs.md §4): verify, `received`, route,
 * drive, blacklist after a failure. Every path ends with exactly one end-state update.
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

  async handle(req: V2JobRequest, send: StatusSink, hooks: PipelineHooks = {}): Promise<void> {
    this.running++;
    try {
      await this.run(req, send, hooks);
    } finally {
      this.running--;
    }
  }

  private async run(req: V2JobRequest, send: StatusSink, hooks: PipelineHooks): Promise<void> {
    const verdict = await checkJobRequestSignature(req, this.hotkey.ss58, (hk) => this.whitelist.contains(hk));
    if (!verdict.ok) {
      this.logger.warn({ jobUuid: req.uuid, reason: verdict.message }, 'job request refused');
      await send({ uuid: req.uuid, status: 'rejected', metadata: { job_rejection_details: { rejected_by: 'validator', reason: 'invalid_signature', message: verdict.message, context: null } } });
      return;
    }
    await send({ uuid: req.uuid, status: 'received', metadata: null });
    let ended = false;
    const tracked: StatusSink = async (u) => {
      if (END_STATUSES.includes(u.status)) {
        ended = true;
        // Free the executor before the facilitator hears the end: it may route the next job to this
        // miner at once, while the driver is still closing the connection and storing receipts.
        this.routing.release(req.uuid);
      }
      await send(u);
    };
    try {
      if (!UUID_RE.test(req.uuid)) throw new TypeError(`job uuid ${JSON.stringify(req.uuid.slice(0, 60))} is not a UUID`);
      const route = await this.routing.pick({ uuid: req.uuid, executorClass: req.executor_class, onTrustedMiner: req.on_trusted_miner, executorSeconds: req.executorSeconds });
      hooks.onRouted?.();
      const result = await this.driver.drive({ spec: specFromJobRequest(req), route, onStatus: tracked, onInitialRequestSent: hooks.onInitialRequestSent, onFinalMinerMessage: hooks.onFinalMinerMessage });
      if (result.status === 'FAILED' && !result.onTrustedMiner) {
        const seconds = await this.dynamic.get('DYNAMIC_JOB_FAILURE_BLACKLIST_TIME_SECONDS');
        await this.blacklist.blacklist({ minerHotkey: result.minerHotkey, jobUuid: req.uuid, reason: 'JOB_FAILED', seconds, details: result.comment });
        this.routing.invalidate();
      }
    } catch (e) {
      if (e instanceof NoMinerForJob) {
        await tracked({
          uuid: req.uuid, status: 'rejected',
          metadata: { job_rejection_details: { rejected_by: 'validator', reason: 'no_miner_for_job', message: 'Job could not be routed to a miner', context: { exception_type: e.exceptionType } } },
        });
      } else {
        this.logger.error({ err: e, jobUuid: req.uuid }, 'organic job failed outside the miner driver');
        if (!ended) {
          await tracked({
            uuid: req.uuid, status: 'horde_failed',
            metadata: { horde_failure_details: { reported_by: 'validator', reason: 'unhandled_exception', message: 'Unhandled exception', context: { exception_type: e instanceof Error ? e.constructor.name : typeof e } } },
          });
        }
      }
    } finally {
      this.routing.release(req.uuid);
    }
  }
}
