import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The counters and reporters the aggregator writes for nearly every report keep only the indexes
 * a frequent reader needs (decision 0076). The hourly compaction of quiet counters and the daily
 * forgetting of silent reporters walk their tables' primary keys instead of an index on
 * last_seen_at, which every write changed. The top-reported gauge ranks only numbers reported by
 * more than one person, so its index holds those alone. Together they cost PostgreSQL about 4 µs
 * of its 33-38 a report in `npm run bench -- aggregator-batch`.
 */
export class IndexesOffTheAggregatorsPath1765496000000 implements MigrationInterface {
  name = 'IndexesOffTheAggregatorsPath1765496000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "subscriber_counters_quiet_idx"`);
    await q.query(`DROP INDEX "reporters_last_seen_idx"`);
    await q.query(`DROP INDEX "subscriber_counters_top_24h_idx"`);
    await q.query(
      `CREATE INDEX "subscriber_counters_top_24h_idx" ON "subscriber_counters" ("distinct_reporters_24h" DESC, "reported_number")
         WHERE "distinct_reporters_24h" >= 2`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "subscriber_counters_top_24h_idx"`);
    await q.query(
      `CREATE INDEX "subscriber_counters_top_24h_idx" ON "subscriber_counters" ("distinct_reporters_24h" DESC, "reported_number")`,
    );
    await q.query(`CREATE INDEX "reporters_last_seen_idx" ON "reporters" ("last_seen_at")`);
    await q.query(
      `CREATE INDEX "subscriber_counters_quiet_idx" ON "subscriber_counters" ("last_seen_at") WHERE "reports_30d" > 0`,
    );
  }
}
