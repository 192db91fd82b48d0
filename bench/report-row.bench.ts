/**
 * What PostgreSQL spends to store one report row, and nothing else: the floor under the pipeline's
 * cost per report, whatever the aggregator does around it.
 *
 *   npm run bench -- report-row [--count 300000] [--batch 1000]
 *
 * Stores `count` reports of the pipeline bench's mix, in time order, through the aggregator's own
 * statement (ReportsRepository.insertAll, decision 0078), `batch` reports a transaction, and reads the
 * CPU time of the PostgreSQL session that ran them from /proc. Then again with fewer of the table's
 * indexes, to show what each costs. The primary key stays: it is what makes a report stored once.
 * Needs PostgreSQL on this machine (it reads the server process's CPU); creates and drops its own
 * database.
 */
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import type { Category, ReportKind } from '@abuse-monitor/domain';
import {
  dataSourceOptions,
  dropDatabase,
  ensureDatabaseExists,
  ReportRow,
  ReportsRepository,
  reportTextKey,
} from '@abuse-monitor/persistence';
import { acceptedReports, BenchReport } from './support/accepted-reports';
import { cpuSeconds } from './support/process-cpu';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '300000' },
    batch: { type: 'string', default: '1000' },
  },
});
const COUNT = Number(values.count);
const BATCH = Number(values.batch);
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Each step drops more indexes than the one before. */
const STEPS: { name: string; drop: string[] }[] = [
  { name: 'as migrated (five B-trees and a BRIN)', drop: [] },
  { name: 'without (text_key, received_at)', drop: ['reports_text_key_idx'] },
  {
    name: 'and without the two on received_at',
    drop: ['reports_received_at_brin', 'reports_to_anonymise_idx'],
  },
  { name: 'and without (reporter, received_at)', drop: ['reports_reporter_time_idx'] },
  { name: 'primary key only', drop: ['reports_number_time_idx'] },
];

const toRow = (r: BenchReport): ReportRow => ({
  ...r,
  // As the aggregator does, outside PostgreSQL's CPU.
  textKey: reportTextKey(r.content),
  kind: r.kind as ReportKind,
  category: r.category as Category,
  receivedAt: new Date(r.receivedAt),
});

async function main(): Promise<void> {
  const url = new URL(ADMIN_URL);
  url.pathname = `/am_bench_rows_${Date.now()}`;
  await ensureDatabaseExists(url.toString());
  const ds = new DataSource({ ...dataSourceOptions({ url: url.toString(), poolSize: 1 }), logging: false });
  await ds.initialize();
  try {
    await ds.runMigrations();
    const [{ pid }]: { pid: number }[] = await ds.query('SELECT pg_backend_pid() AS pid');
    const store = new ReportsRepository();
    const yearStart = Date.parse('2025-01-01T00:00:00Z');
    const step = (365 * 86_400_000) / COUNT;
    process.stdout.write(
      `${COUNT} report rows, ${BATCH} a transaction, CPU of the PostgreSQL session that stores them:\n`,
    );
    for (const { name, drop } of STEPS) {
      for (const index of drop) await ds.query(`DROP INDEX ${index}`);
      await ds.query('TRUNCATE reports CASCADE');
      // Every step starts after a checkpoint, so each pays the same full-page writes.
      await ds.query('CHECKPOINT');
      const report = acceptedReports(2024);
      const [{ lsn }]: { lsn: string }[] = await ds.query('SELECT pg_current_wal_lsn()::text AS lsn');
      const cpuBefore = cpuSeconds(pid);
      const started = Date.now();
      for (let i = 0; i < COUNT; i += BATCH) {
        const rows = Array.from({ length: Math.min(BATCH, COUNT - i) }, (_, j) =>
          toRow(report(yearStart + (i + j) * step)),
        );
        const stored = await ds.transaction((manager) => store.insertAll(rows, manager));
        if (stored.size !== rows.length) throw new Error(`stored ${stored.size} of ${rows.length} rows`);
      }
      const cpu = cpuSeconds(pid) - cpuBefore;
      const seconds = (Date.now() - started) / 1000;
      const [{ wal }]: { wal: string }[] = await ds.query(
        `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '${lsn}') AS wal`,
      );
      process.stdout.write(
        `  ${name.padEnd(38)} ${((cpu / COUNT) * 1e6).toFixed(1).padStart(5)} µs CPU a row` +
          ` (at most ${Math.round(COUNT / cpu).toLocaleString('en')} rows/s on a whole core),` +
          ` ${Math.round(Number(wal) / COUNT)} bytes of WAL a row, ${seconds.toFixed(1)} s\n`,
      );
    }
  } finally {
    await ds.destroy();
    await dropDatabase(url.toString());
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
