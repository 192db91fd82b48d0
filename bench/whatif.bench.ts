/**
 * How fast and lean a rule what-if is over 30 days of reports (issue 21: a million in under 5 s,
 * within the API's memory).
 *
 *   npm run bench -- whatif [--reports 1000000] [--runs 3] [--naive-seconds 60] [--keep]
 *
 * Creates a database, migrates it, seeds `reports` reports over the last 30 days in bulk SQL (see
 * whatif-dataset.ts for their shape), analyses it, then measures one change (distinct-3-24h's
 * threshold from 3 to 4) over the 30 days, side by side:
 * - api: POST /api/v1/rules/what-if on the compiled API, `runs` times (the first on a cold API),
 *   with the API's peak resident memory and the CPU seconds of the API and of its PostgreSQL
 *   backends;
 * - cli: the compiled what-if CLI with --json, under /usr/bin/time -v (wall, CPU, peak memory);
 * - phases: the same runWhatIf in this process with the repository's calls timed, and the CPU of
 *   this process's PostgreSQL backend, to tell the database's share from the replay's;
 * - naive: the engine before decision 0060 (load every report, evaluateNumber per number), stopped
 *   after `naive-seconds` of replay, with the time of the whole replay projected from its rate.
 * The api, cli and phases answers must agree. `--keep` leaves the database for EXPLAIN.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  isAllowlisted,
  runWhatIf,
  summariseChanges,
  type ReplayDifference,
  type Rule,
  type WhatIfRun,
} from '@abuse-monitor/domain';
import {
  dataSourceOptions,
  dropDatabase,
  ensureDatabaseExists,
  ReplayRepository,
} from '@abuse-monitor/persistence';
import { ApiClient, tokensForEveryRole } from '../test/support/api';
import { AppProcess } from '../test/support/app-process';
import { freePort } from '../test/support/tcp-proxy';
import { migrate, testDatabaseUrl, TEST_APP_POSTGRES_URL } from '../test/support/test-database';
import { runNaiveWhatIf, type NaiveRun } from './support/naive-whatif';
import { backendCpu, cpuSeconds, cpuSince } from './support/process-cpu';
import { seedWhatIfDataset, whatIfDatasetShape, WHATIF_DAYS } from './support/whatif-dataset';

const { values } = parseArgs({
  options: {
    reports: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    'naive-seconds': { type: 'string', default: '60' },
    keep: { type: 'boolean', default: false },
  },
});
const REPORTS = Number(values.reports);
const RUNS = Number(values.runs);
const NAIVE_BUDGET_MS = Number(values['naive-seconds']) * 1000;
const TARGET_SECONDS = 5;
const CHANGED_RULE = 'distinct-3-24h';
const NEW_THRESHOLD = 4;
const CLI_ENTRY = join(__dirname, '..', 'dist', 'apps', 'whatif', 'apps', 'whatif', 'src', 'main.js');

const log = (line: string) => console.log(line);
const seconds = (ms: number) => ms / 1000;

/** The counts every engine must agree on. */
interface Outcome {
  reports: number;
  numbers: number;
  numbersReplayed: number;
  current: WhatIfRun['current'];
  candidate: WhatIfRun['candidate'];
  changes: Record<string, number>;
}

const outcomeOf = (
  run: Omit<WhatIfRun, 'differences'>,
  differences: readonly ReplayDifference[],
): Outcome => ({
  reports: run.reports,
  numbers: run.numbers,
  numbersReplayed: run.numbersReplayed,
  current: run.current,
  candidate: run.candidate,
  changes: summariseChanges(differences, 0).counts,
});

interface Row {
  mode: string;
  wallSeconds: number;
  tookSeconds?: number;
  peakMb?: number;
  cpuSeconds?: number;
  postgresCpuSeconds?: number;
  note?: string;
}

function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

