import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A token's name is the person in the audit log and in flag histories (assignee, actor), so a new
 * token that took a revoked token's name would inherit that person's reviews: names become unique
 * for ever, not only among live tokens. Revoked tokens that already share a name with another
 * token are renamed `name~<their id>` (the name cut to fit 64 characters): the tilde is outside
 * the alphabet new names may use, so the renamed ones can never collide again, and the audit log
 * keeps their token id.
 *
 * Tokens may also expire (`expires_at`, null for never): a token handed to a contractor for a
 * month should stop working without anyone remembering to revoke it.
 */
export class TokenNamesForEverAndExpiry1765320000000 implements MigrationInterface {
  name = 'TokenNamesForEverAndExpiry1765320000000';

  public async up(q: QueryRunner): Promise<void> {
    // The live token keeps the name; among revoked ones only, the latest does.
    await q.query(`
      UPDATE "api_tokens" t SET "name" = left(t."name", 27) || '~' || t."id"::text
      FROM (
        SELECT "id", row_number() OVER (
          PARTITION BY "name" ORDER BY ("revoked_at" IS NULL) DESC, "created_at" DESC, "id"
        ) AS "rank"
        FROM "api_tokens"
      ) ranked
      WHERE ranked."id" = t."id" AND ranked."rank" > 1`);
    await q.query(`DROP INDEX "api_tokens_live_name_idx"`);
    await q.query(`CREATE UNIQUE INDEX "api_tokens_name_idx" ON "api_tokens" ("name")`);
    await q.query(`ALTER TABLE "api_tokens" ADD "expires_at" timestamptz`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "api_tokens" DROP COLUMN "expires_at"`);
    await q.query(`DROP INDEX "api_tokens_name_idx"`);
    await q.query(
      `CREATE UNIQUE INDEX "api_tokens_live_name_idx" ON "api_tokens" ("name") WHERE "revoked_at" IS NULL`,
    );
  }
}
