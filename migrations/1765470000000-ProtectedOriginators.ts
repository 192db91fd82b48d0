import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Protected originators and the spoofing flag (decision 0057). The numbers of banks, authorities
 * and the operator's own services, kept by supervisors through the API, replace the
 * PROTECTED_NUMBERS refusal at intake: reports about them are now accepted and counted, and their
 * flags are of the kind 'spoofing', which recommends investigating the origin and is never
 * actioned against the number. Existing flags were all raised against abusers: 'abuse'.
 *
 * The queue lists spoofing flags through a partial index of its own (the few of them would
 * otherwise be filtered out of a range of every flag), in the order of flags_queue_sla_idx.
 */
export class ProtectedOriginators1765470000000 implements MigrationInterface {
  name = 'ProtectedOriginators1765470000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "protected_originators" (
        "id" bigserial PRIMARY KEY,
        "number" text NOT NULL UNIQUE CHECK ("number" ~ '^\\+84[0-9]{3,11}$'),
        "name" text NOT NULL,
        "kind" text NOT NULL CHECK ("kind" IN ('bank', 'authority', 'operator_service', 'other')),
        "reason" text NOT NULL,
        "version" int NOT NULL DEFAULT 1,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "created_by" text NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "updated_by" text NOT NULL
      )`);
    await q.query(
      `ALTER TABLE "flags" ADD COLUMN "kind" text NOT NULL DEFAULT 'abuse' CHECK ("kind" IN ('abuse', 'spoofing'))`,
    );
    await q.query(
      `CREATE INDEX "flags_spoofing_queue_idx" ON "flags" ("status", "severity", "sla_started_at", "id")
         WHERE "kind" = 'spoofing'`,
    );
    // Every change to the list is audited, like the allowlist's.
    await q.query(`ALTER TABLE "audit_log" DROP CONSTRAINT "audit_log_target_type_check"`);
    await q.query(
      `ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_target_type_check"
         CHECK ("target_type" IN ('flag', 'rule', 'allowlist', 'protected_originator', 'token', 'reporter', 'submission', 'campaign'))`,
    );
  }

  // The audit log is append-only: its entries about the list stay, outside the narrower check.
  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "audit_log" DROP CONSTRAINT "audit_log_target_type_check"`);
    await q.query(
      `ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_target_type_check"
         CHECK ("target_type" IN ('flag', 'rule', 'allowlist', 'token', 'reporter', 'submission', 'campaign')) NOT VALID`,
    );
    await q.query(`DROP INDEX "flags_spoofing_queue_idx"`);
    await q.query(`ALTER TABLE "flags" DROP COLUMN "kind"`);
    await q.query(`DROP TABLE "protected_originators"`);
  }
}