async function measureApi(
  name: string,
  monitor: Client,
  period: { from: Date; to: Date },
  rows: Row[],
): Promise<Outcome> {
  const url = testDatabaseUrl(name);
  const tokens = await tokensForEveryRole(url);
  const port = await freePort();
  const api = new AppProcess('api', {
    DATABASE_URL: testDatabaseUrl(name, TEST_APP_POSTGRES_URL),
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    KAFKA_TOPIC_PREFIX: `bench-whatif-${Date.now()}.`,
    API_PORT: String(port),
    API_HOST: '127.0.0.1',
    API_RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'log',
    METRICS_PORT: '0',
  });
  try {
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => void api.stop('SIGKILL').finally(() => process.exit(130)));
    await api.waitForLog(/listening on http/);
    const client = new ApiClient(`http://127.0.0.1:${port}`, api);
    log(`  API started, ${peakRssMb(api.pid)} MiB resident at its peak so far`);
    let outcome: Outcome | undefined;
    for (let run = 1; run <= RUNS; run++) {
      const pgBefore = await backendCpu(monitor, name);
      const cpuBefore = cpuSeconds(api.pid);
      const started = Date.now();
      const response = await client.post<
        Omit<WhatIfRun, 'differences'> & { tookMs: number; changes: Record<string, number> }
      >('/api/v1/rules/what-if', tokens.supervisor, {
        from: period.from.toISOString(),
        to: period.to.toISOString(),
        changes: [{ op: 'update', id: CHANGED_RULE, threshold: NEW_THRESHOLD }],
      });
      const wall = Date.now() - started;
      if (response.status !== 200)
        throw new Error(`the preview answered ${response.status}: ${response.text.slice(0, 1000)}`);
      const pgCpu = cpuSince(pgBefore, await backendCpu(monitor, name));
      const body = response.body;
      outcome = {
        reports: body.reports,
        numbers: body.numbers,
        numbersReplayed: body.numbersReplayed,
        current: body.current,
        candidate: body.candidate,
        changes: body.changes,
      };
      rows.push({
        mode: `api, run ${run}${run === 1 ? ' (cold API)' : ''}`,
        wallSeconds: seconds(wall),
        tookSeconds: seconds(body.tookMs),
        peakMb: peakRssMb(api.pid),
        cpuSeconds: cpuSeconds(api.pid) - cpuBefore,
        postgresCpuSeconds: pgCpu,
      });
      log(`  api run ${run}: ${seconds(wall).toFixed(2)} s`);
    }
    return outcome as Outcome;
  } finally {
    await api.stop();
  }
}

/** /usr/bin/time -v's figures of one run of a command. */
function timeFigures(report: string): { peakMb: number; cpuSeconds: number } {
  const number = (label: string) => Number(new RegExp(`${label}: ([\\d.]+)`).exec(report)?.[1] ?? NaN);
  return {
    peakMb: Math.round(number('Maximum resident set size \\(kbytes\\)') / 1024),
    cpuSeconds: number('User time \\(seconds\\)') + number('System time \\(seconds\\)'),
  };
}

