import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The allowlist is read a page at a time, by pattern then kind (decision 0043): the unique index
 * (kind, pattern) does not serve that order, so every page sorted the whole list.
 */
export class AllowlistPages1765430000000 implements MigrationInterface {
  name = 'AllowlistPages1765430000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "allowlist_pattern_kind_idx" ON "allowlist" ("pattern", "kind")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "allowlist_pattern_kind_idx"`);
  }
}
