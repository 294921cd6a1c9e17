import { Module } from '@nestjs/common';

/** OrganicJobsModule: see README.md for its public interface. */
@Module({
  providers: [],
  exports: [],
})
export class OrganicJobsModule {}
