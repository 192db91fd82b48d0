import { MigrationInterface, QueryRunner } from 'typeorm';
import { reporterNumber } from '../libs/domain/src';
import { progress } from '../libs/runtime/src/progress';

/** What a canonical reporter looks like: +84 and a national significant number without its 0. */
const CANONICAL = `'^\\+84[1-9][0-9]{6,9}$'`;
/** What retention writes over a reporter (apps/scheduler, RetentionJob). */
const ANONYMISED = `'anonymised'`;
/** Tables that name a reporter in their `reporter` column, as the aggregator and ingest stored it. */
const TABLES_WITH_A_REPORTER = ['reports', 'reporters', 'rejected_reports', 'raw_sms_messages'];

/**
 * One reporter identity for what was stored before it (docs/decisions/0026). Ingest counted a
 * sender that was not a valid number by the string the gateway gave, so one subscriber could be
 * several reporters. Every stored reporter that reads as a Vietnamese subscriber number (the rule
 * intake applies now) becomes its E.164 form: in the reports, the rejections, the raw messages of
 * before decision 0025, and the reporters, whose rows for one subscriber are merged. The distinct-
 * reporter counters of the numbers those reports are about are counted again from their reports.
 * What does not read as a number ('Alice') stays as it is: it says what was received.
 *
 * Every table is read whole once, to find the forms that are not canonical: a one-off cost.
 * Flags are left as they are: each was a decision on the counts of its time, and a person
 * reviews it; the next report of a number is evaluated on the counts recomputed here.
 */
export class NormaliseStoredReporters1765300000000 implements MigrationInterface {
  name = 'NormaliseStoredReporters1765300000000';

  public async up(q: QueryRunner): Promise<void> {
    const stored: { reporter: string }[] = await q.query(
      TABLES_WITH_A_REPORTER.map(
        (table) =>
          `SELECT reporter FROM "${table}" WHERE reporter !~ ${CANONICAL} AND reporter <> ${ANONYMISED}`,
      ).join(' UNION '),
    );
    const mapping = stored.flatMap(({ reporter }) => {
      const checked = reporterNumber(reporter);
      return checked.ok ? [{ raw: reporter, e164: checked.number.e164 }] : [];
    });
    if (mapping.length === 0) return;

    await q.query(`CREATE TEMP TABLE "reporter_forms" ("raw" text PRIMARY KEY, "e164" text NOT NULL)`);
    await q.query(`INSERT INTO "reporter_forms" SELECT * FROM unnest($1::text[], $2::text[])`, [
      mapping.map((m) => m.raw),
      mapping.map((m) => m.e164),
    ]);
    await q.query(
      `CREATE TEMP TABLE "recounted_numbers" AS
         SELECT DISTINCT r.reported_number FROM reports r JOIN reporter_forms f ON r.reporter = f.raw`,
    );
    // Each step is one statement over a whole table: its progress is counted in steps.
    const tables = ['reports', 'rejected_reports', 'raw_sms_messages'];
    const steps = progress('reporter normalisation steps', tables.length + 2);
    for (const table of tables) {
      await q.query(
        `UPDATE "${table}" t SET reporter = f.e164 FROM reporter_forms f WHERE t.reporter = f.raw`,
      );
      steps.advance();
    }
    await this.mergeReporters(q);
    steps.advance();
    await this.recountDistinctReporters(q);
    steps.advance();
    steps.finish();
    await q.query(`DROP TABLE "recounted_numbers"`);
    await q.query(`DROP TABLE "reporter_forms"`);
  }

