import { MigrationInterface, QueryRunner } from 'typeorm';

export class OrganicJobs1732800000000 implements MigrationInterface {
  name = 'OrganicJobs1732800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organic_job (
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
        stdout text NOT NULL DEFAULT '',
        stderr text NOT NULL DEFAULT '',
        error_type text,
        error_detail text,
        artifacts jsonb NOT NULL DEFAULT '{}',
        upload_results jsonb NOT NULL DEFAULT '{}',
        namespace varchar(100),
        cheated boolean NOT NULL DEFAULT false,
        cheat_reported_at timestamptz,
        slashed boolean NOT NULL DEFAULT false,
        slashed_at timestamptz,
        block bigint,
        on_trusted_miner boolean NOT NULL DEFAULT false,
        streaming_details jsonb,
        allowance_reservation_id bigint,
        allowance_blocks bigint[] DEFAULT '{}',
        allowance_job_value integer NOT NULL DEFAULT 0,
        outcome_reason varchar(100)
      )`);
    await q.query(`CREATE INDEX organic_job_block_idx ON organic_job (block)`);
    await q.query(`CREATE INDEX organic_job_miner_idx ON organic_job (miner_id)`);
    await q.query(`CREATE INDEX organic_job_updated_idx ON organic_job (updated_at)`);
    await q.query(`
      CREATE TABLE miner_blacklist (
        id bigserial PRIMARY KEY,
        miner_id bigint NOT NULL REFERENCES miner(id) ON DELETE CASCADE,
        blacklisted_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        reason text NOT NULL DEFAULT 'MANUAL',
        reason_details text NOT NULL DEFAULT ''
      )`);
    await q.query(`CREATE INDEX miner_blacklist_miner_idx ON miner_blacklist (miner_id)`);
    await q.query(`
      CREATE TABLE validator_whitelist (
        id bigserial PRIMARY KEY,
        hotkey varchar(255) NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE miner_incident (
        id bigserial PRIMARY KEY,
        type varchar(255) NOT NULL,
        timestamp timestamptz NOT NULL DEFAULT now(),
        hotkey_ss58address text NOT NULL,
        job_uuid uuid NOT NULL UNIQUE,
        executor_class varchar(255) NOT NULL,
        CONSTRAINT unique_miner_incident UNIQUE (hotkey_ss58address, job_uuid)
      )`);
    await q.query(`CREATE INDEX miner_incident_lookup_idx ON miner_incident (executor_class, timestamp)`);
    await q.query(`
      CREATE TABLE admin_job_request (
        id bigserial PRIMARY KEY,
        uuid uuid NOT NULL UNIQUE,
        miner_id bigint NOT NULL REFERENCES miner(id) ON DELETE RESTRICT,
        executor_class varchar(255) NOT NULL DEFAULT 'spin_up-4min.gpu-24gb',
        timeout integer NOT NULL DEFAULT 300 CHECK (timeout >= 0),
        docker_image varchar(255) NOT NULL,
        args text NOT NULL DEFAULT '',
        env jsonb NOT NULL DEFAULT '{}',
        use_gpu boolean NOT NULL DEFAULT false,
        input_url varchar(1000) NOT NULL DEFAULT '',
        output_url text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        status_message text NOT NULL DEFAULT ''
      )`);
    await q.query(`
      CREATE TABLE facilitator_outbox (
        id bigserial PRIMARY KEY,
        job_uuid text NOT NULL,
        status varchar(32) NOT NULL,
        frame text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        acked_at timestamptz,
        ack_error text,
        CONSTRAINT facilitator_outbox_once UNIQUE (job_uuid, status)
      )`);
    await q.query(`CREATE INDEX facilitator_outbox_pending_idx ON facilitator_outbox (id) WHERE acked_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE facilitator_outbox`);
    await q.query(`DROP TABLE admin_job_request`);
    await q.query(`DROP TABLE miner_incident`);
    await q.query(`DROP TABLE validator_whitelist`);
    await q.query(`DROP TABLE miner_blacklist`);
    await q.query(`DROP TABLE organic_job`);
  }
}
