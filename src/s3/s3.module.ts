import { Module } from '@nestjs/common';
import { S3Service } from './s3.service';

/** S3Module: see README.md for its public interface. */
@Module({
  providers: [S3Service],
  exports: [S3Service],
})
export class S3Module {}
