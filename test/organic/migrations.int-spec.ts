import { migratedPostgres } from '../support/postgres';

describe('organic and receipts tables', () => {
  it.each([['PostgreSQL', migratedPostgres]])('migrate on %s', async (_name, make) => {
    const db = await make();
    try {
      const rows: { table_name: string }[] = await db.dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`);
      const names = rows.map((r) => r.table_name);
      for (const t of ['organic_job', 'miner_blacklist', 'validator_whitelist', 'miner_incident', 'admin_job_request', 'facilitator_outbox',
        'job_started_receipt', 'job_accepted_receipt', 'job_finished_receipt', 'receipt_transfer_checkpoint']) expect(names).toContain(t);
    } finally {
      await db.close();
    }
  });
});
