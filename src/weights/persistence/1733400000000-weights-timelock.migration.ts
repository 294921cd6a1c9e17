import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Timelocked weights (issue 14): which extrinsic carried a row's weights, and for a drand timelocked
 * commit the round and the blocks in which the chain reveals it.
 */
export class WeightsTimelock1733400000000 implements MigrationInterface {
  name = 'WeightsTimelock1733400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE weights
        ADD COLUMN path text,
        ADD COLUMN reveal_round bigint,
        ADD COLUMN commit_epoch bigint,
        ADD COLUMN first_reveal_block bigint,
        ADD COLUMN last_reveal_block bigint`);
    await q.query(`UPDATE weights SET path = 'set_weights' WHERE mode = 'set_weights' AND status = 'set'`);
    await q.query(`UPDATE weights SET path = 'commit_weights' WHERE mode = 'commit_reveal' AND status IN ('committed', 'revealed', 'expired')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE weights DROP COLUMN path, DROP COLUMN reveal_round, DROP COLUMN commit_epoch, DROP COLUMN first_reveal_block, DROP COLUMN last_reveal_block`);
  }
}
