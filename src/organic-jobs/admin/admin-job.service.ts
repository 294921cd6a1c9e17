import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isExecutorClass } from '../../protocol';
import type { JobStatusUpdate } from '../../protocol/facilitator';
import { MinerDriverService } from '../driver/miner-driver.service';
import { BlacklistService } from '../trust/blacklist.service';
import { AdminJobMinerRow, AdminJobRequestRepository } from '../persistence/admin-job-request.repository';
import { shellSplit } from './shell-split';

export interface AdminJobOptions {
  minerHotkey?: string;
  executorClass: string;
  timeout: number;
  dockerImage: string;
  cmdArgs: string;
  useGpu: boolean;
  inputUrl?: string;
  outputUrl?: string;
}

export type AdminJobResult =
  | { ok: false; error: string }
  | { ok: true; jobUuid: string; status: string; comment: string };

/**
 * `debug-run-organic-job` (organic-jobs.md §9.3): one job straight to a miner in single-timeout mode,
 * bypassing facilitator, signatures, routing and collateral. No blacklisting.
 */
@Injectable()
export class AdminJobService {
  constructor(
    private readonly requests: AdminJobRequestRepository,
    private readonly driver: MinerDriverService,
    private readonly blacklist: BlacklistService,
  ) {}

  async run(o: AdminJobOptions, onStatus: (u: JobStatusUpdate) => void): Promise<AdminJobResult> {
    if (!isExecutorClass(o.executorClass)) return { ok: false, error: `unknown executor class ${o.executorClass}` };
    let args: string[];
    try {
      args = shellSplit(o.cmdArgs);
    } catch (e) {
      return { ok: false, error: `--cmd-args: ${(e as Error).message}` };
    }
    let miner: AdminJobMinerRow | undefined;
    if (o.minerHotkey) {
      miner = await this.requests.minerByHotkey(o.minerHotkey);
      if (!miner) return { ok: false, error: `Miner with hotkey ${o.minerHotkey} not found` };
      if (await this.blacklist.hasAnyRow(o.minerHotkey)) return { ok: false, error: `miner with hotkey ${o.minerHotkey} is blacklisted` };
    } else {
      miner = await this.requests.firstNeverBlacklistedMiner();
      if (!miner) return { ok: false, error: 'No miners found' };
    }
    const uuid = randomUUID();
    await this.requests.insert({
      uuid, minerId: miner.id, executorClass: o.executorClass, timeout: o.timeout, dockerImage: o.dockerImage, args: o.cmdArgs,
      useGpu: o.useGpu, inputUrl: o.inputUrl ?? '', outputUrl: o.outputUrl ?? '',
    });
    const result = await this.driver.drive({
      spec: {
        uuid, executorClass: o.executorClass, dockerImage: o.dockerImage, args, env: {}, useGpu: o.useGpu,
        volume: o.inputUrl ? { volume_type: 'zip_url', contents: o.inputUrl, relative_path: null } : null,
        outputUpload: o.outputUrl ? { output_upload_type: 'zip_and_http_put', url: o.outputUrl } : null,
        artifactsDir: null, streamingDetails: null, limits: null, totalTimeout: o.timeout, namespace: o.dockerImage || null,
        jobDescription: 'Validator Job from Admin Panel',
      },
      route: {
        kind: 'debug', miner: { hotkey: miner.hotkey, address: miner.address, port: Number(miner.port), ipVersion: Number(miner.ip_version) },
        allowanceBlocks: [], allowanceReservationId: null, allowanceJobValue: null,
      },
      onStatus: async (u) => onStatus(u),
    });
    return { ok: true, jobUuid: uuid, status: result.status, comment: result.comment };
  }
}

/** The lines debug-run-organic-job prints for one status update (§9.3 step 5). */
export function describeStatusUpdate(u: JobStatusUpdate): string[] {
  const lines = [`job status: ${u.status}`];
  const m = u.metadata;
  const details = m?.job_rejection_details ?? m?.job_failure_details ?? m?.horde_failure_details ?? null;
  if (details) lines.push(`reason: ${details.reason}`, `message: ${details.message}`);
  const stderr = m?.miner_response?.docker_process_stderr ?? m?.job_failure_details?.docker_process_stderr ?? '';
  const stdout = m?.miner_response?.docker_process_stdout ?? m?.job_failure_details?.docker_process_stdout ?? '';
  if (stderr) lines.push(`stderr: ${stderr}`);
  if (stdout) lines.push(`stdout: ${stdout}`);
  return lines;
}
