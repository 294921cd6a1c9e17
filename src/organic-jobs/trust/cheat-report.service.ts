import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ValidatorHotkey } from '../../chain/validator-hotkey';
import { Clock } from '../../config/clock';
import { DynamicConfigService } from '../../config/dynamic/dynamic-config.service';
import { SystemEventsService } from '../../observability/system-events/system-events.service';
import { CheatSignatureMode, compactJson, treeToPlain, V0JobCheated, verifyCheatReportSignature } from '../../protocol/facilitator';
import { OrganicJobRepository } from '../persistence/organic-job.repository';
import { CollateralGate } from '../routing/collateral-gate';
import { BlacklistService } from './blacklist.service';
import { WhitelistService } from './whitelist.service';

export const CHEAT_SIGNATURE_MODE = Symbol('CHEAT_SIGNATURE_MODE');

export type CheatReportResult = 'accepted' | 'bad-signature' | 'unknown-job' | 'already-cheated' | 'not-completed';

/**
 * Cheat reports (organic-jobs.md §8). The signature check accepts what the SDK really signs (double
 * encoded) as well as the reference validator's single encoding; see the module README.
 */
@Injectable()
export class CheatReportService {
  private readonly logger = new Logger(CheatReportService.name);
  private readonly mode: CheatSignatureMode;

  constructor(
    private readonly jobs: OrganicJobRepository,
    private readonly clock: Clock,
    private readonly dynamic: DynamicConfigService,
    private readonly hotkey: ValidatorHotkey,
    private readonly events: SystemEventsService,
    private readonly blacklist: BlacklistService,
    private readonly whitelist: WhitelistService,
    private readonly collateral: CollateralGate,
    @Optional() @Inject(CHEAT_SIGNATURE_MODE) mode?: CheatSignatureMode,
  ) {
    this.mode = mode ?? 'sdk-compatible';
  }

  async handle(report: V0JobCheated): Promise<CheatReportResult> {
    const sig = report.signature;
    if ((sig.signatory !== this.hotkey.ss58 && !(await this.whitelist.contains(sig.signatory))) || !verifyCheatReportSignature(report, this.mode)) {
      this.logger.warn({ jobUuid: report.job_uuid, signatory: sig.signatory }, 'cheat report with an invalid signature ignored');
      return 'bad-signature';
    }
    const job = await this.jobs.findForCheatReport(report.job_uuid);
    if (!job) {
      this.logger.warn({ jobUuid: report.job_uuid }, 'cheat report for an unknown job ignored');
      return 'unknown-job';
    }
    if (job.cheated) return 'already-cheated';
    if (job.status !== 'COMPLETED') {
      this.logger.warn({ jobUuid: report.job_uuid, status: job.status }, 'cheat report for a job that did not complete ignored');
      return 'not-completed';
    }
    if (!(await this.jobs.markCheated(job.id, this.clock.nowDate()))) return 'already-cheated';
    const seconds = await this.dynamic.get('DYNAMIC_JOB_CHEATED_BLACKLIST_TIME_SECONDS');
    const details = compactJson(report.details);
    await this.blacklist.blacklist({ minerHotkey: job.hotkey, jobUuid: report.job_uuid, reason: 'JOB_CHEATED', seconds, details });
    void this.events.record({
      type: 'MINER_ORGANIC_JOB_FAILURE', subtype: 'JOB_CHEATED', description: `job ${report.job_uuid} reported as cheated`,
      data: { job_uuid: report.job_uuid, miner_hotkey: job.hotkey, trusted_job_uuid: report.trusted_job_uuid, cheat_details: treeToPlain(report.details) },
    });
    if (!job.slashed) {
      try {
        await this.collateral.slashForCheatedJob({ jobUuid: report.job_uuid, minerHotkey: job.hotkey, details });
      } catch (e) {
        this.logger.error({ err: e, jobUuid: report.job_uuid }, 'slashing the cheated job failed');
      }
    }
    return 'accepted';
  }
}