async function measureCli(
  name: string,
  current: readonly Rule[],
  period: { from: Date; to: Date },
  rows: Row[],
): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'whatif-bench-'));
  try {
    const rulesFile = join(dir, 'candidate-rules.json');
    writeFileSync(rulesFile, JSON.stringify(candidateRules(current)));
    const args = [
      CLI_ENTRY,
      '--rules',
      rulesFile,
      '--since',
      period.from.toISOString(),
      '--until',
      period.to.toISOString(),
      '--json',
    ];
    const started = Date.now();
    const { code, stdout, stderr } = await new Promise<{
      code: number | null;
      stdout: string;
      stderr: string;
    }>((resolve, reject) => {
      const child = spawn('/usr/bin/time', ['-v', process.execPath, ...args], {
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: testDatabaseUrl(name, TEST_APP_POSTGRES_URL) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
    });
    const wall = Date.now() - started;
    if (code !== 0) throw new Error(`the what-if CLI exited with ${code}:\n${stderr.slice(-2000)}`);
    const run = JSON.parse(stdout) as WhatIfRun;
    const figures = timeFigures(stderr);
    rows.push({ mode: 'cli --json', wallSeconds: seconds(wall), ...figures, note: 'node start included' });
    log(`  cli: ${seconds(wall).toFixed(2)} s`);
    return outcomeOf(run, run.differences);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The current rules with the bench's one change, as the API's preview applies it. */
function candidateRules(current: readonly Rule[]): Rule[] {
  return current.map((rule) =>
    rule.id === CHANGED_RULE ? { ...rule, threshold: NEW_THRESHOLD, version: rule.version + 1 } : rule,
  );
}

/** runWhatIf in this process, with the time and the database backend's CPU of each kind of call. */
async function measurePhases(
  dataSource: DataSource,
  period: { from: Date; to: Date },
  rows: Row[],
): Promise<Outcome> {
  const replay = new ReplayRepository(dataSource);
  const [{ pid }]: { pid: number }[] = await dataSource.query('SELECT pg_backend_pid() AS pid');
  const current = await replay.rules();
  const allowlist = await replay.allowlist();
  const spent = {
    numbersIn: 0,
    numbersInPg: 0,
    timelines: 0,
    timelinesPg: 0,
    batches: 0,
    timelineReports: 0,
  };
  const timedCall = async <T>(call: () => Promise<T>, add: (ms: number, pg: number) => void): Promise<T> => {
    const pgBefore = cpuSeconds(pid);
    const started = process.hrtime.bigint();
    const result = await call();
    add(Number(process.hrtime.bigint() - started) / 1e6, cpuSeconds(pid) - pgBefore);
    return result;
  };
  const cpuBefore = process.cpuUsage();
  const started = Date.now();
  const run = await runWhatIf(
    {
      numbersIn: (leastWeighted) =>
        timedCall(
          () => replay.numbersIn(period, leastWeighted),
          (ms, pg) => ((spent.numbersIn += ms), (spent.numbersInPg += pg)),
        ),
      timelines: async (numbers) => {
        const timelines = await timedCall(
          () => replay.timelines(numbers, period),
          (ms, pg) => ((spent.timelines += ms), (spent.timelinesPg += pg), (spent.batches += 1)),
        );
        for (const timeline of timelines.values()) spent.timelineReports += timeline.length;
        return timelines;
      },
    },
    { current, candidate: candidateRules(current) },
    (number) => isAllowlisted(number, allowlist),
  );
  const wall = Date.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const replayMs = wall - spent.numbersIn - spent.timelines;
  rows.push({
    mode: 'phases (in bench process)',
    wallSeconds: seconds(wall),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    postgresCpuSeconds: spent.numbersInPg + spent.timelinesPg,
  });
  log(
    `  phases: numbersIn ${seconds(spent.numbersIn).toFixed(2)} s (PostgreSQL CPU ${spent.numbersInPg.toFixed(2)} s), ` +
      `timelines ${seconds(spent.timelines).toFixed(2)} s in ${spent.batches} batches, ` +
      `${spent.timelineReports} reports (PostgreSQL CPU ${spent.timelinesPg.toFixed(2)} s), ` +
      `replay and the rest ${seconds(replayMs).toFixed(2)} s`,
  );
  return outcomeOf(run, run.differences);
}

function naiveRow(naive: NaiveRun, peakMb: number): Row {
  return {
    mode: naive.finished ? 'naive (old engine)' : 'naive (old engine), projected',
    wallSeconds: naive.projectedSeconds,
    peakMb,
    note:
      `peak of the bench process; load ${naive.loadSeconds.toFixed(1)} s; replayed ${naive.reportsReplayed} of ${naive.reports} reports ` +
      `(${naive.numbersReplayed} of ${naive.numbers} numbers) in ${naive.replaySeconds.toFixed(1)} s`,
  };
}

function printTable(rows: readonly Row[], reports: number): void {
  const cell = (n: number | undefined, digits = 2) => (n === undefined ? '-' : n.toFixed(digits)).padStart(9);
  log(`\n${'mode'.padEnd(32)}   wall s   tookMs s  peak MiB   CPU s  PG CPU s  reports/s`);
  for (const row of rows)
    log(
      `${row.mode.padEnd(32)} ${cell(row.wallSeconds)} ${cell(row.tookSeconds)} ${cell(row.peakMb, 0)} ` +
        `${cell(row.cpuSeconds)} ${cell(row.postgresCpuSeconds)} ${cell(reports / row.wallSeconds, 0).padStart(10)}` +
        (row.note ? `  (${row.note})` : ''),
    );
}

function agree(outcomes: Record<string, Outcome>): void {
  const [first, ...rest] = Object.entries(outcomes);
  for (const [mode, outcome] of rest)
    if (JSON.stringify(outcome) !== JSON.stringify(first[1]))
      throw new Error(
        `${mode} and ${first[0]} disagree:\n${JSON.stringify(outcome)}\n${JSON.stringify(first[1])}`,
      );
  const o = first[1];
  log(
    `\n${Object.keys(outcomes).join(', ')} agree: ${o.reports} reports, ${o.numbers} numbers, ` +
      `${o.numbersReplayed} replayed; current ${JSON.stringify(o.current)}, candidate ${JSON.stringify(o.candidate)}, ` +
      `changes ${JSON.stringify(o.changes)}`,
  );
}

async function main(): Promise<void> {
  const name = `am_bench_whatif_${Date.now()}`;
  const url = testDatabaseUrl(name);
  const now = new Date();
  const period = {
    from: new Date(now.getTime() - WHATIF_DAYS * 86_400_000),
    to: new Date(now.getTime() + 60_000),
  };
  const shape = whatIfDatasetShape(REPORTS);
  await ensureDatabaseExists(url);
  const monitor = new Client({ connectionString: url });
  const dataSource = new DataSource({ ...dataSourceOptions({ url, poolSize: 1 }), logging: ['error'] });
  try {
    log(
      `database ${name}: ${REPORTS} reports over ${WHATIF_DAYS} days (${shape.heavy} heavy spammers, ` +
        `${shape.tail} tail numbers, a pool of ${shape.single} for the rest, ${shape.reporters} reporters)`,
    );
    log(
      `machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), load average ` +
        `${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')} at the start; shared with other work, so times vary between runs`,
    );
    await migrate(url);
    await seedWhatIfDataset(url, shape, now, log);
    await monitor.connect();
    await dataSource.initialize();
    const current = await new ReplayRepository(dataSource).rules();
    const rows: Row[] = [];
    log(
      `\nchange: ${CHANGED_RULE} threshold ${current.find((r) => r.id === CHANGED_RULE)?.threshold} -> ${NEW_THRESHOLD}`,
    );
    const outcomes: Record<string, Outcome> = {};
    outcomes.api = await measureApi(name, monitor, period, rows);
    outcomes.cli = await measureCli(name, current, period, rows);
    outcomes.phases = await measurePhases(dataSource, period, rows);
    agree(outcomes);
    if (NAIVE_BUDGET_MS > 0) {
      log(`\nnaive peer: replaying for at most ${NAIVE_BUDGET_MS / 1000} s`);
      const naive = await runNaiveWhatIf(
        dataSource,
        period,
        { current, candidate: candidateRules(current) },
        NAIVE_BUDGET_MS,
      );
      // This process did nothing big before: its peak is the naive engine's load.
      rows.push(naiveRow(naive, peakRssMb(process.pid)));
    }
    printTable(rows, REPORTS);
    log(
      `\nload average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} at the end (2 cores shared with other work)`,
    );
    log('summary:');
    for (const row of rows)
      log(
        `  ${row.mode}: ${row.wallSeconds.toFixed(2)} s, ` +
          `${row.peakMb === undefined ? 'peak not measured' : `${row.peakMb} MiB peak`}, ` +
          `${Math.round(REPORTS / row.wallSeconds)} reports/s` +
          (row.mode.startsWith('api') || row.mode.startsWith('cli')
            ? row.wallSeconds <= TARGET_SECONDS
              ? ` (within the ${TARGET_SECONDS} s aim)`
              : ` (over the ${TARGET_SECONDS} s aim)`
            : ''),
      );
  } finally {
    await monitor.end().catch(() => {});
    if (dataSource.isInitialized) await dataSource.destroy();
    if (values.keep) log(`kept database ${name} (drop it with: dropdb -h 127.0.0.1 -U postgres ${name})`);
    else await dropDatabase(url);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
