import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Watch" becomes a decision (decision 0047): a watched flag leaves the queue until a rule fires on
 * a new report or its watch date passes. The date is the flag's, not the state machine's: the
 * scheduler finds the flags whose date has passed through the partial index. No CHECK ties the
 * date to the status: flags are written by an upsert whose candidate row (without the date) is
 * checked before the conflict is resolved; the API writes the date in the decision's transaction.
 */
export class WatchedFlags1765451000000 implements MigrationInterface {
  name = 'WatchedFlags1765451000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "flags" DROP CONSTRAINT "flags_status_check"`);
    await q.query(
      `ALTER TABLE "flags" ADD CONSTRAINT "flags_status_check"
         CHECK ("status" IN ('open', 'in_review', 'actioned', 'dismissed', 'expired', 'watched'))`,
    );
    await q.query(`ALTER TABLE "flags" ADD COLUMN "watch_until" timestamptz`);
    await q.query(
      `CREATE INDEX "flags_watch_until_idx" ON "flags" ("watch_until") WHERE "status" = 'watched'`,
    );
  }

  // Watched flags go back to the queue: the status they leave would otherwise break the check.
  public async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE "flags" SET "status" = 'open', "assignee" = NULL WHERE "status" = 'watched'`);
    await q.query(`DROP INDEX "flags_watch_until_idx"`);
    await q.query(`ALTER TABLE "flags" DROP COLUMN "watch_until"`);
    await q.query(`ALTER TABLE "flags" DROP CONSTRAINT "flags_status_check"`);
    await q.query(
      `ALTER TABLE "flags" ADD CONSTRAINT "flags_status_check"
         CHECK ("status" IN ('open', 'in_review', 'actioned', 'dismissed', 'expired'))`,
    );
  }
}
