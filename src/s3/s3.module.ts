import { Module } from '@nestjs/common';

/** S3Module: see README.md for its public interface. */
@Module({
  providers: [],
  exports: [],
})
export class S3Module {}
