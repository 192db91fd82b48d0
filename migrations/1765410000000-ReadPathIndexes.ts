import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The queue's severity order, as the API sorts by it (apps/api/src/flags/flag-queries.ts, RANK):
 * most severe first is the ascending order of its negation, which lets the keyset condition of
 * the next page, (-(rank), opened_at, id) > (...), start the index scan where the page ends.
 */
const NEGATED_RANK = `(-(CASE "severity" WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END))`;
/** The flags a reviewer works through; the console's queue shows these by default. */
const IN_QUEUE = `"status" IN ('open', 'in_review')`;

/** Tables that grow by the thousands a day, or whose rows change with every report. */
const FAST_CHANGING = ['reports', 'reporters', 'subscriber_counters', 'flags', 'flag_history', 'audit_log'];

/**
 * Every list and detail the API reads is served by an index made for it (docs/decisions/0038):
 * a page of the queue reads its own rows, not every open flag sorted again for each page.
 * - the queue in severity order, and by age, for the flags in the queue and for all of them;
 * - a flag's history by flag (the page of a flag read the whole history table);
 * - reporters by standing, only the few not in normal standing, so the update every report makes
 *   to its reporter's row does not pay for it;
 * Statistics: autovacuum analyses a table after 10% of it changed by default, which for a table of
 * ten million reports is a million reports of drift; these tables are analysed after 2% (and
 * vacuumed after 5%, which keeps the visibility map current for index-only scans) whatever the
 * server's defaults. The expression index gets its statistics from the ANALYZE at the end.
 */
export class ReadPathIndexes1765410000000 implements MigrationInterface {
  name = 'ReadPathIndexes1765410000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "flags_rank_idx" ON "flags" (${NEGATED_RANK}, "opened_at", "id")`);
    await q.query(
      `CREATE INDEX "flags_queue_rank_idx" ON "flags" (${NEGATED_RANK}, "opened_at", "id") WHERE ${IN_QUEUE}`,
    );
    await q.query(`CREATE INDEX "flags_opened_idx" ON "flags" ("opened_at", "id")`);
    await q.query(`CREATE INDEX "flags_queue_opened_idx" ON "flags" ("opened_at", "id") WHERE ${IN_QUEUE}`);
    await q.query(`CREATE INDEX "flag_history_flag_idx" ON "flag_history" ("flag_id", "sequence")`);
    await q.query(
      `CREATE INDEX "reporters_standing_idx" ON "reporters" ("standing", "reporter") WHERE "standing" <> 'normal'`,
    );
    for (const table of FAST_CHANGING)
      await q.query(
        `ALTER TABLE "${table}" SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_vacuum_scale_factor = 0.05)`,
      );
    await q.query(`ANALYZE "flags", "flag_history", "reporters"`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of FAST_CHANGING)
      await q.query(
        `ALTER TABLE "${table}" RESET (autovacuum_analyze_scale_factor, autovacuum_vacuum_scale_factor)`,
      );
    await q.query(`DROP INDEX "reporters_standing_idx"`);
    await q.query(`DROP INDEX "flag_history_flag_idx"`);
    await q.query(`DROP INDEX "flags_queue_opened_idx"`);
    await q.query(`DROP INDEX "flags_opened_idx"`);
    await q.query(`DROP INDEX "flags_queue_rank_idx"`);
    await q.query(`DROP INDEX "flags_rank_idx"`);
  }
}
