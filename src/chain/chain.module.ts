import { Module } from '@nestjs/common';

/** ChainModule: see README.md for its public interface. */
@Module({
  providers: [],
  exports: [],
})
export class ChainModule {}
