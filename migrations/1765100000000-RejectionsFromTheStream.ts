import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ingest no longer writes a row per raw message (docs/decisions/0025): the raw message stays on
 * its topic, accepted reports are stored by the aggregator, and rejections, which the daily
 * summary and retention need, are stored by the aggregator from reports.rejected in this table.
 * The rejections already stored move here; raw_sms_messages and submitted_reports keep what they
 * hold (retention still anonymises it) and receive nothing new.
 */
export class RejectionsFromTheStream1765100000000 implements MigrationInterface {
  name = 'RejectionsFromTheStream1765100000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "rejected_reports" (
        "channel" text NOT NULL CONSTRAINT "rejected_reports_channel_check" CHECK ("channel" IN ('sms', 'hotline')),
        "source_id" text NOT NULL,
        "short_code" text,
        "reporter" text NOT NULL,
        "reason" text NOT NULL,
        "received_at" timestamptz NOT NULL,
        "stored_at" timestamptz NOT NULL DEFAULT now(),
        "anonymised_at" timestamptz,
        PRIMARY KEY ("channel", "source_id")
      )`);
    await q.query(`CREATE INDEX "rejected_reports_received_at_idx" ON "rejected_reports" ("received_at")`);
    await q.query(
      `CREATE INDEX "rejected_reports_to_anonymise_idx" ON "rejected_reports" ("received_at") WHERE "anonymised_at" IS NULL`,
    );
    await q.query(
      `INSERT INTO "rejected_reports" ("channel", "source_id", "short_code", "reporter", "reason", "received_at", "stored_at", "anonymised_at")
       SELECT 'sms', "message_id", "short_code", "reporter", "rejection_reason", "received_at", "stored_at", "anonymised_at"
         FROM "raw_sms_messages" WHERE "outcome" = 'rejected'`,
    );
    // A hotline submission's broker time was not kept; the time it was stored is within moments of it.
    await q.query(
      `INSERT INTO "rejected_reports" ("channel", "source_id", "short_code", "reporter", "reason", "received_at", "stored_at", "anonymised_at")
       SELECT 'hotline', "submission_id", NULL,
              CASE WHEN "anonymised_at" IS NULL THEN coalesce("payload" ->> 'reporter', '') ELSE 'anonymised' END,
              "rejection_reason", "stored_at", "stored_at", "anonymised_at"
         FROM "submitted_reports" WHERE "outcome" = 'rejected'`,
    );
  }

  // The rows moved stay in the tables they came from; rejections stored since the upgrade are lost
  // (the code before this wrote them at ingest, and reads them only there).
  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "rejected_reports"`);
  }
}
