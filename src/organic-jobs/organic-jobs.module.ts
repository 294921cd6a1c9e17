import { Module } from '@nestjs/common';
import { ChainModule } from '../chain/chain.module';
import { CollateralModule } from '../collateral/collateral.module';
import { ReceiptsModule } from '../receipts/receipts.module';
import { MinerDriverService } from './driver/miner-driver.service';
import { FacilitatorClientService } from './facilitator/facilitator-client.service';
import { OrganicJobPipeline } from './organic-job-pipeline.service';
import { BlacklistService } from './post/blacklist.service';
import { CheatReportService } from './post/cheat-report.service';
import { WhitelistService } from './post/whitelist.service';
import { NoCollateralGate } from './routing/collateral-gate';
import { ManifestSource, MinerManifestTableSource } from './routing/manifest-source';
import { RoutingService } from './routing/routing.service';
import { AdminJobService } from './admin/admin-job.service';

/**
 * OrganicJobsModule: see README.md for its public interface. The CollateralGate comes from
 * CollateralModule (which falls back to "no collateral" when no contract is configured);
 * NoCollateralGate is the stand-alone default for setups without that module.
 */
@Module({
  imports: [ChainModule, ReceiptsModule, CollateralModule],
  providers: [
    NoCollateralGate,
    { provide: ManifestSource, useClass: MinerManifestTableSource },
    RoutingService,
    MinerDriverService,
    WhitelistService,
    BlacklistService,
    CheatReportService,
    OrganicJobPipeline,
    FacilitatorClientService,
    AdminJobService,
  ],
  exports: [FacilitatorClientService, OrganicJobPipeline, RoutingService, MinerDriverService, WhitelistService, BlacklistService, CheatReportService, ManifestSource, AdminJobService],
})
export class OrganicJobsModule {}
