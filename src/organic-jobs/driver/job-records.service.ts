import { Injectable, Logger, Optional } from '@nestjs/common';
import { ChainService } from '../../chain/chain.service';
import { ValidatorHotkey } from '../../chain/validator-hotkey';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../config/clock';
import { DynamicConfigService } from '../../config/dynamic/dynamic-config.service';
import { SystemEventsService } from '../../observability/system-events/system-events.service';
import { datetimeToEpochMicros, MinerMessageOf, MinerToValidatorMessage } from '../../protocol';
import { EXCUSE_RULES, filterValidExcuseReceipts, ORGANIC_EXCUSE_VALIDATOR_LIMIT, organicExcuseStakeFloorRao, organicExcuseValidators } from '../../protocol/excuses';
import { OrganicJobsMetrics } from '../organic-jobs.metrics';
import { OrganicJobRepository } from '../persistence/organic-job.repository';
import { ManifestSource } from '../routing/manifest-source';
import type { JobRoute } from '../routing/route';
import type { DriveInput, DriveProgress, DriveResult } from './drive.types';
import type { OrganicJobSpec } from './organic-job-spec';
import { describeOutcome, DriverOutcome } from './outcome';

/**
 * What an organic job leaves behind, apart from its receipts: its `organic_job` row (created PENDING
 * while the miner is dialled), and at the end the outcome mapped by `describeOutcome` (with the §6.7
 * excuse check of a busy decline) to the facilitator's status, the row, an incident (and its metric)
 * and a system event; plus the events of miner notices and unsent receipts during the job.
 */
@Injectable()
export class OrganicJobRecords {
  // The driver's logger name: operators' log queries keep matching.
  private readonly logger = new Logger('MinerDriverService');

  constructor(
    private readonly jobs: OrganicJobRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly dynamic: DynamicConfigService,
    private readonly hotkey: ValidatorHotkey,
    private readonly events: SystemEventsService,
    private readonly manifests: ManifestSource,
    @Optional() private readonly chain?: ChainService,
    @Optional() private readonly metrics?: OrganicJobsMetrics,
  ) {}

  async finish(input: DriveInput, outcome: DriverOutcome, progress: DriveProgress, rowWritten: Promise<boolean>): Promise<DriveResult> {
    const { spec, route } = input;
    const hk = route.miner.hotkey;
    const onTrusted = route.kind === 'trusted';
    const excused = outcome.kind === 'declined' && outcome.decline.reason === 'busy' && (await this.isExcused(outcome.decline, spec, hk, progress.startedTimestamp));
    const r = describeOutcome(outcome, { uuid: spec.uuid, minerHotkey: hk, minerAddress: route.miner.address, minerPort: route.miner.port, excused });

    // The facilitator hears the outcome first (the frame leaves at once); the row follows once the
    // status is queued, so a job whose row is final always has its end status in the outbox.
    await input.onStatus(r.update);
    await rowWritten;
    try {
      await this.jobs.saveOutcome(spec.uuid, { status: r.status, comment: r.comment, outcomeReason: r.reason, ...r.stored });
    } catch (e) {
      this.logger.error({ err: e, jobUuid: spec.uuid }, 'could not save the organic job outcome');
    }
    if (r.incident && !onTrusted) {
      await this.jobs.recordIncident(r.incident, hk, spec.uuid, spec.executorClass).catch((e: unknown) => this.logger.error({ err: e, jobUuid: spec.uuid }, 'could not store miner incident'));
      this.metrics?.incidentReported(r.incident, hk, spec.executorClass);
    }
    const quiet = onTrusted && (await this.dynamic.get('DYNAMIC_DISABLE_TRUSTED_ORGANIC_JOB_EVENTS'));
    // The reference writes the validator's hotkey as miner_hotkey here (a defect): we write the miner's.
    if (!quiet) void this.events.record({ ...r.event, description: r.comment, data: { job_uuid: spec.uuid, miner_hotkey: hk } });
    return { status: r.status, comment: r.comment, outcomeReason: r.reason, onTrustedMiner: onTrusted, minerHotkey: hk, minerAtFault: r.minerAtFault };
  }

