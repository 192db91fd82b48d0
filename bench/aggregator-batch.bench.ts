/**
 * What the aggregator spends per report outside PostgreSQL, and what PostgreSQL spends for it,
 * in one process without Kafka: the pipeline bench's replay, handed straight to handleBatch.
 *
 *   npm run bench -- aggregator-batch [--count 160000] [--batch 2000] [--warm-up 10000]
 *
 * Builds the real AggregationService with its real repositories on a database of its own
 * (migrated, dropped at the end, also on failure), and feeds it batches of accepted reports as
 * the ingest app puts them on reports.accepted (the pipeline bench's aggregator-only mix, received
 * at the national pace), in time order. Prints this process's CPU per report (process.cpuUsage)
 * beside that of the PostgreSQL backends of the database (/proc), for the `count` reports after
 * a `warm-up` that lets the JIT settle, then the rows each table took (how many updates were HOT,
 * which a schema change to the written tables moves).
 *
 * Left out, since they are not on the per-report path: the Kafka consumer (its fetch and decode
 * of the batch), the outbox relay (flag events are written to the outbox table in the batch's
 * transaction, as in the app; wake() does nothing here, so nothing is published) and the dead
 * letters (the mix has none: the bench fails if one comes).
 * Needs PostgreSQL on this machine (it reads the server processes' CPU).
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Logger } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { BatchContext, Publisher } from '@abuse-monitor/messaging';
import { Metrics } from '@abuse-monitor/observability';
import {
  CountersRepository,
  dataSourceOptions,
  FlagChangesRepository,
  OutboxRelayService,
  OutboxRepository,
  ReporterActivityRepository,
  ReportsRepository,
  RulesInForceRepository,
} from '@abuse-monitor/persistence';
import { limitHeapGrowth } from '@abuse-monitor/runtime';
import { aggregatorEnvSchema } from '../apps/aggregator/src/aggregator.config';
import { AggregationService } from '../apps/aggregator/src/aggregation.service';
import { DeadLetterSenderService } from '../apps/aggregator/src/dead-letter-sender.service';
import { RulesInForceService } from '../apps/aggregator/src/rules-in-force.service';
import { AcceptedReportTraffic } from './support/accepted-report-traffic';
import { BenchDatabase } from './support/bench-database';
import { backendCpu, cpuSince } from './support/process-cpu';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '160000' },
    batch: { type: 'string', default: '2000' },
    'warm-up': { type: 'string', default: '10000' },
  },
});
const COUNT = Number(values.count);
const BATCH = Number(values.batch);
const WARM_UP = Number(values['warm-up']);
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** As the pipeline bench's replay: reports received at the national pace, the last a minute ago. */
const REPORTS_A_DAY = 2_800;
/** The aggregation's sessions, as the app names them. */
const APPLICATION_NAME = 'abuse-monitor-aggregator';

/** Batches of the replay as the consumer hands them over, made before anything is measured. */
function replay(total: number): KafkaMessage[][] {
  const traffic = new AcceptedReportTraffic('reports.accepted');
  const step = 86_400_000 / REPORTS_A_DAY;
  const first = Date.now() - 60_000 - total * step;
  const batches: KafkaMessage[][] = [];
  for (let i = 0; i < total; i += BATCH) {
    batches.push(
      Array.from({ length: Math.min(BATCH, total - i) }, (_, j) => {
        const { key, value } = traffic.next(first + (i + j) * step);
        return {
          key: Buffer.from(key ?? ''),
          value: Buffer.from(value),
          timestamp: String(Date.now()),
          attributes: 0,
          offset: String(i + j),
          headers: {},
        };
      }),
    );
  }
  return batches;
}

