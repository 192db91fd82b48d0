/**
 * The aggregator end to end: real broker, real PostgreSQL, the compiled app as its own process.
 *
 *   npm run bench -- pipeline [--count 1000000] [--rate 2000] [--seconds 30]
 *
 * 1. Replay: publishes `count` accepted reports spread over a year (national volumes: most numbers
 *    reported by a few people, a few thousand spammers reported by many), then starts the
 *    aggregator and measures how long it takes to count them all (reports per second) and its
 *    peak memory (VmHWM).
 * 2. Steady load: publishes `rate` reports a second for `seconds`, stamped with the time of
 *    publication, and reports the median and 99th percentile of the time from publication to the
 *    report's counted state (its row committed with the counters and flags of its batch).
 * Needs the broker (npm run kafka -- start) and PostgreSQL; creates and drops its own database.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { DataSource } from 'typeorm';
import { topicNames } from '@abuse-monitor/messaging';
import { dataSourceOptions, dropDatabase, ensureDatabaseExists } from '@abuse-monitor/persistence';
import { scrape, sumOf } from '../test/support/metrics';
import { freePort } from '../test/support/tcp-proxy';
import { acceptedReports } from './support/accepted-reports';
import { cpuSeconds } from './support/process-cpu';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    rate: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '30' },
  },
});
const COUNT = Number(values.count);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const ROOT = join(__dirname, '..');
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const report = acceptedReports(2024);

async function count(url: string, sql: string): Promise<Record<string, string>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows[0];
  } finally {
    await client.end();
  }
}

/**
 * Reports the aggregator has committed, from its own counter: polling count(*) on a table of a
 * million rows every second would cost PostgreSQL more CPU than it leaves to the aggregator.
 */
async function countedByAggregator(metricsPort: number): Promise<number> {
  try {
    return sumOf(await scrape(metricsPort), 'abuse_monitor_reports_counted_total');
  } catch {
    return 0; // not listening yet
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function peakMemoryMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

/** Autovacuum and the writers in the background are told apart from the sessions that run the statements. */
function postgresRole(command: string): string {
  if (command.includes('autovacuum')) return 'PostgreSQL autovacuum';
  if (/checkpointer|background writer|walwriter/.test(command)) return 'PostgreSQL writers';
  return 'PostgreSQL sessions';
}

/**
 * CPU used by the processes on this machine that make up the pipeline, by role: what bounds the
 * replay. Sampled every second, so that short-lived processes (autovacuum workers) are counted up
 * to their last sample; a process first seen after the start counts from zero.
 */
class CpuByRole {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, { role: string; seconds: number }>();

  constructor(private readonly aggregatorPid: number) {
    this.sample();
    for (const [pid, { seconds }] of this.last) this.first.set(pid, seconds);
  }

  sample(): void {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const pid = Number(entry);
        const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
        const role =
          pid === this.aggregatorPid
            ? 'aggregator'
            : command.startsWith('postgres') || command.includes('/bin/postgres')
              ? postgresRole(command)
              : command.includes('kafka.Kafka')
                ? 'broker'
                : null;
        if (role === null) continue;
        this.last.set(pid, { role, seconds: cpuSeconds(pid) });
      } catch {
        // The process ended while being read.
      }
    }
  }

  /** Seconds by role since construction. */
  summary(): string {
    const seconds = new Map<string, number>();
    for (const [pid, { role, seconds: used }] of this.last) {
      seconds.set(role, (seconds.get(role) ?? 0) + used - (this.first.get(pid) ?? 0));
    }
    const postgres = [...seconds].filter(([role]) => role.startsWith('PostgreSQL'));
    const postgresTotal = postgres.reduce((sum, [, s]) => sum + s, 0);
    const parts = ['PostgreSQL sessions', 'PostgreSQL autovacuum', 'PostgreSQL writers']
      .map((role) => `${role.replace('PostgreSQL ', '')} ${(seconds.get(role) ?? 0).toFixed(1)}`)
      .join(' + ');
    return [
      `PostgreSQL ${postgresTotal.toFixed(1)} s (${parts})`,
      ...['aggregator', 'broker'].map((role) => `${role} ${(seconds.get(role) ?? 0).toFixed(1)} s`),
    ].join(', ');
  }
}

