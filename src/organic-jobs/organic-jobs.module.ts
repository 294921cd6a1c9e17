import { Module } from '@nestjs/common';
import { ChainModule } from '../chain/chain.module';
import { ReceiptsModule } from '../receipts/receipts.module';
import { DRIVER_OPTIONS, MinerDriverService } from './driver/miner-driver.service';
import { OrganicJobRecords } from './driver/job-records.service';
import { FACILITATOR_CLIENT_OPTIONS, FacilitatorClientService } from './facilitator/facilitator-client.service';
import { OrganicJobPipeline } from './organic-job-pipeline.service';
import { BlacklistService } from './trust/blacklist.service';
import { CHEAT_SIGNATURE_MODE, CheatReportService } from './trust/cheat-report.service';
import { WhitelistService } from './trust/whitelist.service';
import { ManifestSource } from './routing/manifest-source';
import { MinerManifestTableSource } from './persistence/miner-manifest-table.source';
import { AdminJobRequestRepository } from './persistence/admin-job-request.repository';
import { MinerBlacklistRepository } from './persistence/miner-blacklist.repository';
import { RoutingReadModel } from './persistence/routing.read-model';
import { ValidatorWhitelistRepository } from './persistence/validator-whitelist.repository';
import { ROUTING_OPTIONS, RoutingService } from './routing/routing.service';
import { AdminJobService } from './admin/admin-job.service';
import { OrganicJobsReadModel } from './organic-jobs.read-model';
import { OrganicJobsMetrics } from './organic-jobs.metrics';
import { FacilitatorMetrics } from './facilitator/facilitator.metrics';
import { JobJournalRepository } from './persistence/job-journal.repository';
import { OrganicJobRepository } from './persistence/organic-job.repository';

/**
 * OrganicJobsModule: see README.md for its public interface. It injects the CollateralGate port
 * (routing/collateral-gate.ts) without importing collateral: the composition root binds it
 * (wiring/collateral-gate.binding.ts: ContractCollateralGate, or NoCollateralGate when collateral is off).
 */
@Module({
  imports: [ChainModule, ReceiptsModule],
  providers: [
    // Option tokens with empty values (defaults live in each service) so tests and benchmarks can override them.
    { provide: ROUTING_OPTIONS, useValue: {} },
    { provide: DRIVER_OPTIONS, useValue: {} },
    { provide: FACILITATOR_CLIENT_OPTIONS, useValue: {} },
    { provide: CHEAT_SIGNATURE_MODE, useValue: 'sdk-compatible' },
    OrganicJobRepository,
    JobJournalRepository,
    ValidatorWhitelistRepository,
    MinerBlacklistRepository,
    AdminJobRequestRepository,
    RoutingReadModel,
    { provide: ManifestSource, useClass: MinerManifestTableSource },
    RoutingService,
    OrganicJobRecords,
    MinerDriverService,
    WhitelistService,
    BlacklistService,
    CheatReportService,
    OrganicJobPipeline,
    FacilitatorClientService,
    AdminJobService,
    OrganicJobsReadModel,
    OrganicJobsMetrics,
    FacilitatorMetrics,
  ],
  exports: [OrganicJobsReadModel, FacilitatorClientService, OrganicJobPipeline, RoutingService, MinerDriverService, WhitelistService, BlacklistService, CheatReportService, ManifestSource, AdminJobService],
})
export class OrganicJobsModule {}
