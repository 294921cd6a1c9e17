import { MigrationInterface, QueryRunner } from 'typeorm';

export class CollateralSlash1733100000000 implements MigrationInterface {
  name = 'CollateralSlash1733100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE collateral_slash (
        job_uuid varchar(64) PRIMARY KEY,
        miner_hotkey varchar(255) NOT NULL,
        details text NOT NULL DEFAULT '',
        state varchar(16) NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        evm_address varchar(42),
        contract_address varchar(42),
        amount_wei numeric(78,0),
        tx_hash varchar(66),
        failure_reason varchar(64),
        last_error text,
        slashed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT collateral_slash_state_check CHECK (state IN ('pending', 'sent', 'succeeded', 'failed'))
      )`);
    await q.query(`CREATE INDEX collateral_slash_state_idx ON collateral_slash (state)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE collateral_slash`);
  }
}
