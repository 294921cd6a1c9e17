import { Module } from '@nestjs/common';
import { ChainConnector } from './chain-connector';
import { ChainService } from './chain.service';
import { ChainReadModel } from './chain.read-model';
import { ChainMetrics } from './chain.metrics';
import { ValidatorHotkey } from './validator-hotkey';
import { VALIDATOR_HOTKEY_PROVIDER } from './wallet/wallet-hotkey';
import { TimelockedWeightsService } from './weights/timelocked-weights.service';
import { WeightsExtrinsicsService } from './weights/weights-extrinsics.service';

/** ChainModule: see README.md for its public interface. */
@Module({
  providers: [ChainService, ChainConnector, VALIDATOR_HOTKEY_PROVIDER, WeightsExtrinsicsService, TimelockedWeightsService, ChainReadModel, ChainMetrics],
  exports: [ChainService, ValidatorHotkey, WeightsExtrinsicsService, TimelockedWeightsService, ChainReadModel],
})
export class ChainModule {}
