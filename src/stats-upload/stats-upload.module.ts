import { Module } from '@nestjs/common';
import { ChainModule } from '../chain/chain.module';
import { StatsUploadService } from './stats-upload.service';

/** Uploads system events to the stats collector every 5 minutes (daemon only). */
@Module({ imports: [ChainModule], providers: [StatsUploadService], exports: [StatsUploadService] })
export class StatsUploadModule {}
