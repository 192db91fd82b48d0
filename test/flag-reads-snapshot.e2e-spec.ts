import 'reflect-metadata';
import { DataSource, EntityManager } from 'typeorm';
import {
  AllowlistRepository,
  CampaignsRepository,
  FlagsRepository,
  QueueFlagRow,
  Transactions,
} from '@abuse-monitor/persistence';
import type { ApiConfig } from '../apps/api/src/api.config';
import { FlagReadsService } from '../apps/api/src/flags/flag-reads.service';
import { seedCounters, seedFlag, seedReports } from './support/seed';
import { createTestDatabase, openDataSource, TestDatabase } from './support/test-database';

const HOUR = 3_600_000;
const T = new Date('2026-12-01T08:00:00Z');
const config = {
  SLA_HIGH: 2 * HOUR,
  SLA_MEDIUM: 24 * HOUR,
  SLA_LOW: 72 * HOUR,
  SLA_REVIEW_HIGH: 4 * HOUR,
  SLA_REVIEW_MEDIUM: 48 * HOUR,
  SLA_REVIEW_LOW: 168 * HOUR,
} as ApiConfig;

/** The flags' reads, with a moment between reading the flag and reading the rest of its page. */
class FlagsWithAMomentAfterTheFlag extends FlagsRepository {
  /** Runs once, right after the next read of a flag, before its page's other parts are read. */
  afterTheFlag: (() => Promise<void>) | null = null;

  override async byId(id: string, manager?: EntityManager): Promise<QueueFlagRow | null> {
    return this.then(await super.byId(id, manager));
  }

  override async byNumber(number: string, manager?: EntityManager): Promise<QueueFlagRow | null> {
    return this.then(await super.byNumber(number, manager));
  }

  private async then<T>(read: T): Promise<T> {
    const moment = this.afterTheFlag;
    this.afterTheFlag = null;
    await moment?.();
    return read;
  }
}

/**
 * A flag's page and a number's page are read from one snapshot (Transactions.readSnapshot): the
 * aggregator committing a report between two of their statements changes neither page, so their
 * counters and their list of reports always agree, and so does the ETag made from them.
 */
describe("a flag's page is one committed state", () => {
  const number = '+84987000501';
  let db: TestDatabase;
  let dataSource: DataSource;
  let flags: FlagsWithAMomentAfterTheFlag;
  let reads: FlagReadsService;
  let flagId: string;

  /** What the aggregator commits for one more report: the report and its number's counters. */
  const aReportCommitted = async () => {
    await seedReports(db, [
      { reportedNumber: number, reporter: '+84912000004', receivedAt: new Date(T.getTime() + 4 * HOUR) },
    ]);
    await db.query(
      `UPDATE subscriber_counters SET total_reports = total_reports + 1, reports_24h = reports_24h + 1
        WHERE reported_number = $1`,
      [number],
    );
  };

  beforeAll(async () => {
    db = await createTestDatabase('flagsnapshot');
    dataSource = await openDataSource(db.url, 4);
    flags = new FlagsWithAMomentAfterTheFlag(dataSource);
    reads = new FlagReadsService(
      flags,
      new AllowlistRepository(dataSource),
      config,
      new CampaignsRepository(dataSource),
      new Transactions(dataSource),
    );
    flagId = await seedFlag(db, { number, openedAt: T });
    await seedReports(
      db,
      [1, 2, 3].map((i) => ({
        reportedNumber: number,
        reporter: `+8491200000${i}`,
        receivedAt: new Date(T.getTime() + i * HOUR),
      })),
    );
    await seedCounters(db, number, new Date(T.getTime() + 3 * HOUR), 3);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('shows the flag as it was when its first part was read, every part alike', async () => {
    flags.afterTheFlag = aReportCommitted;
    const page = await reads.detail(flagId, true);
    expect(page.counters?.totalReports).toBe(3);
    expect(page.recentReports).toHaveLength(3);

    const next = await reads.detail(flagId, true);
    expect(next.counters?.totalReports).toBe(4);
    expect(next.recentReports).toHaveLength(4);
  });

  it("shows a number's page as it was when its flag was read, every part alike", async () => {
    flags.afterTheFlag = aReportCommitted;
    const page = await reads.subscriber(number, true);
    expect(page.counters?.totalReports).toBe(4);
    expect(page.recentReports).toHaveLength(4);

    const next = await reads.subscriber(number, true);
    expect(next.counters?.totalReports).toBe(5);
    expect(next.recentReports).toHaveLength(5);
  });

  it('reads nothing it could write: the snapshot is read-only', async () => {
    await expect(
      new Transactions(dataSource).readSnapshot((m) => m.query(`DELETE FROM flags WHERE id = $1`, [flagId])),
    ).rejects.toThrow(/read-only transaction/);
    expect(await db.query(`SELECT id FROM flags WHERE id = $1`, [flagId])).toHaveLength(1);
  });
});
