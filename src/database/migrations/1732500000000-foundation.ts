import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1732500000000 implements MigrationInterface {
  name = 'Foundation1732500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE system_event (
        id bigserial PRIMARY KEY,
        type varchar(255) NOT NULL,
        subtype varchar(255) NOT NULL,
        timestamp timestamptz NOT NULL DEFAULT now(),
        long_description text NOT NULL DEFAULT '',
        data jsonb NOT NULL,
        sent boolean NOT NULL DEFAULT false
      )`);
    await q.query(`CREATE INDEX system_event_timestamp_idx ON system_event (timestamp)`);
    await q.query(`CREATE INDEX system_event_unsent_idx ON system_event (id) WHERE NOT sent`);
    await q.query(`
      CREATE TABLE dynamic_config (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dynamic_config`);
    await q.query(`DROP TABLE system_event`);
  }
}
