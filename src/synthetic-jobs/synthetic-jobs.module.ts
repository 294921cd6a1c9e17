import { Module } from '@nestjs/common';

/** SyntheticJobsModule: see README.md for its public interface. */
@Module({
  providers: [],
  exports: [],
})
export class SyntheticJobsModule {}
