import { MigrationInterface, QueryRunner } from 'typeorm';
import { reportTextKey } from '../libs/persistence/src/report-text-key';
import { progress } from '../libs/runtime/src/progress';

/** Reports are keyed this many at a time, walking the primary key, so no statement holds them all. */
const REPORTS_PER_BATCH = 10_000;

/**
 * "Relatives by shared text" compares a stored key, reports.text_key, rather than an index over
 * report_text_key(content) (decision 0069): computing that expression cost PostgreSQL about 5.8 µs
 * of the 7.8 the index cost per stored report; the aggregator computes the key in JS for about 1.
 * Stored reports get their keys here from the same function (reportTextKey), not from SQL, so old
 * and new keys agree whatever the database's locale. A key is a fingerprint of the text: it may
 * not outlive it (reports_text_key_with_content), so anonymisation clears both.
 */
export class ReportTextKey1765495000000 implements MigrationInterface {
  name = 'ReportTextKey1765495000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "reports" ADD COLUMN "text_key" uuid,
         ADD CONSTRAINT "reports_text_key_with_content" CHECK ("text_key" IS NULL OR "content" IS NOT NULL)`,
    );
    await this.keyReports(q);
    await q.query(
      `CREATE INDEX "reports_text_key_idx" ON "reports" ("text_key", "received_at") WHERE "text_key" IS NOT NULL`,
    );
    await q.query(`DROP INDEX "reports_text_idx"`);
    await q.query(`DROP FUNCTION report_text_key(text)`);
    await q.query(`ANALYZE "reports"`);
  }

  /** Every stored text's key, in batches along report_id; the index comes after, built once. */
  private async keyReports(q: QueryRunner): Promise<void> {
    const shown = progress('reports keyed by their text', null);
    // Counted only for the person watching: a pipe or CI pays nothing for it.
    if (shown.shown) {
      const [{ n }]: { n: string }[] = await q.query(
        `SELECT count(*) AS n FROM "reports" WHERE "content" IS NOT NULL`,
      );
      shown.setTotal(Number(n));
    }
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const batch: { report_id: string; content: string }[] = await q.query(
        `SELECT "report_id", "content" FROM "reports"
          WHERE "report_id" > $1 AND "content" IS NOT NULL ORDER BY "report_id" LIMIT $2`,
        [after, REPORTS_PER_BATCH],
      );
      if (batch.length === 0) return shown.finish();
      const last = batch[batch.length - 1].report_id;
      // The batch's range of ids too: it keeps the planner on the primary key whatever it thinks
      // of the size of the unnest.
      await q.query(
        `UPDATE "reports" r SET "text_key" = b.k
           FROM unnest($1::uuid[], $2::uuid[]) AS b(id, k)
          WHERE r."report_id" = b.id AND r."report_id" > $3 AND r."report_id" <= $4`,
        [batch.map((r) => r.report_id), batch.map((r) => reportTextKey(r.content)), after, last],
      );
      shown.advance(batch.length);
      after = last;
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE FUNCTION report_text_key(content text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
         RETURN md5(regexp_replace(lower(btrim(content)), '\\s+', ' ', 'g'))`,
    );
    await q.query(
      `CREATE INDEX "reports_text_idx" ON "reports" (report_text_key("content"), "received_at")
        WHERE "content" IS NOT NULL`,
    );
    await q.query(`DROP INDEX "reports_text_key_idx"`);
    await q.query(`ALTER TABLE "reports" DROP COLUMN "text_key"`);
    await q.query(`ANALYZE "reports"`);
  }
}
