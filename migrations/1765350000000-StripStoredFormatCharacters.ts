import { MigrationInterface, QueryRunner } from 'typeorm';
import { formatCharacterClassForPostgres } from '../libs/domain/src';
import { progress } from '../libs/runtime/src/progress';

/** Reports are cleaned this many at a time, walking the primary key, so no statement holds them all. */
const REPORTS_PER_BATCH = 10_000;

/**
 * Texts stored before intake and the API removed invisible format characters (Unicode Cf: bidi
 * controls, zero-width spaces) lose them now, as new ones do: a right-to-left override in a report
 * made "gnp.exe" read "exe.png" in the console, and one in a short code showed "156" reversed.
 * Reports' texts, flag and held-submission notes, allowlist reasons and owners, and rule names
 * (a new rule version, by 'migration') are cleaned. Reporters, which counters key on, and the
 * append-only audit log are left as they are; the console marks what remains.
 */
export class StripStoredFormatCharacters1765350000000 implements MigrationInterface {
  name = 'StripStoredFormatCharacters1765350000000';

  public async up(q: QueryRunner): Promise<void> {
    const pattern = formatCharacterClassForPostgres();
    await this.stripReports(q, pattern);
    const strip = (column: string) => `"${column}" = regexp_replace("${column}", $1, '', 'g')`;
    const holds = (column: string) => `"${column}" ~ $1`;
    await q.query(`UPDATE "flag_history" SET ${strip('note')} WHERE ${holds('note')}`, [pattern]);
    await q.query(`UPDATE "agent_submissions" SET ${strip('note')} WHERE ${holds('note')}`, [pattern]);
    await q.query(
      `UPDATE "allowlist" SET ${strip('reason')}, ${strip('owner')} WHERE ${holds('reason')} OR ${holds('owner')}`,
      [pattern],
    );
    await q.query(`UPDATE "rules" SET ${strip('name')}, "updated_by" = 'migration' WHERE ${holds('name')}`, [
      pattern,
    ]);
  }

  /** Content, short code and keyword, in batches along report_id; only rows that hold one are written. */
  private async stripReports(q: QueryRunner, pattern: string): Promise<void> {
    const shown = progress('reports cleaned of format characters', null);
    // Counted only for the person watching: a pipe or CI pays nothing for it.
    if (shown.shown) {
      const [{ n }]: { n: string }[] = await q.query(`SELECT count(*) AS n FROM "reports"`);
      shown.setTotal(Number(n));
    }
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const [batch]: { last: string | null; size: number }[] = await q.query(
        `WITH batch AS (
           SELECT "report_id" FROM "reports" WHERE "report_id" > $1 ORDER BY "report_id" LIMIT $2
         ), cleaned AS (
           UPDATE "reports" r
              SET "content" = regexp_replace(r."content", $3, '', 'g'),
                  "short_code" = regexp_replace(r."short_code", $3, '', 'g'),
                  "category_keyword" = regexp_replace(r."category_keyword", $3, '', 'g')
             FROM batch b
            WHERE r."report_id" = b."report_id"
              AND (r."content" ~ $3 OR r."short_code" ~ $3 OR r."category_keyword" ~ $3)
           RETURNING 1
         )
         SELECT (SELECT "report_id" FROM batch ORDER BY "report_id" DESC LIMIT 1) AS last,
                (SELECT count(*) FROM batch)::int AS size`,
        [after, REPORTS_PER_BATCH, pattern],
      );
      shown.advance(batch.size);
      if (batch.last === null) return shown.finish();
      after = batch.last;
    }
  }

  public async down(): Promise<void> {
    // What was removed was invisible and meant nothing; there is nothing to put back.
  }
}
