import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The abuse team's API: bearer tokens (only their hash is kept), an append-only audit log, and a
 * version on allowlist entries so two supervisors editing one entry cannot overwrite each other.
 */
export class AbuseTeamApi1764700000000 implements MigrationInterface {
  name = 'AbuseTeamApi1764700000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "api_tokens" (
        "id" uuid PRIMARY KEY,
        "name" text NOT NULL CHECK (length("name") BETWEEN 1 AND 64),
        "role" text NOT NULL CHECK ("role" IN ('agent', 'analyst', 'supervisor', 'admin')),
        "token_hash" text NOT NULL UNIQUE,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "created_by" text NOT NULL,
        "revoked_at" timestamptz,
        "revoked_by" text,
        "last_used_at" timestamptz
      )`);
    // One live token per name keeps "who did it" in the audit log unambiguous.
    await q.query(
      `CREATE UNIQUE INDEX "api_tokens_live_name_idx" ON "api_tokens" ("name") WHERE "revoked_at" IS NULL`,
    );

    await q.query(`
      CREATE TABLE "audit_log" (
        "id" bigserial PRIMARY KEY,
        "occurred_at" timestamptz NOT NULL DEFAULT now(),
        "actor_token_id" uuid,
        "actor" text NOT NULL,
        "actor_role" text,
        "action" text NOT NULL,
        "target_type" text NOT NULL CHECK ("target_type" IN ('flag', 'rule', 'allowlist', 'token', 'reporter')),
        "target_id" text NOT NULL,
        "request_id" text,
        "method" text,
        "path" text,
        "client_ip" text,
        "before" jsonb,
        "after" jsonb
      )`);
    await q.query(`CREATE INDEX "audit_log_target_idx" ON "audit_log" ("target_type", "target_id", "id")`);
    await q.query(`CREATE INDEX "audit_log_actor_idx" ON "audit_log" ("actor", "id")`);
    // Append-only whichever role connects: the triggers refuse UPDATE, DELETE and TRUNCATE even
    // to the table's owner, so only a database administrator dropping them, outside the
    // application, could rewrite history.
    await q.query(`
      CREATE FUNCTION "audit_log_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(
      `CREATE TRIGGER "audit_log_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`,
    );
    await q.query(
      `CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`,
    );
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "audit_log" FROM PUBLIC`);

    await q.query(`ALTER TABLE "allowlist" ADD "version" integer NOT NULL DEFAULT 1`);
    await q.query(`ALTER TABLE "allowlist" ADD "updated_at" timestamptz NOT NULL DEFAULT now()`);
    await q.query(`ALTER TABLE "allowlist" ADD "updated_by" text NOT NULL DEFAULT 'migration'`);
    await q.query(`CREATE INDEX "flags_assignee_idx" ON "flags" ("assignee") WHERE "assignee" IS NOT NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "flags_assignee_idx"`);
    await q.query(`ALTER TABLE "allowlist" DROP COLUMN "updated_by"`);
    await q.query(`ALTER TABLE "allowlist" DROP COLUMN "updated_at"`);
    await q.query(`ALTER TABLE "allowlist" DROP COLUMN "version"`);
    await q.query(`DROP TABLE "audit_log"`);
    await q.query(`DROP FUNCTION "audit_log_refuse_change"()`);
    await q.query(`DROP TABLE "api_tokens"`);
  }
}
