/**
 * What the campaign grouping costs at a million reports (issue 20: time and memory, and no more
 * than 10% of the pipeline's throughput).
 *
 *   npm run bench -- campaigns [--reports 1000000] [--batch 10000] [--keep]
 *
 * Creates a database, migrates it, seeds `reports` reports over the last 30 days with their flags
 * and a few campaigns (campaign-dataset.ts), then, in this process, with the scheduler's own module:
 * - cold: the campaigns job's first run (every flagged number of the 30 days), timed, with this
 *   process's CPU and peak resident memory over the run and the CPU of its PostgreSQL backends;
 * - incremental: the campaigns found are actioned, a batch of `batch` new reports lands in the last
 *   5 minutes (with two next SIMs per campaign), and the job runs again a minute later: the same
 *   figures, and per new report;
 * - changed numbers: changedFlaggedNumbers' statement with and without an index on
 *   flags.updated_at, to say whether the index matters;
 * `--keep` leaves the database for EXPLAIN.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { FixedClock } from '@abuse-monitor/runtime';
import { JobRunner, type RunOutcome } from '../apps/scheduler/src/job-runner';
import { CampaignsJob } from '../apps/scheduler/src/jobs';
import { schedulerEnvSchema } from '../apps/scheduler/src/scheduler.config';
import { SchedulerModule } from '../apps/scheduler/src/scheduler.module';
import { BenchDatabase } from './support/bench-database';
import {
  CAMPAIGN_NUMBERS,
  campaignDatasetShape,
  seedCampaignDataset,
  seedNewBatch,
} from './support/campaign-dataset';
import { backendCpu, cpuSince } from './support/process-cpu';

const { values } = parseArgs({
  options: {
    reports: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '10000' },
    keep: { type: 'boolean', default: false },
  },
});
const REPORTS = Number(values.reports);
const BATCH = Number(values.batch);
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MINUTE = 60_000;

const log = (line: string) => console.log(line);

function peakRssMb(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

/** Resets this process's peak resident memory (Linux: clear_refs 5), so a peak belongs to one run. */
function resetPeakRss(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not allowed here: the peak is then the process's since it started.
  }
}

interface RunFigures {
  wallSeconds: number;
  cpuSeconds: number;
  postgresCpuSeconds: number;
  peakMb: number;
  /** Resident before the run: the app and the bench, idle. */
  beforeMb: number;
  items: number;
}

