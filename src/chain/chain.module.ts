import { Module } from '@nestjs/common';
import { ChainConnector } from './chain-connector';
import { ChainService } from './chain.service';
import { ValidatorHotkey } from './validator-hotkey';
import { VALIDATOR_HOTKEY_PROVIDER } from './wallet/wallet-hotkey';
import { TimelockedWeightsService } from './weights/timelocked-weights.service';
import { WeightsExtrinsicsService } from './weights/weights-extrinsics.service';

/** ChainModule: see README.md for its public interface. */
@Module({
  providers: [ChainService, ChainConnector, VALIDATOR_HOTKEY_PROVIDER, WeightsExtrinsicsService, TimelockedWeightsService],
  exports: [ChainService, ValidatorHotkey, WeightsExtrinsicsService, TimelockedWeightsService],
})
export class ChainModule {}
