import { MigrationInterface, QueryRunner } from 'typeorm';

export class LlmPrompts1733000000000 implements MigrationInterface {
  name = 'LlmPrompts1733000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE prompt_series (
        id bigserial PRIMARY KEY,
        series_uuid uuid NOT NULL UNIQUE,
        s3_url varchar(1000) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        generator_version smallint NOT NULL CHECK (generator_version >= 0)
      )`);
    await q.query(`
      CREATE TABLE solve_workload (
        id bigserial PRIMARY KEY,
        workload_uuid uuid NOT NULL UNIQUE,
        seed bigint NOT NULL CHECK (seed >= 0 AND seed <= 4294967295),
        s3_url varchar(1000) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX solve_workload_finished_at_idx ON solve_workload (finished_at)`);
    await q.query(`
      CREATE TABLE prompt_sample (
        id bigserial PRIMARY KEY,
        series_id bigint NOT NULL REFERENCES prompt_series (id) ON DELETE CASCADE,
        workload_id bigint NOT NULL REFERENCES solve_workload (id) ON DELETE CASCADE,
        synthetic_job_uuid uuid,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT prompt_sample_series_workload_uniq UNIQUE (series_id, workload_id)
      )`);
    await q.query(`CREATE INDEX prompt_sample_unused_idx ON prompt_sample (synthetic_job_uuid, workload_id)`);
    await q.query(`CREATE INDEX prompt_sample_workload_idx ON prompt_sample (workload_id)`);
    await q.query(`
      CREATE TABLE prompt (
        id bigserial PRIMARY KEY,
        sample_id bigint NOT NULL REFERENCES prompt_sample (id) ON DELETE CASCADE,
        content text NOT NULL,
        answer text
      )`);
    await q.query(`CREATE INDEX prompt_sample_id_idx ON prompt (sample_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE prompt`);
    await q.query(`DROP TABLE prompt_sample`);
    await q.query(`DROP TABLE solve_workload`);
    await q.query(`DROP TABLE prompt_series`);
  }
}
