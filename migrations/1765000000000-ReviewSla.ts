import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The SLA clock now also restarts when a flag goes to a reviewer, so that a flag claimed and not
 * decided in time can be marked overdue. Flags in review when this runs get the clock they would
 * have had: their latest restart in history. The partial index serves the job's scan of them.
 */
export class ReviewSla1765000000000 implements MigrationInterface {
  name = 'ReviewSla1765000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE "flags" f SET "sla_started_at" = h.restarted_at
         FROM (SELECT "flag_id", max("occurred_at") AS restarted_at FROM "flag_history"
                WHERE ("change" IN ('opened', 'reopened', 'escalated', 'claimed', 'assigned', 'reassigned')
                       OR ("change" = 'raised' AND "to_status" = 'open'))
                  AND "flag_id" IN (SELECT "id" FROM "flags" WHERE "status" = 'in_review')
                GROUP BY "flag_id") h
        WHERE f."id" = h."flag_id" AND f."status" = 'in_review' AND h.restarted_at > f."sla_started_at"`,
    );
    await q.query(
      `CREATE INDEX "flags_review_sla_idx" ON "flags" ("severity", "sla_started_at") WHERE "status" = 'in_review' AND "overdue_since" IS NULL`,
    );
  }

  // The clocks moved forward stay where they are: the queue's escalation reads them only for open
  // flags. Overdue marks on flags in review go: the code before this counted every mark as unclaimed.
  public async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE "flags" SET "overdue_since" = NULL WHERE "status" <> 'open'`);
    await q.query(`DROP INDEX "flags_review_sla_idx"`);
  }
}