async function timedRun(
  app: INestApplicationContext,
  clock: FixedClock,
  monitor: Client,
  database: string,
  at: Date,
): Promise<RunFigures> {
  global.gc?.();
  resetPeakRss();
  const before = peakRssMb();
  clock.set(at);
  const pgBefore = await backendCpu(monitor, database);
  const cpuBefore = process.cpuUsage();
  const started = Date.now();
  const outcome: RunOutcome = await app.get(JobRunner).runTick(app.get(CampaignsJob), at, at);
  const wallSeconds = (Date.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const pgAfter = await backendCpu(monitor, database);
  if (outcome.outcome !== 'succeeded')
    throw new Error(`the campaigns job did not succeed: ${JSON.stringify(outcome)}`);
  return {
    wallSeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    postgresCpuSeconds: cpuSince(pgBefore, pgAfter),
    peakMb: peakRssMb(),
    beforeMb: before,
    items: outcome.items,
  };
}

const describeRun = (name: string, r: RunFigures, perReports?: number) =>
  `  ${name}: ${r.wallSeconds.toFixed(1)} s wall, ${r.cpuSeconds.toFixed(1)} s CPU in the job's process ` +
  `(peak ${r.peakMb} MiB resident, from ${r.beforeMb} MiB before), ${r.postgresCpuSeconds.toFixed(1)} s CPU in PostgreSQL, ${r.items} numbers` +
  (perReports
    ? `; per report: ${((r.cpuSeconds * 1e6) / perReports).toFixed(0)} µs node + ` +
      `${((r.postgresCpuSeconds * 1e6) / perReports).toFixed(0)} µs PostgreSQL`
    : '');

async function campaignSummary(db: BenchDatabase): Promise<string> {
  const row = await db.row(
    `SELECT count(*) AS campaigns, coalesce(sum(member_count), 0) AS members, coalesce(max(member_count), 0) AS largest,
            count(*) FILTER (WHERE member_count >= ${CAMPAIGN_NUMBERS / 2}) AS large,
            (SELECT count(*) FROM number_fingerprints) AS fingerprinted,
            (SELECT count(*) FROM campaign_members WHERE reported_number LIKE '+84987654%') AS seeded_members
       FROM campaigns`,
  );
  return (
    `${row.campaigns} campaigns, ${row.members} members (largest ${row.largest}, ${row.large} of ${CAMPAIGN_NUMBERS / 2} ` +
    `members or more); ${row.seeded_members} of the seeded campaigns' SIMs in one; ${row.fingerprinted} numbers fingerprinted`
  );
}

/** changedFlaggedNumbers' statement, as the job runs it, under EXPLAIN ANALYZE: its execution time. */
async function changedNumbersMs(db: BenchDatabase, since: Date): Promise<{ ms: number; plan: string }> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    const times: number[] = [];
    let plan = '';
    // The first warms the cache; the median of the next five is the figure.
    for (let i = 0; i < 6; i++) {
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, FORMAT TEXT)
         SELECT reported_number FROM (
           SELECT f.reported_number FROM flags f
            WHERE f.updated_at > $1 AND f.status = ANY($2::text[])
           UNION
           SELECT f.reported_number
             FROM (SELECT DISTINCT reported_number FROM reports WHERE received_at > $1) r
             JOIN flags f ON f.reported_number = r.reported_number AND f.status = ANY($2::text[])
         ) changed
         WHERE reported_number > '' ORDER BY reported_number LIMIT 1000`,
        [since.toISOString(), ['open', 'in_review', 'watched', 'actioned']],
      );
      const text = rows.map((r) => r['QUERY PLAN']).join('\n');
      const ms = Number(/Execution Time: ([\d.]+) ms/.exec(text)?.[1]);
      if (i > 0) times.push(ms);
      plan = text;
    }
    times.sort((a, b) => a - b);
    return { ms: times[Math.floor(times.length / 2)] as number, plan };
  } finally {
    await client.end();
  }
}

/** The flags scan of changedFlaggedNumbers alone: the part an index on updated_at would serve. */
async function flagsScanMs(db: BenchDatabase, since: Date): Promise<number> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, FORMAT TEXT) SELECT f.reported_number FROM flags f
          WHERE f.updated_at > $1 AND f.status = ANY($2::text[])`,
        [since.toISOString(), ['open', 'in_review', 'watched', 'actioned']],
      );
      const ms = Number(/Execution Time: ([\d.]+) ms/.exec(rows.map((r) => r['QUERY PLAN']).join('\n'))?.[1]);
      if (i > 0) times.push(ms);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)] as number;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const shape = campaignDatasetShape(REPORTS);
  log(
    `campaigns bench: ${REPORTS} reports over 30 days with ${shape.campaigns} campaigns of ${CAMPAIGN_NUMBERS} SIMs; ` +
      `${cpus().length} cores, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  );
  const db = await BenchDatabase.create(ADMIN_URL, `am_bench_campaigns_${Date.now()}`);
  const monitor = new Client({ connectionString: db.url });
  let app: INestApplicationContext | undefined;
  try {
    await monitor.connect();
    const now = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
    log('seeding');
    await seedCampaignDataset(db.url, shape, now, log);
    const walFrom = await db.walPosition();

    const config = schedulerEnvSchema.parse({
      DATABASE_URL: db.url,
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      KAFKA_TOPIC_PREFIX: `bench-campaigns-${Date.now()}.`,
      LOG_LEVEL: 'warn',
      METRICS_PORT: '0',
    });
    const clock = new FixedClock(now);
    app = await NestFactory.createApplicationContext(
      SchedulerModule.register(config, { schedule: false, clock, metricsPort: 0 }),
      { logger: ['error'] },
    );
    await app.init();
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => void app?.close().finally(() => process.exit(130)));

    log('cold run: every flagged number of the 30 days');
    const cold = await timedRun(app, clock, monitor, db.name, now);
    log(describeRun('cold', cold, REPORTS));
    log(`  ${await campaignSummary(db)}`);
    log(`  PostgreSQL: ${await db.describe(walFrom)}`);

    // The seeded campaigns are actioned, so the next run also looks for their next SIMs.
    await monitor.query(
      `UPDATE campaigns SET status = 'actioned', taken_action = 'block_outgoing', actioned_at = $1
        WHERE id IN (SELECT campaign_id FROM campaign_members WHERE reported_number LIKE '+84987654%')`,
      [now.toISOString()],
    );
    const second = new Date(now.getTime() + MINUTE);
    const { nextSims } = await seedNewBatch(db.url, shape, BATCH, second, 5);
    log(
      `incremental run: ${BATCH} new reports in the last 5 minutes, ${nextSims.length} of them next SIMs' pairs`,
    );
    const incremental = await timedRun(app, clock, monitor, db.name, second);
    log(describeRun('incremental', incremental, BATCH + nextSims.length * 2));
    const caught = await db.row(
      `SELECT count(*) FILTER (WHERE reported_number = ANY('{${nextSims.join(',')}}'::text[])) AS seeded,
              count(*) AS n FROM campaign_members WHERE joined_by = 'next_sim'`,
    );
    log(`  next SIMs caught: ${caught.seeded} of the ${nextSims.length} seeded, ${caught.n} in all`);
    const idle = await timedRun(app, clock, monitor, db.name, new Date(second.getTime() + MINUTE));
    log(describeRun('a run with nothing new (the overlap of 5 minutes only)', idle));

    const since = new Date(second.getTime() - 5 * MINUTE);
    const withoutIndex = await changedNumbersMs(db, since);
    const scanWithout = await flagsScanMs(db, since);
    await monitor.query(`CREATE INDEX bench_flags_updated_idx ON flags (updated_at)`);
    await monitor.query(`ANALYZE flags`);
    const withIndex = await changedNumbersMs(db, since);
    const scanWith = await flagsScanMs(db, since);
    await monitor.query(`DROP INDEX bench_flags_updated_idx`);
    const flags = await db.row(`SELECT count(*) AS n FROM flags`);
    log(
      `changedFlaggedNumbers over ${flags.n} flags: ${withoutIndex.ms.toFixed(1)} ms without an index on ` +
        `flags.updated_at (its flags scan ${scanWithout.toFixed(1)} ms), ${withIndex.ms.toFixed(1)} ms with one ` +
        `(${scanWith.toFixed(1)} ms)`,
    );
  } finally {
    await app?.close();
    await monitor.end();
    if (values.keep) log(`kept database ${db.name}`);
    else await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
