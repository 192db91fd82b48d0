import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An allowlist entry may end (decision 0061): a dismissal that allowlists a number "for 90 days"
 * lets the rules look at it again afterwards. An ended entry stays listed, marked, until a
 * supervisor removes it: who allowlisted what, and why, stays readable. Existing entries have no
 * end, as before.
 */
export class AllowlistExpiry1765481000000 implements MigrationInterface {
  name = 'AllowlistExpiry1765481000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "allowlist" ADD COLUMN "expires_at" timestamptz`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "allowlist" DROP COLUMN "expires_at"`);
  }
}
