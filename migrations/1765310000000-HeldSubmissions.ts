import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every hotline submission an agent makes through the API, so that an agent's submissions per
 * hour can be counted where they enter; one over the agent's quota is held here, with its body,
 * until a supervisor releases it onto reports.submitted or refuses it (issue 16). Queued ones keep
 * no body: they are on the topic already, and the table should not become a second copy of
 * reporters' numbers.
 */
export class HeldSubmissions1765310000000 implements MigrationInterface {
  name = 'HeldSubmissions1765310000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "agent_submissions" (
        "id" bigserial PRIMARY KEY,
        "submission_key" text NOT NULL CONSTRAINT "agent_submissions_key_unique" UNIQUE,
        "agent_id" text NOT NULL,
        "report_id" uuid NOT NULL,
        "status" text NOT NULL
          CONSTRAINT "agent_submissions_status_check" CHECK ("status" IN ('queued', 'held', 'released', 'refused')),
        "submission" jsonb,
        "submitted_at" timestamptz NOT NULL DEFAULT now(),
        "decided_by" text,
        "decided_at" timestamptz,
        "note" text,
        CONSTRAINT "agent_submissions_held_has_body" CHECK ("status" = 'queued' OR "submission" IS NOT NULL)
      )`);
    await q.query(
      `CREATE INDEX "agent_submissions_agent_time_idx" ON "agent_submissions" ("agent_id", "submitted_at")`,
    );
    await q.query(
      `CREATE INDEX "agent_submissions_held_idx" ON "agent_submissions" ("submitted_at", "id") WHERE "status" = 'held'`,
    );
    await q.query(`ALTER TABLE "audit_log" DROP CONSTRAINT "audit_log_target_type_check"`);
    await q.query(
      `ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_target_type_check"
         CHECK ("target_type" IN ('flag', 'rule', 'allowlist', 'token', 'reporter', 'submission'))`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    // The audit log is append-only: its entries about submissions stay, unchecked (NOT VALID).
    await q.query(`ALTER TABLE "audit_log" DROP CONSTRAINT "audit_log_target_type_check"`);
    await q.query(
      `ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_target_type_check"
         CHECK ("target_type" IN ('flag', 'rule', 'allowlist', 'token', 'reporter')) NOT VALID`,
    );
    await q.query(`DROP TABLE "agent_submissions"`);
  }
}
