import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What issue 19's decisions and sign-in need from the schema (decisions 0046 and 0047):
 * - each history row says why (the reason code of a decision) and who held the flag before and
 *   after it, so a handover reads "from -> to" without replaying the history;
 * - sessions of the review console, issued for a bearer token: only the hash of the session id is
 *   stored, with its expiry; a session ends when it is signed out, expires, or its token dies.
 * The new history columns are nullable: rows written before them say nothing, which is the truth.
 */
export class DecisionReasonsAndSessions1765450000000 implements MigrationInterface {
  name = 'DecisionReasonsAndSessions1765450000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "flag_history"
         ADD COLUMN "reason_code" text CHECK ("reason_code" ~ '^[a-z][a-z0-9_]{1,39}$'),
         ADD COLUMN "from_assignee" text,
         ADD COLUMN "to_assignee" text`,
    );
    await q.query(`
      CREATE TABLE "api_sessions" (
        "id" uuid PRIMARY KEY,
        "token_id" uuid NOT NULL REFERENCES "api_tokens" ("id"),
        "session_hash" text NOT NULL UNIQUE CHECK ("session_hash" ~ '^[0-9a-f]{64}$'),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "expires_at" timestamptz NOT NULL,
        "last_seen_at" timestamptz NOT NULL DEFAULT now(),
        "ended_at" timestamptz,
        "ended_by" text,
        CHECK ("expires_at" > "created_at")
      )`);
    // "Sign out everywhere" and revocation end every live session of one token.
    await q.query(
      `CREATE INDEX "api_sessions_live_by_token_idx" ON "api_sessions" ("token_id") WHERE "ended_at" IS NULL`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "api_sessions"`);
    await q.query(
      `ALTER TABLE "flag_history" DROP COLUMN "reason_code", DROP COLUMN "from_assignee", DROP COLUMN "to_assignee"`,
    );
  }
}
