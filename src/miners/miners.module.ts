import { Module } from '@nestjs/common';

/** MinersModule: see README.md for its public interface. */
@Module({
  providers: [],
  exports: [],
})
export class MinersModule {}
