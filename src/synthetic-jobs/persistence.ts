import { Cycle } from './persistence/cycle.entity';
import { SyntheticJobBatch } from './persistence/synthetic-job-batch.entity';
import { SyntheticJob } from './persistence/synthetic-job.entity';
import { MinerManifest } from './persistence/miner-manifest.entity';
import { SyntheticJobs1732700000000 } from './persistence/1732700000000-synthetic-jobs.migration';
import { SyntheticBatchInterrupted1733412100000 } from './persistence/1733412100000-synthetic-batch-interrupted.migration';

/** Entities and migrations this module owns (listed in src/app-schema.ts). */
export const SYNTHETIC_ENTITIES: Function[] = [Cycle, SyntheticJobBatch, SyntheticJob, MinerManifest];
export const SYNTHETIC_MIGRATIONS: Function[] = [SyntheticJobs1732700000000, SyntheticBatchInterrupted1733412100000];