  /** §6.7 with the newest polled manifest at or before the check time (deliberate fix: the reference takes the oldest). */
  private async isExcused(d: MinerMessageOf<'V0DeclineJobRequest'>, spec: OrganicJobSpec, minerHotkey: string, startedTimestamp: string | null): Promise<boolean> {
    if (startedTimestamp === null) return false;
    const checkTimeUs = datetimeToEpochMicros(startedTimestamp);
    const minStake = await this.dynamic.get('DYNAMIC_MINIMUM_VALIDATOR_STAKE_FOR_EXCUSE');
    const validators = await this.jobs.topStakedHotkeys(organicExcuseStakeFloorRao(minStake), ORGANIC_EXCUSE_VALIDATOR_LIMIT);
    const valid = filterValidExcuseReceipts(d.receipts, {
      minerHotkey, declinedJobUuid: spec.uuid, executorClass: spec.executorClass, checkTime: startedTimestamp,
      allowedValidators: organicExcuseValidators(validators, this.hotkey.ss58), ...EXCUSE_RULES.organic,
    });
    const expected = await this.manifests.executorCountAt(minerHotkey, spec.executorClass, new Date(Number(checkTimeUs / 1000n)));
    return valid.length >= expected;
  }

  async createRow(spec: OrganicJobSpec, route: JobRoute): Promise<void> {
    // The job's block places it in a scoring window: the latest head the chain client has seen.
    const block = this.config.jobs.DEBUG_USE_MOCK_BLOCK_NUMBER
      ? 5136476 + Math.floor((this.clock.now() / 1000 - 1742076533) / 12)
      : (this.chain?.lastHead?.number ?? null);
    if (block === null) this.logger.warn({ jobUuid: spec.uuid }, 'no chain head known yet: the organic job gets no block and will not be scored');
    await this.jobs.createPending({
      uuid: spec.uuid, minerHotkey: route.miner.hotkey, minerAddress: route.miner.address, minerIpVersion: route.miner.ipVersion, minerPort: route.miner.port,
      executorClass: spec.executorClass, jobDescription: spec.jobDescription, namespace: spec.namespace, block, onTrustedMiner: route.kind === 'trusted',
      streamingDetails: spec.streamingDetails ? { public_key: spec.streamingDetails.public_key, executor_ip: spec.streamingDetails.executor_ip ?? null } : null,
      allowanceReservationId: route.allowanceReservationId, allowanceBlocks: route.allowanceBlocks, allowanceJobValue: route.allowanceJobValue ?? 0,
    });
  }

  minerNotice(m: MinerToValidatorMessage, jobUuid: string, minerHotkey: string): void {
    if (m.message_type === 'GenericError') {
      void this.events.record({ type: 'MINER_ORGANIC_JOB_FAILURE', subtype: 'GENERIC_ERROR', description: `miner sent GenericError: ${String(m.details ?? '')}`.slice(0, 1000), data: { job_uuid: jobUuid, miner_hotkey: minerHotkey } });
    } else if (m.message_type === 'UnauthorizedError') {
      void this.events.record({ type: 'MINER_ORGANIC_JOB_FAILURE', subtype: 'UNAUTHORIZED', description: `miner refused us: ${m.code} ${String(m.details ?? '')}`.slice(0, 1000), data: { job_uuid: jobUuid, miner_hotkey: minerHotkey } });
    }
  }

  receiptSendError(jobUuid: string, minerHotkey: string, type: string, reason: string): void {
    void this.events.record({ type: 'RECEIPT_FAILURE', subtype: 'RECEIPT_SEND_ERROR', description: `could not send ${type}: ${reason}`, data: { job_uuid: jobUuid, miner_hotkey: minerHotkey } });
  }
}
