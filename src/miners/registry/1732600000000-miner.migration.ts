import { MigrationInterface, QueryRunner } from 'typeorm';

export class Miner1732600000000 implements MigrationInterface {
  name = 'Miner1732600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE miner (
        id bigserial PRIMARY KEY,
        hotkey varchar(255) NOT NULL UNIQUE,
        coldkey varchar(255),
        uid integer,
        address varchar(255) NOT NULL DEFAULT '0.0.0.0',
        ip_version integer NOT NULL DEFAULT 4,
        port integer NOT NULL DEFAULT 0,
        stake numeric(78,0) NOT NULL DEFAULT 0,
        validator_permit boolean NOT NULL DEFAULT false,
        in_metagraph boolean NOT NULL DEFAULT true,
        last_synced_block bigint,
        evm_address varchar(42),
        collateral_wei numeric(78,0) NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX miner_uid_idx ON miner (uid)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE miner`);
  }
}
