import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { JobsRepository, MonitoringRepository, WalkedBatch } from '@abuse-monitor/persistence';
import { primaryKeyWalk } from '../apps/scheduler/src/jobs/primary-key-walk';
import { seedCounters } from './support/seed';
import { createTestDatabase, openDataSource, TestDatabase } from './support/test-database';

const NOW = new Date('2026-12-01T00:00:00Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

/**
 * Walks as the jobs do (primaryKeyWalk, batches until one comes back short); returns every batch.
 */
async function walkAll(
  batch: (limit: number, after: string) => Promise<WalkedBatch>,
  limit: number,
): Promise<WalkedBatch[]> {
  const batches: WalkedBatch[] = [];
  const step = primaryKeyWalk(async (n, after) => {
    const walked = await batch(n, after);
    batches.push(walked);
    return walked;
  });
  while ((await step(limit)) === limit);
  return batches;
}

/**
 * The jobs that used indexes on last_seen_at walk the primary keys instead (decision 0076): in
 * batches that go on from the last key changed, every due row is found once and no other changed.
 */
describe('walks along a primary key, and the top-reported ranking', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let jobs: JobsRepository;
  beforeAll(async () => {
    db = await createTestDatabase('pkwalks');
    dataSource = await openDataSource(db.url);
    jobs = new JobsRepository(dataSource);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('keeps no index on last_seen_at, and ranks from an index of the numbers with two reporters or more', async () => {
    const indexes = await db.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('subscriber_counters', 'reporters')`,
    );
    expect(indexes.filter((i) => i.indexdef.includes('last_seen_at'))).toEqual([]);
    expect(indexes.find((i) => i.indexname === 'subscriber_counters_top_24h_idx')?.indexdef).toContain(
      'WHERE (distinct_reporters_24h >= 2)',
    );
  });

  it('compacts every counter quiet for 30 days, in batches, and leaves the recent ones', async () => {
    const numbers = Array.from({ length: 23 }, (_, i) => `+849870${String(i).padStart(5, '0')}`);
    // Quiet and recent numbers interleaved, so a batch must step over recent ones to fill up; the
    // later the number, the longer quiet, so a walk in any order but the key's would skip some.
    const quiet = numbers.filter((_, i) => i % 3 !== 1);
    for (const [i, number] of numbers.entries())
      await seedCounters(db, number, quiet.includes(number) ? ago(31 + i) : ago(29), 4);

    const batches = await walkAll((n, after) => jobs.compactQuietCounters(NOW, n, after), 5);

    expect(batches.map((b) => b.changed)).toEqual([5, 5, 5, 0]);
    expect(batches.map((b) => b.last)).toEqual([quiet[4], quiet[9], quiet[14], null]);
    const rows = await db.query<{ reported_number: string; reports_30d: number; total_reports: string }>(
      `SELECT reported_number, reports_30d, total_reports FROM subscriber_counters ORDER BY reported_number`,
    );
    expect(rows.filter((r) => r.reports_30d === 0).map((r) => r.reported_number)).toEqual(quiet);
    expect(rows.filter((r) => r.reports_30d === 4).map((r) => r.reported_number)).toEqual(
      numbers.filter((n) => !quiet.includes(n)),
    );
    // Compaction empties the windows; how many reports a number ever had stays.
    expect(new Set(rows.map((r) => r.total_reports))).toEqual(new Set(['4']));
  });

  it('forgets every reporter silent since the cutoff, in batches, and keeps the others', async () => {
    const reporters = Array.from({ length: 12 }, (_, i) => `+849710${String(i).padStart(5, '0')}`);
    const silent = reporters.filter((_, i) => i % 4 !== 0);
    await db.query(
      `INSERT INTO reporters (reporter, standing, first_seen_at, last_seen_at, total_reports)
       SELECT r, 'normal', t, t, 1 FROM unnest($1::text[], $2::timestamptz[]) AS b(r, t)`,
      [reporters, reporters.map((r, i) => (silent.includes(r) ? ago(100 + i) : ago(10)).toISOString())],
    );

    const batches = await walkAll((n, after) => jobs.forgetReportersSilentSince(ago(90), n, after), 4);

    expect(batches.map((b) => b.changed)).toEqual([4, 4, 1]);
    expect(batches.map((b) => b.last)).toEqual([silent[3], silent[7], silent[8]]);
    const left = await db.query<{ reporter: string }>(`SELECT reporter FROM reporters ORDER BY reporter`);
    expect(left.map((r) => r.reporter)).toEqual(reporters.filter((r) => !silent.includes(r)));
  });

  it('ranks the numbers reported by more than one person, highest first', async () => {
    await db.query(`TRUNCATE subscriber_counters`);
    for (const [number, reporters] of [
      ['+84987100001', 1],
      ['+84987100002', 5],
      ['+84987100003', 2],
      ['+84987100004', 1],
      ['+84987100005', 9],
    ] as const)
      await seedCounters(db, number, ago(0), reporters);
    const monitoring = new MonitoringRepository(dataSource);
    expect(await monitoring.topReportedCounts(10)).toEqual([9, 5, 2]);
    expect(await monitoring.topReportedCounts(2)).toEqual([9, 5]);
  });
});
