import { availableParallelism } from 'node:os';
import { ConsumerRate } from './consume-only';
import { BROKER_PARTS, CpuSeconds, POSTGRES_PARTS, total } from './cpu-by-role';
import { FlagHop, FlagLatencySummary } from './flag-latency';
import { StatementsMeasured, StatementTime } from './statement-times';

export interface ReplayResult {
  /** From the first report out of ingest (from accepted: the first counted) to the last counted. */
  seconds: number;
  /** From the apps' spawn to the last counted. */
  withStartUp: number;
  cpu: CpuSeconds;
  /** The whole machine's CPU over the same window. */
  machineCpu: number;
  /** The bench's own CPU over the same window (it polls the apps' metrics and the broker). */
  benchCpu: number;
  /** MB by app instance. */
  peakRss: Map<string, number>;
  database: string;
  /** PostgreSQL's time in each kind of statement over the replay, or why it was not measured. */
  statements: StatementsMeasured | string;
  /** The aggregators' batches (transactions) in the replay, start-up included. */
  batches: number;
}

export interface SteadyResult {
  offeredPerSecond: number;
  /** From the end of the load to the last report counted: more than a moment means it fell behind. */
  drainSeconds: number;
  messages: number;
  flags: FlagLatencySummary;
  /** The flags' time hop by hop, from the outbox's timestamps and the events' record timestamps. */
  flagHops: FlagHop[];
  threshold: number;
  ruleId: string;
  /** Publication to counted state, or why it was not measured. */
  counted: { p50: number; p99: number } | string;
  /** MB by app instance, at the end. */
  peakRss: Map<string, number>;
  /** From the start of the load until its last report is counted. */
  cpu: CpuSeconds;
  /** Accepted reports published by the load, and the aggregators' batches for them. */
  reports: number;
  batches: number;
}

/** CPU over a window with nothing published, after the steady load. */
export interface IdleResult {
  seconds: number;
  cpu: CpuSeconds;
}

export interface PipelineResults {
  fromRaw: boolean;
  /** The apps' Node and its flags (APP_NODE_ARGS): the same code runs at other speeds on others. */
  runtime: string;
  ingests: number;
  aggregators: number;
  partitions: number;
  /** Messages the replay published, and what they are. */
  replayed: number;
  mix: string;
  /** Accepted reports among them: what the aggregators counted. */
  reports: number;
  replay: ReplayResult;
  consumeOnly: ConsumerRate;
  naive: ConsumerRate | null;
  rate: number;
  seconds: number;
  steady: SteadyResult;
  idle: IdleResult;
  expectedCount: number;
  finalCount: number;
}

const thousands = (n: number) => Math.round(n).toLocaleString('en-US');
const whole = (n: number) => (Number.isFinite(n) ? thousands(n) : 'n/a');
const ms = (n: number) => (Number.isFinite(n) ? `${thousands(n)} ms` : 'n/a');
/** CPU seconds as whole microseconds a report. */
const usPerReport = (seconds: number, reports: number) => thousands((seconds * 1e6) / Math.max(reports, 1));
/** What all the processes measured spent, in seconds. */
const allSeconds = (seconds: CpuSeconds) => [...seconds.values()].reduce((sum, s) => sum + s, 0);
/** The role of PostgreSQL's sessions on the bench database: what the pipeline's statements cost. */
const SESSIONS = `PostgreSQL: ${POSTGRES_PARTS[0]}`;
/** The apps' roles and figures, the broker and PostgreSQL left out. */
const appsIn = (seconds: CpuSeconds) =>
  [...seconds].filter(([role]) => !role.startsWith('broker') && !role.startsWith('PostgreSQL'));
const ratio = (a: number, b: number) => (a / b).toFixed(a / b < 0.1 ? 3 : 2);
const table = (rows: [string, string][]) => rows.map(([name, value]) => `  ${name.padEnd(32)} ${value}`);
const memory = (peakRss: Map<string, number>) =>
  [...peakRss].map(([app, mb]) => `${app} ${mb} MB`).join(', ');
const rate = (r: ConsumerRate, digits: number) =>
  `${thousands(r.perSecond)} messages/s (${thousands(r.messages)} in ${r.seconds.toFixed(digits)} s)`;