async function main(): Promise<void> {
  const name = `am_bench_${Date.now()}`;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  await ensureDatabaseExists(url.toString());
  const ds = new DataSource({ ...dataSourceOptions({ url: url.toString(), poolSize: 1 }), logging: false });
  await ds.initialize();
  await ds.runMigrations();
  // For experiments with the schema (an index less, a setting): BENCH_AFTER_MIGRATE_SQL runs here.
  if (process.env.BENCH_AFTER_MIGRATE_SQL) await ds.query(process.env.BENCH_AFTER_MIGRATE_SQL);
  await ds.destroy();

  const prefix = `bench.${randomBytes(3).toString('hex')}.`;
  const topics = topicNames(prefix);
  const kafka = new Kafka({ clientId: 'bench', brokers: BROKERS, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topics.accepted, numPartitions: 3 }] });
  await admin.disconnect();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();

  const yearStart = Date.parse('2025-01-01T00:00:00Z');
  const step = (365 * 86_400_000) / COUNT;
  process.stdout.write(`publishing ${COUNT} reports spread over a year...\n`);
  const publishStarted = Date.now();
  for (let i = 0; i < COUNT; i += 5_000) {
    const batch = Array.from({ length: Math.min(5_000, COUNT - i) }, (_, j) =>
      report(yearStart + (i + j) * step),
    );
    await producer.send({
      topic: topics.accepted,
      messages: batch.map((r) => ({ key: r.reportedNumber, value: JSON.stringify(r) })),
    });
  }
  process.stdout.write(`published in ${((Date.now() - publishStarted) / 1000).toFixed(1)} s\n`);

  // BENCH_NODE_ARGS (for example "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the aggregator.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const metricsPort = await freePort();
  const app = spawn(
    process.execPath,
    [...nodeArgs, join(ROOT, 'dist/apps/aggregator/apps/aggregator/src/main.js')],
    {
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: url.toString(),
        KAFKA_BROKERS: BROKERS.join(','),
        KAFKA_TOPIC_PREFIX: prefix,
        LOG_LEVEL: 'warn',
        METRICS_PORT: String(metricsPort),
        // Tuning knobs pass through, so their effect can be measured.
        ...Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('AGGREGATOR_'))),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const started = Date.now();
  const walAtStart = (await count(url.toString(), 'SELECT pg_current_wal_lsn()::text AS lsn')).lsn;
  let stored = 0;
  let lastPrint = started;
  const cpu = new CpuByRole(app.pid ?? 0);
  while (stored < COUNT) {
    await sleep(1_000);
    cpu.sample();
    if (app.exitCode !== null) throw new Error(`the aggregator exited with code ${app.exitCode}`);
    stored = await countedByAggregator(metricsPort);
    if (Date.now() - lastPrint > 10_000) {
      process.stdout.write(
        `  ${stored} counted, ${Math.round(stored / ((Date.now() - started) / 1000))} reports/s\n`,
      );
      lastPrint = Date.now();
    }
  }
  const replaySeconds = (Date.now() - started) / 1000;
  const replayPeak = peakMemoryMb(app.pid ?? 0);
  cpu.sample();
  const replayCpu = cpu.summary();
  // From the first stored report to the last: the app's start-up and group join left out.
  const span = await count(
    url.toString(),
    'SELECT extract(epoch FROM max(stored_at) - min(stored_at)) AS seconds FROM reports',
  );
  const countingSeconds = Number(span.seconds);
  // What PostgreSQL went through for the replay: the working set against its buffer cache, and WAL.
  const database = await count(
    url.toString(),
    `SELECT pg_database_size(current_database()) / 1048576 AS size_mb,
            pg_wal_lsn_diff(pg_current_wal_lsn(), '${walAtStart}') / 1048576 AS wal_mb,
            current_setting('shared_buffers') AS shared_buffers,
            round(100.0 * blks_hit / nullif(blks_hit + blks_read, 0), 1) AS hit_percent
       FROM pg_stat_database WHERE datname = current_database()`,
  );

  process.stdout.write(`steady load: ${RATE} reports/s for ${SECONDS} s...\n`);
  const steadyFrom = new Date().toISOString();
  for (let second = 0; second < SECONDS; second += 1) {
    const tick = Date.now();
    for (let i = 0; i < 10; i += 1) {
      const now = Date.now();
      const batch = Array.from({ length: Math.round(RATE / 10) }, () => report(now));
      await producer.send({
        topic: topics.accepted,
        messages: batch.map((r) => ({ key: r.reportedNumber, value: JSON.stringify(r) })),
      });
      await sleep(Math.max(0, tick + (i + 1) * 100 - Date.now()));
    }
  }
  const expected = COUNT + RATE * SECONDS;
  while ((await countedByAggregator(metricsPort)) < expected) {
    if (app.exitCode !== null) throw new Error(`the aggregator exited with code ${app.exitCode}`);
    await sleep(500);
  }
  const storedRows = Number((await count(url.toString(), 'SELECT count(*) AS n FROM reports')).n);
  if (storedRows !== expected)
    throw new Error(`the aggregator counted ${expected} reports but ${storedRows} are stored`);
  const latency = await count(
    url.toString(),
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99
       FROM (SELECT extract(epoch FROM stored_at - received_at) * 1000 AS ms FROM reports WHERE received_at >= '${steadyFrom}') x`,
  );
  const flags = await count(url.toString(), 'SELECT count(*) AS n FROM flags');
  const peak = peakMemoryMb(app.pid ?? 0);
  app.kill('SIGTERM');
  await producer.disconnect();
  await new Promise((resolve) => app.on('exit', resolve));
  await dropDatabase(url.toString());

  process.stdout.write(
    [
      `replay: ${COUNT} reports counted in ${countingSeconds.toFixed(1)} s = ${Math.round(COUNT / countingSeconds)} reports/s ` +
        `(${replaySeconds.toFixed(1)} s including start-up; aggregator peak RSS ${replayPeak} MB)`,
      `steady ${RATE}/s: publication to counted state p50 ${Math.round(Number(latency.p50))} ms, p99 ${Math.round(Number(latency.p99))} ms`,
      `CPU during the replay: ${replayCpu}`,
      `database after the replay: ${Math.round(Number(database.size_mb))} MB (shared_buffers ${database.shared_buffers}, ` +
        `${database.hit_percent}% of block reads from it), ${Math.round(Number(database.wal_mb))} MB of WAL written`,
      `flags: ${flags.n}; aggregator peak RSS overall ${peak} MB`,
    ].join('\n') + '\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
