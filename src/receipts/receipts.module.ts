import { Module } from '@nestjs/common';

/** ReceiptsModule: see README.md for its public interface. */
@Module({
  providers: [],
  exports: [],
})
export class ReceiptsModule {}