function throughput(r: PipelineResults): string[] {
  const reports = r.reports / r.replay.seconds;
  // Like for like: the baselines read every message of the topic, the pipeline too.
  const messages = r.replayed / r.replay.seconds;
  const butReports = (baseline: number) => (r.fromRaw ? ` (${ratio(reports, baseline)} in reports/s)` : '');
  const rows: [string, string][] = [
    [
      r.fromRaw ? 'pipeline, raw SMS to counted' : 'aggregator, accepted to counted',
      `${thousands(reports)} reports/s` +
        (r.fromRaw ? ` = ${thousands(messages)} raw messages/s` : '') +
        ` (${r.replay.seconds.toFixed(1)} s; ${r.replay.withStartUp.toFixed(1)} s with start-up)`,
    ],
    ['kafkajs consume-only', rate(r.consumeOnly, 2)],
  ];
  if (r.naive) rows.push(['naive per-message consumer', rate(r.naive, 1)]);
  rows.push([
    'pipeline / consume-only',
    ratio(messages, r.consumeOnly.perSecond) + butReports(r.consumeOnly.perSecond),
  ]);
  if (r.naive)
    rows.push(['pipeline / naive', ratio(messages, r.naive.perSecond) + butReports(r.naive.perSecond)]);
  return [
    `throughput on ${r.fromRaw ? 'reports.sms.raw' : 'reports.accepted'}, the pipeline timed from its first ` +
      `report ${r.fromRaw ? 'out of ingest' : 'counted'} to the last one counted:`,
    ...table(rows),
  ];
}

function cpu(r: PipelineResults): string[] {
  const { cpu: seconds } = r.replay;
  const perReport = (s: number) => `${usPerReport(s, r.reports).padStart(5)} µs/report`;
  const row = (name: string, s: number, detail = ''): [string, string] => [
    name,
    `${perReport(s)}  (${s.toFixed(1)} s${detail})`,
  ];
  const apps = [
    ...(r.fromRaw ? ['ingest', 'aggregator'] : ['aggregator']),
    ...(seconds.has('scheduler') ? ['scheduler'] : []),
  ];
  const parts = (role: string, names: readonly string[]) =>
    names.map((part) => `${part} ${(seconds.get(`${role}: ${part}`) ?? 0).toFixed(1)}`).join(', ');
  const all = allSeconds(seconds);
  return [
    `CPU per accepted report during the replay (${thousands(r.reports)} reports in ` +
      `${r.replay.seconds.toFixed(1)} s, ${availableParallelism()} cores):`,
    ...table([
      ...apps.map((app) => row(app, seconds.get(app) ?? 0)),
      row('broker', total(seconds, 'broker'), `: ${parts('broker', BROKER_PARTS)}`),
      row('PostgreSQL', total(seconds, 'PostgreSQL'), `: ${parts('PostgreSQL', POSTGRES_PARTS)}`),
      row('all of these', all),
      row('the bench itself', r.replay.benchCpu, ', polling'),
      row('anything else on the machine', Math.max(0, r.replay.machineCpu - all - r.replay.benchCpu)),
    ]),
  ];
}

/** The statements PostgreSQL spent its time in over the replay: the longest first, the rest summed. */
function statements(r: PipelineResults): string[] {
  const measured = r.replay.statements;
  const title = "time in PostgreSQL's statements during the replay";
  if (typeof measured === 'string') return [`${title}: ${measured}`];
  const { times, evicted } = measured;
  if (times.length === 0)
    return [`${title}: not measured: none recorded (is pg_stat_statements.track 'none'?)`];
  const shown = 8;
  const all = times.reduce((sum, t) => sum + t.milliseconds, 0);
  const rest = times.slice(shown);
  const sum = (f: (t: StatementTime) => number) => rest.reduce((total, t) => total + f(t), 0);
  const rows: [string, number, string][] = times
    .slice(0, shown)
    .map((t) => [t.label, t.milliseconds, `${thousands(t.calls)} calls, ${thousands(t.rows)} rows`]);
  if (rest.length > 0)
    rows.push([
      `${rest.length} others`,
      sum((t) => t.milliseconds),
      `${thousands(sum((t) => t.calls))} calls, ${thousands(sum((t) => t.rows))} rows`,
    ]);
  const width = Math.max(32, ...rows.map(([label]) => label.length));
  return [
    `${title} (pg_stat_statements: from the apps' start to the last report counted, execution ` +
      `without planning, waits included), ${(all / 1000).toFixed(1)} s in all` +
      (evicted > 0 ? `; INCOMPLETE: the server dropped ${thousands(evicted)} entries meanwhile` : '') +
      ':',
    ...rows.map(
      ([label, milliseconds, detail]) =>
        `  ${label.padEnd(width)} ${usPerReport(milliseconds / 1000, r.reports).padStart(5)} µs/report  ` +
        `(${`${Math.round((100 * milliseconds) / Math.max(all, 1))}%`.padStart(3)}; ${detail})`,
    ),
  ];
}

