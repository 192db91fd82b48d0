import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_NODE_OPTIONS } from '@abuse-monitor/runtime';
import { scrape, sumOf } from '../../test/support/metrics';
import { freePort } from '../../test/support/tcp-proxy';

export type AppName = 'ingest' | 'aggregator' | 'scheduler';

/** Where `npm run -s build` puts each app's entry point. */
const ENTRY: Record<AppName, string> = {
  ingest: 'dist/apps/ingest/apps/ingest/src/main.js',
  aggregator: 'dist/apps/aggregator/apps/aggregator/src/main.js',
  scheduler: 'dist/apps/scheduler/apps/scheduler/src/main.js',
};
/**
 * Tuning knobs of each app, passed through from the bench's environment so their effect can be
 * measured: the app's prefix, or the scheduler's `*_CRON`.
 */
const PASSED_THROUGH: Record<AppName, (key: string) => boolean> = {
  ingest: (key) => key.startsWith('INGEST_'),
  aggregator: (key) => key.startsWith('AGGREGATOR_') || key.startsWith('COORDINATION_'),
  scheduler: (key) => key.endsWith('_CRON'),
};
/** The consumer group each app is given (the scheduler consumes nothing). */
const GROUP_VARIABLE: Record<AppName, string | null> = {
  ingest: 'INGEST_GROUP_ID',
  aggregator: 'AGGREGATOR_GROUP_ID',
  scheduler: null,
};

export interface AppSettings {
  root: string;
  databaseUrl: string;
  brokers: string[];
  topicPrefix: string;
  partitions: number;
}

/**
 * The apps' node flags: as deployed (APP_NODE_OPTIONS), then BENCH_NODE_ARGS (for example
 * "--cpu-prof --cpu-prof-dir=/tmp/prof"), whose flags override the deployed ones.
 */
export const APP_NODE_ARGS: readonly string[] = [APP_NODE_OPTIONS, process.env.BENCH_NODE_ARGS ?? '']
  .join(' ')
  .split(' ')
  .filter(Boolean);

/** One compiled app running as its own process, as in production. */
export class AppProcess {
  /** The last lines the app logged (LOG_LEVEL=warn: its warnings and errors), for a failure report. */
  private readonly tail: string[] = [];
  logged = 0;

  private constructor(
    readonly name: AppName,
    readonly instance: number,
    readonly metricsPort: number,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        this.logged += 1;
        this.tail.push(line.slice(0, 2_000));
        if (this.tail.length > 20) this.tail.shift();
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  static async start(name: AppName, instance: number, settings: AppSettings): Promise<AppProcess> {
    const metricsPort = await freePort();
    const group = GROUP_VARIABLE[name];
    const child = spawn(process.execPath, [...APP_NODE_ARGS, join(settings.root, ENTRY[name])], {
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: settings.databaseUrl,
        KAFKA_BROKERS: settings.brokers.join(','),
        KAFKA_TOPIC_PREFIX: settings.topicPrefix,
        KAFKA_TOPIC_PARTITIONS: String(settings.partitions),
        LOG_LEVEL: 'warn',
        METRICS_PORT: String(metricsPort),
        // A group of this run's own: a group shared with another run (another engineer's, at the
        // same time) would hand partitions to its members and rebalance under the measurement.
        // The apps prefix it with KAFKA_TOPIC_PREFIX.
        ...(group === null ? {} : { [group]: name }),
        ...Object.fromEntries(Object.entries(process.env).filter(([key]) => PASSED_THROUGH[name](key))),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new AppProcess(name, instance, metricsPort, child);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get label(): string {
    return `${this.name} ${this.instance}`;
  }

  get exitCode(): number | null {
    return this.child.exitCode ?? (this.child.signalCode === null ? null : -1);
  }

  /** Peak resident memory so far (VmHWM), in MB. */
  peakRssMb(): number {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : NaN;
  }

  lastLines(): string {
    return this.tail.map((line) => `    ${line}`).join('\n');
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/** Throws, with what the app logged last, if any of the apps has exited. */
export function checkRunning(apps: readonly AppProcess[]): void {
  const gone = apps.find((app) => app.exitCode !== null);
  if (gone)
    throw new Error(`${gone.label} exited with code ${gone.exitCode}; it logged last:\n${gone.lastLines()}`);
}

/**
 * Reports the aggregators have counted, from their own counter: polling count(*) on a table of a
 * million rows every second would cost PostgreSQL more CPU than it leaves to the aggregator. An
 * instance that does not answer (not listening yet) keeps its last value.
 */
export class CountedReports {
  private readonly last = new Map<number, number>();

  constructor(private readonly aggregators: readonly AppProcess[]) {}

  async read(): Promise<number> {
    await Promise.all(
      this.aggregators.map(async (app) => {
        try {
          const samples = await scrape(app.metricsPort);
          this.last.set(app.metricsPort, sumOf(samples, 'abuse_monitor_reports_counted_total'));
        } catch {
          // Not listening yet.
        }
      }),
    );
    return [...this.last.values()].reduce((sum, n) => sum + n, 0);
  }

  /**
   * The batches (one transaction each) the aggregators have aggregated: what a cost paid per batch,
   * not per report, is divided by.
   */
  async batches(): Promise<number> {
    const counts = await Promise.all(
      this.aggregators.map(async (app) =>
        sumOf(await scrape(app.metricsPort), 'abuse_monitor_db_transaction_duration_seconds_count', {
          operation: 'aggregate_batch',
        }),
      ),
    );
    return counts.reduce((sum, n) => sum + n, 0);
  }
}
