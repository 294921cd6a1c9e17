import { MigrationInterface, QueryRunner } from 'typeorm';

/** synthetic_job_batch.interrupted_at: a started batch whose results were never stored (issue 15). */
export class SyntheticBatchInterrupted1733412100000 implements MigrationInterface {
  name = 'SyntheticBatchInterrupted1733412100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE synthetic_job_batch ADD COLUMN interrupted_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE synthetic_job_batch DROP COLUMN interrupted_at`);
  }
}
