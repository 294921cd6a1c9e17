import { MigrationInterface, QueryRunner } from 'typeorm';

/** The job intake journal (organic_job_request): issue 15, organic jobs survive any stop. */
export class OrganicJobRequests1733412000000 implements MigrationInterface {
  name = 'OrganicJobRequests1733412000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organic_job_request (
        job_uuid text PRIMARY KEY,
        request text,
        received_at timestamptz NOT NULL DEFAULT now(),
        final_status varchar(32),
        ended_at timestamptz,
        resumed integer NOT NULL DEFAULT 0
      )`);
    await q.query(`CREATE INDEX organic_job_request_unfinished_idx ON organic_job_request (received_at) WHERE ended_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS organic_job_request`);
  }
}
