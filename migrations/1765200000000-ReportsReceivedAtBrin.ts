import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports arrive in about the order they were received, so a block range index serves the only
 * readers of reports by time alone (the daily summary's day, what-if's period) at a fraction of
 * a B-tree's cost: every stored report paid for that B-tree (decision 0019 measured each
 * secondary index at about 5 µs of PostgreSQL CPU per report). Retention keeps its partial
 * index, which it needs to find the reports not yet anonymised without reading the old ones.
 * Retention's updates put 90-day-old row versions among new rows; the multi-minmax operator class
 * keeps several ranges per block range, so a few such outliers do not widen it to 90 days.
 */
export class ReportsReceivedAtBrin1765200000000 implements MigrationInterface {
  name = 'ReportsReceivedAtBrin1765200000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "reports_received_at_idx"`);
    await q.query(
      `CREATE INDEX "reports_received_at_brin" ON "reports" USING brin ("received_at" timestamptz_minmax_multi_ops) WITH (pages_per_range = 32)`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "reports_received_at_brin"`);
    await q.query(`CREATE INDEX "reports_received_at_idx" ON "reports" ("received_at")`);
  }
}
