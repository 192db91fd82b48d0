import 'reflect-metadata';
import { DataSource, EntityManager } from 'typeorm';
import {
  AllowlistRepository,
  CampaignsRepository,
  FlagsRepository,
  QueueFlagRow,
  Transactions,
} from '@abuse-monitor/persistence';
import { apiEnvSchema } from '../apps/api/src/api.config';
import { FlagReadsService } from '../apps/api/src/flags/flag-reads.service';
import { seedCounters, seedFlag, seedReports } from './support/seed';
import { createTestDatabase, openDataSource, TestDatabase } from './support/test-database';

const HOUR = 3_600_000;
const T = new Date('2026-12-01T08:00:00Z');
/** The API's configuration with its defaults: the SLAs the pages' summaries are made with. */
const config = apiEnvSchema.parse({});

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

  /**
   * Reads a page with a report committed right after its flag was read, then again: the first
   * answer counts and lists `before` reports, as the database held before that commit; the next
   * one more, in both.
   */
  async function readAcrossACommit(
    read: () => Promise<{ counters: { totalReports: number } | null; recentReports: unknown[] }>,
    before: number,
  ) {
    flags.afterTheFlag = aReportCommitted;
    const page = await read();
    expect([page.counters?.totalReports, page.recentReports.length]).toEqual([before, before]);
    const next = await read();
    expect([next.counters?.totalReports, next.recentReports.length]).toEqual([before + 1, before + 1]);
  }

  it('shows the flag as it was when its first part was read, every part alike', async () => {
    await readAcrossACommit(() => reads.detail(flagId, true), 3);
  });

  it("shows a number's page as it was when its flag was read, every part alike", async () => {
    await readAcrossACommit(() => reads.subscriber(number, true), 4);
  });

  it('reads nothing it could write: the snapshot is read-only', async () => {
    await expect(
      new Transactions(dataSource).readSnapshot((m) => m.query(`DELETE FROM flags WHERE id = $1`, [flagId])),
    ).rejects.toThrow(/read-only transaction/);
    expect(await db.query(`SELECT id FROM flags WHERE id = $1`, [flagId])).toHaveLength(1);
  });
});
