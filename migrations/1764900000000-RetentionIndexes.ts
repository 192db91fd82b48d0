import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the scheduled jobs' scans: retention walks only rows not yet anonymised (so each
 * batch does not step over everything done before), and the quiet-number scans of reporters and
 * counters read by last_seen_at.
 */
export class RetentionIndexes1764900000000 implements MigrationInterface {
  name = 'RetentionIndexes1764900000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "reports_to_anonymise_idx" ON "reports" ("received_at") WHERE "anonymised_at" IS NULL`,
    );
    await q.query(
      `CREATE INDEX "raw_sms_messages_to_anonymise_idx" ON "raw_sms_messages" ("received_at") WHERE "anonymised_at" IS NULL`,
    );
    await q.query(
      `CREATE INDEX "submitted_reports_to_anonymise_idx" ON "submitted_reports" ("stored_at") WHERE "anonymised_at" IS NULL`,
    );
    await q.query(`CREATE INDEX "reporters_last_seen_idx" ON "reporters" ("last_seen_at")`);
    await q.query(
      `CREATE INDEX "subscriber_counters_quiet_idx" ON "subscriber_counters" ("last_seen_at") WHERE "reports_30d" > 0`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "subscriber_counters_quiet_idx"`);
    await q.query(`DROP INDEX "reporters_last_seen_idx"`);
    await q.query(`DROP INDEX "submitted_reports_to_anonymise_idx"`);
    await q.query(`DROP INDEX "raw_sms_messages_to_anonymise_idx"`);
    await q.query(`DROP INDEX "reports_to_anonymise_idx"`);
  }
}
