import { MigrationInterface, QueryRunner } from 'typeorm';

export class Receipts1732810000000 implements MigrationInterface {
  name = 'Receipts1732810000000';

  async up(q: QueryRunner): Promise<void> {
    const common = `
        id bigserial PRIMARY KEY,
        job_uuid uuid NOT NULL UNIQUE,
        validator_hotkey varchar(256) NOT NULL,
        miner_hotkey varchar(256) NOT NULL,
        validator_signature varchar(256) NOT NULL,
        miner_signature varchar(256),
        timestamp timestamptz NOT NULL,
        payload_blob text NOT NULL`;
    await q.query(`CREATE TABLE job_started_receipt (${common},
        executor_class varchar(255) NOT NULL DEFAULT 'spin_up-4min.gpu-24gb',
        is_organic boolean NOT NULL,
        ttl integer NOT NULL)`);
    await q.query(`CREATE TABLE job_accepted_receipt (${common},
        time_accepted timestamptz NOT NULL,
        ttl integer NOT NULL)`);
    await q.query(`CREATE TABLE job_finished_receipt (${common},
        time_started timestamptz NOT NULL,
        time_took_us bigint NOT NULL,
        score_str varchar(256) NOT NULL,
        block_numbers jsonb NOT NULL DEFAULT '[]')`);
    for (const t of ['job_started_receipt', 'job_accepted_receipt', 'job_finished_receipt']) {
      await q.query(`CREATE INDEX ${t}_ts_idx ON ${t} (timestamp)`);
      await q.query(`CREATE INDEX ${t}_miner_idx ON ${t} (miner_hotkey, timestamp)`);
    }
    await q.query(`CREATE TABLE receipt_transfer_checkpoint (url text PRIMARY KEY, position bigint NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE receipt_transfer_checkpoint`);
    for (const t of ['job_finished_receipt', 'job_accepted_receipt', 'job_started_receipt']) await q.query(`DROP TABLE ${t}`);
  }
}
