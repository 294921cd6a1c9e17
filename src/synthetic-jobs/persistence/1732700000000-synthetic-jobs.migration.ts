import { MigrationInterface, QueryRunner } from 'typeorm';

export class SyntheticJobs1732700000000 implements MigrationInterface {
  name = 'SyntheticJobs1732700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cycle (
        id bigserial PRIMARY KEY,
        start bigint NOT NULL,
        stop bigint NOT NULL,
        CONSTRAINT unique_cycle UNIQUE (start, stop)
      )`);
    await q.query(`
      CREATE TABLE synthetic_job_batch (
        id bigserial PRIMARY KEY,
        block bigint NOT NULL UNIQUE,
        cycle_id bigint NOT NULL REFERENCES cycle(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        accepting_results_until timestamptz,
        scored boolean NOT NULL DEFAULT false,
        is_missed boolean NOT NULL DEFAULT false,
        should_be_scored boolean NOT NULL DEFAULT true
      )`);
    await q.query(`CREATE INDEX synthetic_job_batch_cycle_idx ON synthetic_job_batch (cycle_id)`);
    await q.query(`
      CREATE TABLE synthetic_job (
        id bigserial PRIMARY KEY,
        job_uuid uuid NOT NULL UNIQUE,
        miner_id bigint NOT NULL REFERENCES miner(id) ON DELETE CASCADE,
        miner_address varchar(255) NOT NULL,
        miner_address_ip_version integer NOT NULL,
        miner_port integer NOT NULL,
        executor_class varchar(255) NOT NULL DEFAULT 'spin_up-4min.gpu-24gb',
        status text NOT NULL DEFAULT 'PENDING',
        updated_at timestamptz NOT NULL DEFAULT now(),
        comment text NOT NULL DEFAULT '',
        job_description text NOT NULL DEFAULT '',
        batch_id bigint NOT NULL REFERENCES synthetic_job_batch(id) ON DELETE CASCADE,
        score double precision NOT NULL DEFAULT 0,
        failure_kind varchar(64),
        receipts jsonb NOT NULL DEFAULT '[]'::jsonb
      )`);
    await q.query(`CREATE INDEX synthetic_job_batch_idx ON synthetic_job (batch_id)`);
    await q.query(`CREATE INDEX synthetic_job_miner_idx ON synthetic_job (miner_id)`);
    await q.query(`
      CREATE TABLE miner_manifest (
        id bigserial PRIMARY KEY,
        miner_id bigint NOT NULL REFERENCES miner(id) ON DELETE CASCADE,
        batch_id bigint REFERENCES synthetic_job_batch(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        executor_class varchar(255) NOT NULL,
        executor_count integer NOT NULL DEFAULT 0,
        online_executor_count integer NOT NULL DEFAULT 0,
        CONSTRAINT unique_miner_manifest UNIQUE (miner_id, batch_id, executor_class)
      )`);
    await q.query(`CREATE INDEX miner_manifest_created_idx ON miner_manifest (created_at)`);
    await q.query(`CREATE INDEX miner_manifest_miner_created_idx ON miner_manifest (miner_id, created_at)`);
    await q.query(`CREATE INDEX miner_manifest_batch_created_idx ON miner_manifest (batch_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE miner_manifest`);
    await q.query(`DROP TABLE synthetic_job`);
    await q.query(`DROP TABLE synthetic_job_batch`);
    await q.query(`DROP TABLE cycle`);
  }
}
