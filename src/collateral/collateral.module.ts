import { Module } from '@nestjs/common';

/** CollateralModule: see README.md for its public interface. */
@Module({
  providers: [],
  exports: [],
})
export class CollateralModule {}
