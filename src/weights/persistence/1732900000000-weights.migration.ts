import { MigrationInterface, QueryRunner } from 'typeorm';

export class Weights1732900000000 implements MigrationInterface {
  name = 'Weights1732900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE miner_main_hotkey (
        id bigserial PRIMARY KEY,
        coldkey varchar(255) NOT NULL,
        cycle_start bigint NOT NULL,
        main_hotkey varchar(255),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT miner_main_hotkey_coldkey_cycle UNIQUE (coldkey, cycle_start)
      )`);
    await q.query(`
      CREATE TABLE weights (
        id bigserial PRIMARY KEY,
        cycle_start bigint NOT NULL,
        cycle_stop bigint NOT NULL,
        batch_id bigint,
        scored_at_block bigint NOT NULL,
        mode text NOT NULL,
        status text NOT NULL,
        uids integer[] NOT NULL,
        weights integer[] NOT NULL,
        float_weights jsonb NOT NULL,
        scores jsonb NOT NULL,
        salt integer[] NOT NULL,
        version_key bigint NOT NULL,
        commit_hash text,
        block bigint,
        attempts integer NOT NULL DEFAULT 0,
        reveal_attempts integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        revealed_at timestamptz,
        CONSTRAINT weights_one_per_cycle UNIQUE (cycle_start, cycle_stop)
      )`);
    await q.query(`CREATE INDEX weights_created_revealed_idx ON weights (created_at, revealed_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE weights`);
    await q.query(`DROP TABLE miner_main_hotkey`);
  }
}
