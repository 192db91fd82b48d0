import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scheduled jobs: a record of every run (one per job and tick), when each flag's SLA clock started
 * and whether it is overdue, when personal data was anonymised, and the stored daily summaries.
 */
export class ScheduledJobs1764800000000 implements MigrationInterface {
  name = 'ScheduledJobs1764800000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "job_runs" (
        "id" bigserial PRIMARY KEY,
        "job" text NOT NULL,
        "tick_at" timestamptz NOT NULL,
        "started_at" timestamptz NOT NULL DEFAULT now(),
        "finished_at" timestamptz,
        "outcome" text NOT NULL CHECK ("outcome" IN ('running', 'succeeded', 'failed', 'abandoned')),
        "items_processed" integer NOT NULL DEFAULT 0,
        "error" text,
        "replica" text NOT NULL,
        UNIQUE ("job", "tick_at")
      )`);
    await q.query(`CREATE INDEX "job_runs_job_started_idx" ON "job_runs" ("job", "started_at" DESC)`);

    // The SLA runs from the last time the flag entered the queue or changed severity.
    await q.query(`ALTER TABLE "flags" ADD "sla_started_at" timestamptz`);
    await q.query(`ALTER TABLE "flags" ADD "overdue_since" timestamptz`);
    await q.query(`UPDATE "flags" SET "sla_started_at" = "last_change_at"`);
    await q.query(`ALTER TABLE "flags" ALTER "sla_started_at" SET NOT NULL`);
    await q.query(
      `CREATE INDEX "flags_sla_idx" ON "flags" ("severity", "sla_started_at") WHERE "status" = 'open' AND "overdue_since" IS NULL`,
    );

    for (const table of ['reports', 'raw_sms_messages', 'submitted_reports']) {
      await q.query(`ALTER TABLE "${table}" ADD "anonymised_at" timestamptz`);
    }
    await q.query(`CREATE INDEX "reports_received_at_idx" ON "reports" ("received_at")`);
    await q.query(`CREATE INDEX "submitted_reports_stored_at_idx" ON "submitted_reports" ("stored_at")`);

    await q.query(`
      CREATE TABLE "daily_summaries" (
        "day" date PRIMARY KEY,
        "time_zone" text NOT NULL,
        "summary" jsonb NOT NULL,
        "generated_at" timestamptz NOT NULL DEFAULT now()
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "daily_summaries"`);
    await q.query(`DROP INDEX "submitted_reports_stored_at_idx"`);
    await q.query(`DROP INDEX "reports_received_at_idx"`);
    for (const table of ['reports', 'raw_sms_messages', 'submitted_reports']) {
      await q.query(`ALTER TABLE "${table}" DROP COLUMN "anonymised_at"`);
    }
    await q.query(`DROP INDEX "flags_sla_idx"`);
    await q.query(`ALTER TABLE "flags" DROP COLUMN "overdue_since"`);
    await q.query(`ALTER TABLE "flags" DROP COLUMN "sla_started_at"`);
    await q.query(`DROP TABLE "job_runs"`);
  }
}