  /**
   * The rows of one subscriber become one. Suspicious wins: the guard judged one form on part of
   * the subscriber's reports, and a person who cleared one form did not see the others'.
   */
  private async mergeReporters(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TEMP TABLE "merged_reporters" AS
         SELECT coalesce(f.e164, r.reporter) AS e164, r.*
           FROM reporters r LEFT JOIN reporter_forms f ON r.reporter = f.raw
          WHERE f.raw IS NOT NULL OR r.reporter IN (SELECT e164 FROM reporter_forms)`,
    );
    await q.query(`DELETE FROM reporters WHERE reporter IN (SELECT reporter FROM merged_reporters)`);
    await q.query(
      `INSERT INTO reporters (reporter, standing, suspicious_since, cleared_at, cleared_by, first_seen_at,
                              last_seen_at, total_reports)
       SELECT e164,
              CASE WHEN bool_or(standing = 'suspicious') THEN 'suspicious'
                   WHEN bool_or(standing = 'cleared') THEN 'cleared' ELSE 'normal' END,
              min(suspicious_since) FILTER (WHERE standing = 'suspicious'),
              max(cleared_at),
              (array_agg(cleared_by ORDER BY cleared_at DESC NULLS LAST))[1],
              min(first_seen_at), max(last_seen_at), sum(total_reports)
         FROM merged_reporters GROUP BY e164`,
    );
    await q.query(`DROP TABLE "merged_reporters"`);
  }

  /**
   * Distinct reporters per window, and per kind and category over 30 days, as the aggregator
   * counts them (libs/domain window-counts): the window of W ends at counted_at and holds
   * (counted_at - W, counted_at]. Report counts do not change. An anonymised report's reporter is
   * unknown; it counts as a reporter of its own, as its reporter was counted before.
   */
  private async recountDistinctReporters(q: QueryRunner): Promise<void> {
    const inWindow = (hours: number) => `r.received_at > c.counted_at - interval '${hours} hours'`;
    const reporter = `CASE WHEN r.anonymised_at IS NULL THEN r.reporter ELSE r.report_id::text END`;
    const byKey = (column: 'kind' | 'category') => `
      SELECT reported_number,
             jsonb_object_agg(${column}, jsonb_build_object('reports', reports, 'distinctReporters', reporters)) AS counts
        FROM (SELECT c.reported_number, r.${column}, count(*) AS reports, count(DISTINCT ${reporter}) AS reporters
                FROM window_reports r JOIN subscriber_counters c USING (reported_number)
               GROUP BY c.reported_number, r.${column}) k
       GROUP BY reported_number`;
    await q.query(
      `CREATE TEMP TABLE "window_reports" AS
         SELECT r.* FROM subscriber_counters c
           JOIN recounted_numbers n USING (reported_number)
           JOIN reports r ON r.reported_number = c.reported_number
                         AND r.received_at <= c.counted_at AND ${inWindow(720)}`,
    );
    await q.query(
      `WITH recount AS (
         SELECT c.reported_number,
                count(DISTINCT ${reporter}) FILTER (WHERE ${inWindow(1)}) AS d1,
                count(DISTINCT ${reporter}) FILTER (WHERE ${inWindow(24)}) AS d24,
                count(DISTINCT ${reporter}) FILTER (WHERE ${inWindow(168)}) AS d7,
                count(DISTINCT ${reporter}) AS d30
           FROM window_reports r JOIN subscriber_counters c USING (reported_number)
          GROUP BY c.reported_number),
       kinds AS (${byKey('kind')}),
       categories AS (${byKey('category')})
       UPDATE subscriber_counters c
          SET distinct_reporters_1h = recount.d1, distinct_reporters_24h = recount.d24,
              distinct_reporters_7d = recount.d7, distinct_reporters_30d = recount.d30,
              by_kind_30d = kinds.counts, by_category_30d = categories.counts, updated_at = now()
         FROM recount JOIN kinds USING (reported_number) JOIN categories USING (reported_number)
        WHERE c.reported_number = recount.reported_number`,
    );
    await q.query(`DROP TABLE "window_reports"`);
  }

  // The forms the reporters were stored in are not kept: what was merged stays merged.
  public async down(): Promise<void> {}
}
