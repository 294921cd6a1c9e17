import { Module } from '@nestjs/common';
import { ChainModule } from '../chain/chain.module';
import { CycleScorer, SyntheticEraCycleScorer } from './scoring-inputs/cycle-scorer';
import { MainHotkeyQuerier, MinerMainHotkeyQuerier } from './scoring-inputs/main-hotkey-querier';
import { MainHotkeyResolver } from './scoring-inputs/main-hotkey.resolver';
import { ScoringInputsRepository } from './scoring-inputs/scoring-inputs.repository';
import { ChainWeightsAdapter } from './setting/chain-weights.adapter';
import { WeightSettingService } from './setting/weight-setting.service';
import { WeightsChainPort } from './setting/weights-chain.port';
import { WeightsScheduler } from './setting/weights.scheduler';
import { WeightsStore } from './setting/weights.store';
import { WeightsReadModel } from './weights.read-model';
import { WeightsMetrics } from './weights.metrics';

/** WeightsModule: see README.md for its public interface. */
@Module({
  imports: [ChainModule],
  providers: [
    ScoringInputsRepository,
    MainHotkeyResolver,
    { provide: MainHotkeyQuerier, useClass: MinerMainHotkeyQuerier },
    SyntheticEraCycleScorer,
    { provide: CycleScorer, useExisting: SyntheticEraCycleScorer },
    { provide: WeightsChainPort, useClass: ChainWeightsAdapter },
    WeightsStore,
    WeightSettingService,
    WeightsScheduler,
    WeightsReadModel,
    WeightsMetrics,
  ],
  exports: [WeightSettingService, CycleScorer, WeightsStore, WeightsReadModel],
})
export class WeightsModule {}
