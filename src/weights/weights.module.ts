import { Module } from '@nestjs/common';

/** WeightsModule: see README.md for its public interface. */
@Module({
  providers: [],
  exports: [],
})
export class WeightsModule {}
