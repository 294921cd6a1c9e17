import { MigrationInterface, QueryRunner } from 'typeorm';

export class DynamicConfigRemote1733200000000 implements MigrationInterface {
  name = 'DynamicConfigRemote1733200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dynamic_config_remote (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        origin text NOT NULL,
        fetched_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dynamic_config_remote`);
  }
}
