import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A miner row as debug-run-organic-job addresses it (pg gives the bigint id as text). */
export interface AdminJobMinerRow {
  id: string;
  hotkey: string;
  address: string;
  port: number;
  ip_version: number;
}

export interface NewAdminJobRequest {
  uuid: string;
  minerId: string;
  executorClass: string;
  timeout: number;
  dockerImage: string;
  args: string;
  useGpu: boolean;
  inputUrl: string;
  outputUrl: string;
}

/** The `admin_job_request` table and the miner reads of debug-run-organic-job (organic-jobs.md §9.3). */
@Injectable()
export class AdminJobRequestRepository {
  constructor(private readonly dataSource: DataSource) {}

  async minerByHotkey(hotkey: string): Promise<AdminJobMinerRow | undefined> {
    const rows: AdminJobMinerRow[] = await this.dataSource.query(`SELECT id::text AS id, hotkey, address, port, ip_version FROM miner WHERE hotkey = $1`, [hotkey]);
    return rows[0];
  }

  /** The first miner (by id) that was never blacklisted. */
  async firstNeverBlacklistedMiner(): Promise<AdminJobMinerRow | undefined> {
    const rows: AdminJobMinerRow[] = await this.dataSource.query(
      `SELECT id::text AS id, hotkey, address, port, ip_version FROM miner m
       WHERE NOT EXISTS (SELECT 1 FROM miner_blacklist b WHERE b.miner_id = m.id) ORDER BY m.id LIMIT 1`);
    return rows[0];
  }

  async insert(r: NewAdminJobRequest): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO admin_job_request (uuid, miner_id, executor_class, timeout, docker_image, args, env, use_gpu, input_url, output_url, status_message)
       VALUES ($1, $2, $3, $4, $5, $6, '{}', $7, $8, $9, 'Job successfully triggered')`,
      [r.uuid, r.minerId, r.executorClass, r.timeout, r.dockerImage, r.args, r.useGpu, r.inputUrl, r.outputUrl]);
  }
}
