import { Module } from '@nestjs/common';
import { EvictionService } from './eviction.service';

/** Daily data retention (daemon) and the service behind `validator-cli evict-old-data`. */
@Module({ providers: [EvictionService], exports: [EvictionService] })
export class EvictionModule {}