function steady(r: PipelineResults): string[] {
  const { flags, counted } = r.steady;
  return [
    `steady load: ${thousands(r.rate)} messages/s asked for ${r.seconds} s ` +
      `(${thousands(r.steady.offeredPerSecond)}/s offered, ${thousands(r.steady.messages)} messages); ` +
      `the last report counted ${r.steady.drainSeconds.toFixed(1)} s after the load ended` +
      (r.steady.drainSeconds > 2 ? ' (it fell behind: latencies include the backlog)' : ''),
    ...table([
      [
        'publication -> flag event',
        `p50 ${ms(flags.p50)}, p99 ${ms(flags.p99)}, max ${ms(flags.max)} ` +
          `(${thousands(flags.seen)} of ${thousands(flags.expected)} flags seen, each opened by ` +
          `distinct reporter no. ${r.steady.threshold}, rule ${r.steady.ruleId}` +
          (flags.openedElsewhere > 0 ? `; ${flags.openedElsewhere} opened at another report` : '') +
          ')',
      ],
      ...r.steady.flagHops.map((hop): [string, string] => [
        `  ${hop.name}`,
        `p50 ${ms(hop.p50)}, p99 ${ms(hop.p99)}`,
      ]),
      [
        'publication -> counted',
        typeof counted === 'string'
          ? counted
          : `p50 ${ms(counted.p50)}, p99 ${ms(counted.p99)} (reports.stored_at - received_at)`,
      ],
    ]),
    `  CPU per accepted report during the steady load (${thousands(r.steady.reports)} reports in ` +
      `${thousands(r.steady.batches)} batches, ` +
      `${thousands(Math.round(r.steady.reports / Math.max(r.steady.batches, 1)))} each): ` +
      steadyCpu(r.steady.cpu, r.steady.reports),
  ];
}

/** Each process's CPU while idle, in per cent of a core: broker (JIT), the apps, PostgreSQL's sessions. */
function idleShares(r: PipelineResults): {
  broker: string;
  jit: string;
  apps: Map<string, string>;
  sessions: string;
} {
  const share = (s: number) => ((s / r.idle.seconds) * 100).toFixed(1);
  return {
    broker: share(total(r.idle.cpu, 'broker')),
    jit: share(r.idle.cpu.get('broker: JIT compilation') ?? 0),
    apps: new Map(appsIn(r.idle.cpu).map(([role, s]) => [role, share(s)])),
    sessions: share(r.idle.cpu.get(SESSIONS) ?? 0),
  };
}

function idle(r: PipelineResults): string {
  const { broker, jit, apps, sessions } = idleShares(r);
  return (
    `idle for ${r.idle.seconds} s after it, % of a core: broker ${broker} (JIT compilation ${jit}), ` +
    [...Array.from(apps, ([role, share]) => `${role} ${share}`), `${POSTGRES_PARTS[0]} ${sessions}`].join(
      ', ',
    )
  );
}

/** Each app's, the broker's (with what compilation took of it) and the pipeline's PostgreSQL sessions'. */
function steadyCpu(seconds: CpuSeconds, reports: number): string {
  const us = (s: number) => `${usPerReport(s, reports)} µs`;
  const apps = appsIn(seconds);
  return [
    `broker ${us(total(seconds, 'broker'))} (JIT compilation ${us(seconds.get('broker: JIT compilation') ?? 0)})`,
    ...apps.map(([role, s]) => `${role} ${us(s)}`),
    `${SESSIONS} ${us(seconds.get(SESSIONS) ?? 0)}`,
  ].join(', ');
}

