import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Appeals against actions taken on numbers (decision 0064). One row per appeal; at most one
 * pending per flag (a partial unique index, so two agents recording the same complaint at once
 * cannot both succeed). Pending appeals are read in the order of their due date, which the
 * partial index serves; an appeal's overdue state is computed from it, never stored, so it cannot
 * disagree with the clock. Roles live in code and tokens (the `agent` role already exists), so
 * the new appeal permissions need no change here.
 */
export class Appeals1765492000000 implements MigrationInterface {
  name = 'Appeals1765492000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "appeals" (
        "id" bigserial PRIMARY KEY,
        "flag_id" bigint NOT NULL REFERENCES "flags" ("id"),
        "reported_number" text NOT NULL,
        "statement" text NOT NULL CHECK (char_length("statement") BETWEEN 1 AND 2000),
        "channel" text NOT NULL CHECK ("channel" IN ('phone_call', 'shop', 'email', 'web_form', 'letter')),
        "appealed_action" text NOT NULL,
        "recorded_by" text NOT NULL,
        "received_at" timestamptz NOT NULL,
        "due_at" timestamptz NOT NULL,
        "status" text NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending', 'upheld', 'reversed')),
        "decided_by" text,
        "decided_at" timestamptz,
        "note" text,
        "version" int NOT NULL DEFAULT 1,
        CONSTRAINT "appeals_decided_has_who_and_when"
          CHECK (("status" = 'pending') = ("decided_by" IS NULL AND "decided_at" IS NULL AND "note" IS NULL)),
        CONSTRAINT "appeals_due_after_received" CHECK ("due_at" > "received_at")
      )`);
    await q.query(
      `CREATE UNIQUE INDEX "appeals_one_pending_per_flag" ON "appeals" ("flag_id") WHERE "status" = 'pending'`,
    );
    await q.query(
      `CREATE INDEX "appeals_pending_due_idx" ON "appeals" ("due_at", "id") WHERE "status" = 'pending'`,
    );
    await q.query(`CREATE INDEX "appeals_flag_idx" ON "appeals" ("flag_id", "id")`);
    // The summary counts the appeals that fell due on a day, whatever became of them.
    await q.query(`CREATE INDEX "appeals_due_idx" ON "appeals" ("due_at")`);
    await q.query(`ALTER TABLE "audit_log" DROP CONSTRAINT "audit_log_target_type_check"`);
    await q.query(
      `ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_target_type_check"
         CHECK ("target_type" IN ('flag', 'rule', 'allowlist', 'protected_originator', 'token', 'reporter', 'submission', 'campaign', 'appeal'))`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    // Audit rows about appeals stay (the log is append-only): the narrower check holds for new rows only.
    await q.query(`ALTER TABLE "audit_log" DROP CONSTRAINT "audit_log_target_type_check"`);
    await q.query(
      `ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_target_type_check"
         CHECK ("target_type" IN ('flag', 'rule', 'allowlist', 'protected_originator', 'token', 'reporter', 'submission', 'campaign')) NOT VALID`,
    );
    await q.query(`DROP TABLE "appeals"`);
  }
}