/** Until the aggregation's sessions have left the bench's database (10 s at most). */
async function sessionsGone(monitor: Client): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 50) {
    const { rows } = await monitor.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = $1`,
      [APPLICATION_NAME],
    );
    if (rows[0].n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What the run wrote to the tables it writes most: new rows, updates and how many of those were HOT. */
async function rowWrites(monitor: Client): Promise<string> {
  const tables = ['reports', 'subscriber_counters', 'reporters', 'flags', 'flag_history', 'outbox'];
  const { rows } = await monitor.query<{ relname: string; ins: string; upd: string; hot: string }>(
    `SELECT relname, n_tup_ins AS ins, n_tup_upd AS upd, n_tup_hot_upd AS hot
       FROM pg_stat_user_tables WHERE relname = ANY($1::text[]) ORDER BY array_position($1::text[], relname::text)`,
    [tables],
  );
  const lines = rows.map((row) => {
    const updated = Number(row.upd);
    const hot = updated === 0 ? '' : ` (${Math.round((100 * Number(row.hot)) / updated)} % HOT)`;
    return `    ${row.relname.padEnd(20)} ${Number(row.ins).toLocaleString('en').padStart(9)} inserted, ${updated.toLocaleString('en').padStart(9)} updated${hot}`;
  });
  return `  rows written, warm-up included:\n${lines.join('\n')}\n`;
}

function aggregationService(dataSource: DataSource, databaseUrl: string): AggregationService {
  const config = aggregatorEnvSchema.parse({ DATABASE_URL: databaseUrl });
  limitHeapGrowth(config.AGGREGATOR_HEAP_GROWING_PERCENT);
  const metrics = new Metrics('aggregator');
  const noDeadLetters = {
    send: () => Promise.reject(new Error('the bench mix has no dead letters')),
  } as unknown as Publisher;
  const relayAsleep = { wake: () => undefined } as unknown as OutboxRelayService;
  return new AggregationService(
    dataSource,
    new DeadLetterSenderService(noDeadLetters, metrics, config),
    relayAsleep,
    metrics,
    new ReportsRepository(),
    new ReporterActivityRepository(),
    new RulesInForceService(dataSource, new RulesInForceRepository(), config),
    new FlagChangesRepository(),
    new CountersRepository(),
    new OutboxRepository(dataSource),
    config,
  );
}

const context: BatchContext = {
  topic: 'reports.accepted',
  partition: 0,
  shouldContinue: () => true,
  heartbeat: async () => undefined,
};

async function main(): Promise<void> {
  Logger.overrideLogger(['error', 'warn']);
  const batches = replay(WARM_UP + COUNT);
  const db = await BenchDatabase.create(ADMIN_URL, `am_bench_agg_${Date.now()}`);
  const dataSource = new DataSource({
    ...dataSourceOptions({ url: db.url, poolSize: 2, applicationName: APPLICATION_NAME }),
    logging: false,
  });
  const monitor = new Client({ connectionString: db.url });
  try {
    await dataSource.initialize();
    await monitor.connect();
    const aggregation = aggregationService(dataSource, db.url);
    const warmUpBatches = Math.ceil(WARM_UP / BATCH);
    for (const batch of batches.slice(0, warmUpBatches)) await aggregation.handleBatch(batch, context);

    const measured = batches.slice(warmUpBatches);
    const reports = measured.reduce((n, batch) => n + batch.length, 0);
    const pgBefore = await backendCpu(monitor, db.name);
    const started = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    for (const batch of measured) await aggregation.handleBatch(batch, context);
    const cpu = process.cpuUsage(cpuBefore);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const pgSeconds = cpuSince(pgBefore, await backendCpu(monitor, db.name));

    const [{ n }] = await dataSource.query<{ n: string }[]>('SELECT count(*) AS n FROM reports');
    if (Number(n) !== WARM_UP + COUNT) throw new Error(`stored ${n} of ${WARM_UP + COUNT} reports`);
    const perReport = (microseconds: number) => (microseconds / reports).toFixed(1).padStart(6);
    process.stdout.write(
      `${reports.toLocaleString('en')} reports in batches of ${BATCH} (after ${WARM_UP.toLocaleString('en')} to warm up), ` +
        `${seconds.toFixed(1)} s, ${Math.round(reports / seconds).toLocaleString('en')} reports/s\n` +
        `  aggregator process ${perReport(cpu.user + cpu.system)} µs CPU a report ` +
        `(user ${perReport(cpu.user).trim()}, system ${perReport(cpu.system).trim()})\n` +
        `  PostgreSQL         ${perReport(pgSeconds * 1e6)} µs CPU a report\n`,
    );
    // A backend flushes its table statistics as it exits, which is after the pool's end() returns.
    await dataSource.destroy();
    await sessionsGone(monitor);
    process.stdout.write(await rowWrites(monitor));
  } finally {
    await monitor.end().catch(() => undefined);
    if (dataSource.isInitialized) await dataSource.destroy();
    await db.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