/** The results, side by side, as the bench prints them. */
export function formatResults(r: PipelineResults): string {
  return [
    `== pipeline from ${r.fromRaw ? 'raw SMS' : 'accepted reports'}: ` +
      (r.fromRaw ? `${r.ingests} ingest + ` : '') +
      `${r.aggregators} aggregator, ${r.partitions} partitions, node ${r.runtime} ==`,
    `replay: ${thousands(r.replayed)} messages: ${r.mix}`,
    ...throughput(r),
    ...cpu(r),
    `peak RSS (VmHWM): after the replay ${memory(r.replay.peakRss)}; after the steady load ${memory(r.steady.peakRss)}`,
    `database after the replay: ${r.replay.database}`,
    ...statements(r),
    `aggregator batches in the replay: ${thousands(r.replay.batches)} ` +
      `(${thousands(Math.round(r.reports / Math.max(r.replay.batches, 1)))} reports each on average)`,
    ...steady(r),
    idle(r),
    r.finalCount === r.expectedCount
      ? `counted: ${thousands(r.finalCount)} reports in all, as expected`
      : `COUNTED ${thousands(r.finalCount)} REPORTS IN ALL, EXPECTED ${thousands(r.expectedCount)}`,
  ].join('\n');
}

/** The largest figure of any instance of each app ("ingest 0", "ingest 1" -> ingest). */
function byApp(peakRss: Map<string, number>): Map<string, number> {
  const apps = new Map<string, number>();
  for (const [instance, mb] of peakRss) {
    const app = instance.replace(/ \d+$/, '');
    apps.set(app, Math.max(apps.get(app) ?? 0, mb));
  }
  return apps;
}

/**
 * The figures that runs are compared by (`npm run bench -- compare`), one row each, as they read in
 * the tables of docs/benchmarks.md: throughput and its ratios, CPU per report by process in the
 * replay and at the steady load, the steady load's latency, and peak memory.
 */
export function keyFigures(r: PipelineResults): [string, string][] {
  const reports = r.reports / r.replay.seconds;
  const apps = r.fromRaw ? ['ingest', 'aggregator'] : ['aggregator'];
  const replay = r.replay.cpu;
  const all = allSeconds(replay);
  const steadyCpu = r.steady.cpu;
  const rss = byApp(r.steady.peakRss);
  const idleNow = idleShares(r);
  const naive = r.naive;
  return [
    ['node', r.runtime],
    [
      `${r.fromRaw ? 'pipeline, raw SMS' : 'aggregator, accepted'} to counted (reports/s)`,
      thousands(reports),
    ],
    [
      `kafkajs consume-only${naive ? '; naive' : ''} (messages/s)`,
      thousands(r.consumeOnly.perSecond) + (naive ? `; ${thousands(naive.perSecond)}` : ''),
    ],
    [
      `pipeline / consume-only${naive ? '; / naive' : ''} (reports/s)`,
      ratio(reports, r.consumeOnly.perSecond) + (naive ? `; ${ratio(reports, naive.perSecond)}` : ''),
    ],
    [
      `replay CPU µs/report ${apps.join('/')}/broker/PG/all processes`,
      [
        ...apps.map((app) => usPerReport(replay.get(app) ?? 0, r.reports)),
        usPerReport(total(replay, 'broker'), r.reports),
        usPerReport(total(replay, 'PostgreSQL'), r.reports),
        usPerReport(all, r.reports),
      ].join('/'),
    ],
    ['steady p50/p99 report -> flag event (ms)', `${whole(r.steady.flags.p50)}/${whole(r.steady.flags.p99)}`],
    [
      `steady CPU µs/report broker (JIT)/${apps.join('/')}/PG sessions`,
      [
        `${usPerReport(total(steadyCpu, 'broker'), r.steady.reports)} (${usPerReport(steadyCpu.get('broker: JIT compilation') ?? 0, r.steady.reports)})`,
        ...apps.map((app) => usPerReport(steadyCpu.get(app) ?? 0, r.steady.reports)),
        usPerReport(steadyCpu.get(SESSIONS) ?? 0, r.steady.reports),
      ].join('/'),
    ],
    [`peak RSS ${apps.join('/')}, largest instance (MB)`, apps.map((app) => rss.get(app) ?? 0).join('/')],
    [
      `idle % of a core broker (JIT)/${apps.join('/')}/PG sessions`,
      [
        `${idleNow.broker} (${idleNow.jit})`,
        ...apps.map((app) => idleNow.apps.get(app) ?? '0.0'),
        idleNow.sessions,
      ].join('/'),
    ],
    ['steady: last report counted after the load (s)', r.steady.drainSeconds.toFixed(1)],
    ['reports counted / expected', `${thousands(r.finalCount)} / ${thousands(r.expectedCount)}`],
  ];
}
