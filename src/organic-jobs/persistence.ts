import { OrganicJob } from './persistence/organic-job.entity';
import { MinerBlacklist } from './persistence/miner-blacklist.entity';
import { ValidatorWhitelist } from './persistence/validator-whitelist.entity';
import { MinerIncident } from './persistence/miner-incident.entity';
import { AdminJobRequest } from './persistence/admin-job-request.entity';
import { FacilitatorOutboxRow } from './persistence/facilitator-outbox.entity';
import { OrganicJobRequest } from './persistence/organic-job-request.entity';
import { OrganicJobs1732800000000 } from './persistence/1732800000000-organic-jobs.migration';
import { OrganicJobRequests1733412000000 } from './persistence/1733412000000-organic-job-requests.migration';

/** Entities and migrations this module owns (listed in src/app-schema.ts). */
export const ORGANIC_ENTITIES: Function[] = [OrganicJob, MinerBlacklist, ValidatorWhitelist, MinerIncident, AdminJobRequest, FacilitatorOutboxRow, OrganicJobRequest];
export const ORGANIC_MIGRATIONS: Function[] = [OrganicJobs1732800000000, OrganicJobRequests1733412000000];
