import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reads of the analyst's daily loop, each served by an index (docs/decisions/0044, 0045):
 * - the queue in urgency order and the overdue wave: per stage and severity, flags in the order
 *   their SLA clock started, which is the order their SLA runs out in (flags_queue_sla_idx);
 * - "decided by me": a person's decisions in the history (flag_history_decisions_idx);
 * - related flags: the flags of a number block (flags_number_block_idx), and reports by their
 *   text as people mean it (reports_text_idx, over report_text_key), newest first.
 * report_text_key is IMMUTABLE (lower, btrim, regexp_replace and md5 are), as an index needs; md5
 * keeps the index small whatever the length of a text.
 */
export class QueueUrgencyIndexes1765440000000 implements MigrationInterface {
  name = 'QueueUrgencyIndexes1765440000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "flags_queue_sla_idx" ON "flags" ("status", "severity", "sla_started_at", "id")
        WHERE "status" IN ('open', 'in_review')`,
    );
    await q.query(
      `CREATE INDEX "flag_history_decisions_idx" ON "flag_history" ("actor", "flag_id")
        WHERE "change" IN ('actioned', 'dismissed')`,
    );
    await q.query(`CREATE INDEX "flags_number_block_idx" ON "flags" (left("reported_number", 11))`);
    await q.query(
      `CREATE FUNCTION report_text_key(content text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
         RETURN md5(regexp_replace(lower(btrim(content)), '\\s+', ' ', 'g'))`,
    );
    await q.query(
      `CREATE INDEX "reports_text_idx" ON "reports" (report_text_key("content"), "received_at")
        WHERE "content" IS NOT NULL`,
    );
    await q.query(`ANALYZE "flags", "flag_history", "reports"`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "reports_text_idx"`);
    await q.query(`DROP FUNCTION report_text_key(text)`);
    await q.query(`DROP INDEX "flags_number_block_idx"`);
    await q.query(`DROP INDEX "flag_history_decisions_idx"`);
    await q.query(`DROP INDEX "flags_queue_sla_idx"`);
  }
}
