/**
 * The pipeline end to end: real broker, real PostgreSQL, each compiled app in its own process.
 *
 *   npm run bench -- pipeline [--from raw|accepted] [--count 200000] [--rate 5000] [--seconds 30]
 *                             [--instances 1] [--partitions 3] [--naive-count 20000] [--scheduler]
 *                             [--apps DIR] [--json FILE]
 *
 * --from raw (the default) starts where the operator's SMS gateway does, on reports.sms.raw, with
 * ingest and aggregator running; --from accepted starts on reports.accepted with the aggregator
 * alone. --instances runs that many of each app (--ingest-instances and --aggregator-instances
 * set them apart); --partitions is every topic's partition count; --scheduler runs the scheduler
 * beside them (its jobs on the bench's database; the campaigns grouping every 10 s unless
 * CAMPAIGNS_CRON says otherwise), to measure what its jobs take from the pipeline.
 *
 * 1. Replay: publishes `count` messages (the gateway's mix: about 10% no report, 3% redeliveries;
 *    received at the national rate of 2,800 reports a day, up to now), then measures:
 *    - kafkajs consume-only on the same topic (eachBatch doing nothing): the ceiling;
 *    - a naive consumer (eachMessage, a regex, an INSERT and an UPSERT per message) on the first
 *      `naive-count` messages: the floor (raw only);
 *    - the pipeline: starts the apps and times them from the first report out of ingest (the first
 *      counted, from accepted) until every accepted report is counted (the aggregators' own
 *      counter, against the number the bench expects from deciding every message itself), with
 *      the CPU of each process and the apps' peak memory; where the server loads
 *      pg_stat_statements (added to shared_preload_libraries, then a restart) and the bench may
 *      create the extension (a superuser), also PostgreSQL's time in each kind of statement.
 * 2. Steady load: publishes `rate` messages a second for `seconds`, among them reports that make
 *    known numbers cross the opening rule's threshold, and reports the time from the publication
 *    of each crossing report to its flag's 'opened' event on subscriber.flags, and from a report's
 *    publication to its counted state (reports.stored_at). The flags' time is split hop by hop:
 *    ingest's record on reports.accepted (its timestamp, and when the bench could read it), the
 *    aggregator's transaction (the outbox row's created_at; its commit where PostgreSQL has
 *    track_commit_timestamp on), the relay's (published_at) and the event's record timestamp.
 * --apps runs the built apps of another checkout (its dist/ and node_modules/) under this bench, so
 * that two versions are measured alike (`npm run bench -- compare` does it); --json writes the
 * figures runs are compared by to FILE.
 * Environment: INGEST_*, AGGREGATOR_*, COORDINATION_* and (to the scheduler) *_CRON pass through
 * to the apps, BENCH_NODE_ARGS to their node (for example "--cpu-prof --cpu-prof-dir=/tmp/prof"),
 * and BENCH_AFTER_MIGRATE_SQL runs after the migrations (an index less, a setting).
 * Needs the broker (npm run kafka -- start) and PostgreSQL; creates its own database and topics
 * (under a random prefix, so that runs never collide), and drops them at the end, also on failure.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Kafka, logLevel, Message, Partitioners, Producer } from 'kafkajs';
import { TopicNames, topicNames } from '@abuse-monitor/messaging';
import { AcceptedReportTraffic } from './support/accepted-report-traffic';
import {
  APP_NODE_ARGS,
  AppProcess,
  AppSettings,
  checkRunning,
  CountedReports,
} from './support/app-processes';
import { BenchDatabase } from './support/bench-database';
import { createTopics, deleteTopics, highWatermark } from './support/bench-topics';
import { BenchTraffic } from './support/bench-traffic';
import { consumeOnly, ConsumerRate } from './support/consume-only';
import { CpuByRole } from './support/cpu-by-role';
import { FlagLatency, flagHops, watchTopic } from './support/flag-latency';
import { FlagTargets, openingRule } from './support/flag-targets';
import { naiveConsumer } from './support/naive-consumer';
import {
  formatResults,
  IdleResult,
  keyFigures,
  PipelineResults,
  ReplayResult,
  SteadyResult,
} from './support/pipeline-report';
import { RawSmsTraffic } from './support/raw-sms-traffic';
import { StatementTimes } from './support/statement-times';

const { values } = parseArgs({
  options: {
    from: { type: 'string', default: 'raw' },
    count: { type: 'string', default: '200000' },
    rate: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '30' },
    instances: { type: 'string', default: '1' },
    'ingest-instances': { type: 'string' },
    'aggregator-instances': { type: 'string' },
    partitions: { type: 'string', default: '3' },
    'naive-count': { type: 'string', default: '20000' },
    scheduler: { type: 'boolean', default: false },
    apps: { type: 'string' },
    json: { type: 'string' },
  },
});

function positive(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--${name} must be a whole number above 0, not ${value}`);
  return n;
}

if (values.from !== 'raw' && values.from !== 'accepted')
  throw new Error(`--from must be raw or accepted, not ${values.from}`);
const FROM_RAW = values.from === 'raw';
const COUNT = positive('count', values.count);
const RATE = positive('rate', values.rate);
const SECONDS = positive('seconds', values.seconds);
const PARTITIONS = positive('partitions', values.partitions);
const NAIVE_COUNT = positive('naive-count', values['naive-count']);
const AGGREGATORS = positive('aggregator-instances', values['aggregator-instances'] ?? values.instances);
const INGESTS = FROM_RAW ? positive('ingest-instances', values['ingest-instances'] ?? values.instances) : 0;

const ROOT = join(__dirname, '..');
/** The checkout whose built apps run (its dist/ and node_modules/): this one unless --apps names another. */
const APPS_ROOT = values.apps === undefined ? ROOT : resolve(values.apps);
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** DOMAIN.md: about 2,800 reports a day reach 156/5656; the replay is received at that pace. */
const REPORTS_A_DAY = 2_800;
const PUBLISH_BATCH = 5_000;
/** How long the apps are watched idle, after the steady load. */
const IDLE_SECONDS = 10;
/** The steady load's publishing tick. */
const TICK_MS = 100;
/** One new flag target per this many messages of the steady load (with 3 reporters each, 3% of the load). */
const MESSAGES_PER_TARGET = 100;
/** A run whose counted reports do not move for this long has failed. */
const STALL_MS = 180_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (line: string) => process.stdout.write(`${line}\n`);
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * Cleanup steps, run last-in first-out at the end, after a failure, or on Ctrl-C. Run once: on
 * Ctrl-C the phase under way fails as its connections close, and its failure waits for the same
 * cleanup instead of exiting halfway through it.
 */
class Teardown {
  private readonly steps: { what: string; run: () => Promise<unknown> }[] = [];
  private running: Promise<void> | null = null;

  add(what: string, run: () => Promise<unknown>): void {
    this.steps.push({ what, run });
  }

  run(): Promise<void> {
    this.running ??= this.runSteps();
    return this.running;
  }

  private async runSteps(): Promise<void> {
    for (const { what, run } of this.steps.splice(0).reverse()) {
      try {
        await run();
      } catch (error) {
        process.stderr.write(
          `cleanup: could not ${what}: ${error instanceof Error ? error.message : String(error)}\n`,
        );
      }
    }
  }
}

/** What every phase of one run works with. */
interface Run {
  kafka: Kafka;
  producer: Producer;
  topics: TopicNames;
  /** This run's prefix of topic and group names. */
  prefix: string;
  db: BenchDatabase;
  traffic: BenchTraffic;
  teardown: Teardown;
}

/** Starts counting the CPU of the apps, the broker and PostgreSQL (on the bench's database) from now. */
function watchCpu(apps: AppProcess[], database: string): CpuByRole {
  return new CpuByRole(new Map(apps.map((app) => [app.pid, app.name])), database);
}

async function publish(producer: Producer, topic: string, messages: Message[]): Promise<void> {
  for (let i = 0; i < messages.length; i += PUBLISH_BATCH)
    await producer.send({ topic, messages: messages.slice(i, i + PUBLISH_BATCH) });
}

/** The replay: `COUNT` messages received at the national pace, the last a minute ago. */
async function publishReplay(producer: Producer, traffic: BenchTraffic): Promise<number> {
  const step = 86_400_000 / REPORTS_A_DAY;
  const first = Date.now() - 60_000 - COUNT * step;
  const started = Date.now();
  for (let i = 0; i < COUNT; i += PUBLISH_BATCH) {
    const batch = Array.from({ length: Math.min(PUBLISH_BATCH, COUNT - i) }, (_, j) =>
      traffic.next(first + (i + j) * step),
    );
    await publish(producer, traffic.topic, batch);
  }
  return (Date.now() - started) / 1000;
}

/**
 * How long to wait before reading the count again: each read scrapes the aggregators' metrics,
 * which cost the aggregator about 0.6 % of its busy time per read a second (a CPU profile: at four
 * reads a second, 2.3 %, against one read per 15 s from Prometheus). Read a quarter of the
 * estimated time left ahead, between 50 ms and a second: rarely while the end is far, often
 * enough near it that the end is timed within a few per cent of what is left.
 */
function nextRead(counted: number, expected: number, start: number): number {
  if (start === 0 || counted === 0) return 250;
  const perMs = counted / Math.max(Date.now() - start, 1);
  const leftMs = (expected - counted) / perMs;
  return Math.min(1_000, Math.max(50, leftMs / 4));
}

/**
 * Waits until the aggregators have counted `expected` reports, checking at each read of the count
 * (nextRead) that the apps still run and that the count moves, and sampling CPU every second. The
 * window starts when the pipeline first produces something, so that the apps' start-up and group
 * joins are left out.
 */
async function untilCounted(
  expected: number,
  counted: CountedReports,
  apps: AppProcess[],
  window: { cpu?: CpuByRole; firstOutput?: () => Promise<boolean> } = {},
): Promise<{ start: number; end: number }> {
  const { cpu, firstOutput = async () => true } = window;
  let start = 0;
  let lastCount = -1;
  let lastChange = Date.now();
  let lastSample = 0;
  let lastProgress = Date.now();
  const began = Date.now();
  let wait = 250;
  for (;;) {
    await sleep(wait);
    checkRunning(apps);
    if (start === 0 && (await firstOutput())) {
      start = Date.now();
      cpu?.mark();
    }
    const n = await counted.read();
    if (Date.now() - lastSample >= 1_000) {
      cpu?.sample();
      lastSample = Date.now();
    }
    if (n >= expected) {
      cpu?.sample();
      return { start: start || began, end: Date.now() };
    }
    wait = nextRead(n, expected, start);
    if (n !== lastCount) {
      lastCount = n;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > STALL_MS) {
      const logs = apps.map((app) => `  ${app.label} logged ${app.logged} lines, last:\n${app.lastLines()}`);
      throw new Error(
        `stalled: ${n} of ${expected} reports counted for ${STALL_MS / 1000} s\n${logs.join('\n')}`,
      );
    }
    if (Date.now() - lastProgress >= 10_000) {
      say(
        `  ${thousands(n)} of ${thousands(expected)} counted after ${Math.round((Date.now() - began) / 1000)} s`,
      );
      lastProgress = Date.now();
    }
  }
}

/** Starts the apps on the published replay and times them until every report is counted. */
async function replay(run: Run, apps: AppProcess[]): Promise<ReplayResult> {
  const { kafka, traffic, topics, db } = run;
  const settings: AppSettings = {
    root: APPS_ROOT,
    databaseUrl: db.url,
    brokers: BROKERS,
    topicPrefix: run.prefix,
    partitions: PARTITIONS,
  };
  const walAtStart = await db.walPosition();
  const statements = await StatementTimes.start(db);
  const spawnedAt = Date.now();
  for (let i = 0; i < INGESTS; i += 1) apps.push(await AppProcess.start('ingest', i, settings));
  for (let i = 0; i < AGGREGATORS; i += 1) apps.push(await AppProcess.start('aggregator', i, settings));
  // The scheduler beside the pipeline (--scheduler): its jobs, the campaigns grouping above all,
  // share PostgreSQL and the cores with it (issue 20: the grouping may cost at most 10 %).
  if (values.scheduler) {
    process.env.CAMPAIGNS_CRON ??= '*/10 * * * * *';
    apps.push(await AppProcess.start('scheduler', 0, settings));
  }
  const counted = new CountedReports(apps.filter((app) => app.name === 'aggregator'));
  say(`replay: ${apps.map((app) => app.label).join(', ')} started; counting...`);

  const cpu = watchCpu(apps, db.name);
  const admin = kafka.admin();
  await admin.connect();
  let benchCpuAtStart = process.cpuUsage();
  try {
    const firstOutput = async () => {
      const started = FROM_RAW
        ? (await highWatermark(admin, topics.accepted)) > 0
        : (await counted.read()) > 0;
      if (started) benchCpuAtStart = process.cpuUsage();
      return started;
    };
    const { start, end } = await untilCounted(traffic.acceptedReports, counted, apps, { cpu, firstOutput });
    const benchCpu = process.cpuUsage(benchCpuAtStart);
    return {
      seconds: (end - start) / 1000,
      withStartUp: (end - spawnedAt) / 1000,
      cpu: cpu.seconds(),
      machineCpu: cpu.machineSeconds(),
      benchCpu: (benchCpu.user + benchCpu.system) / 1e6,
      peakRss: new Map(apps.map((app) => [app.label, app.peakRssMb()])),
      database: await db.describe(walAtStart),
      statements:
        typeof statements === 'string'
          ? statements
          : await statements
              .since()
              .catch(
                (error: unknown) => `not measured: ${error instanceof Error ? error.message : String(error)}`,
              ),
      batches: await counted.batches(),
    };
  } finally {
    await admin.disconnect();
  }
}

/**
 * RATE messages a second, in ticks of 100 ms, each stamped with its publication time (the
 * gateway's receivedAt): the background mix, and one new flag target per 100 messages whose
 * reports come a second apart (see FlagTargets).
 */
async function steadyLoad(run: Run, apps: AppProcess[]): Promise<SteadyResult> {
  const { producer, traffic, db } = run;
  const counted = new CountedReports(apps.filter((app) => app.name === 'aggregator'));
  const latency = new FlagLatency();
  const watcher = await watchTopic(
    run.kafka,
    run.topics.subscriberFlags,
    `${run.prefix}flags`,
    (messages, at) => {
      for (const message of messages) latency.observe(message.value, message.timestamp, at);
    },
  );
  run.teardown.add('stop reading subscriber.flags', watcher.stop);
  // Reading every accepted report costs the bench about what kafkajs' consume-only does (a few
  // µs a message); it splits the time before the aggregator into ingest's part and the wait.
  if (FROM_RAW) {
    const acceptedWatcher = await watchTopic(
      run.kafka,
      run.topics.accepted,
      `${run.prefix}accepted`,
      (messages, at) => {
        for (const message of messages)
          latency.observeAccepted(message.key, message.value, message.timestamp, at);
      },
      false,
    );
    run.teardown.add('stop reading reports.accepted', acceptedWatcher.stop);
  }
  const rule = openingRule();
  const targets = new FlagTargets(rule.threshold, 1_000 / TICK_MS);
  const ticks = Math.round((SECONDS * 1_000) / TICK_MS);
  const messagesBefore = traffic.messages;
  const reportsBefore = traffic.acceptedReports;
  const batchesBefore = await counted.batches();
  // Small batches here, unlike the replay's full fetches: what a cost per batch weighs.
  const cpu = watchCpu(apps, db.name);
  let carry = 0;
  let targetCarry = 0;
  const from = Date.now();
  for (let tick = 0; tick < ticks; tick += 1) {
    // Only targets whose crossing report still falls within the load.
    if (tick + targets.span < ticks) {
      targetCarry += (RATE * TICK_MS) / 1_000 / MESSAGES_PER_TARGET;
      for (; targetCarry >= 1; targetCarry -= 1) targets.start(tick);
    }
    carry += (RATE * TICK_MS) / 1_000;
    const due = Math.floor(carry);
    carry -= due;
    const now = Date.now();
    const messages: Message[] = targets.take(tick).map((target) => {
      const report = traffic.report(target.reportedNational, target.reporterNational, now);
      if (target.crossing) latency.expect(report.reportedNumber, now, now);
      return report;
    });
    while (messages.length < due) messages.push(traffic.next(now));
    await publish(producer, traffic.topic, messages);
    checkRunning(apps);
    if (tick % 10 === 0) cpu.sample();
    await sleep(from + (tick + 1) * TICK_MS - Date.now());
  }
  const loadSeconds = (Date.now() - from) / 1_000;
  const messages = traffic.messages - messagesBefore;
  say(
    `  published ${thousands(messages)} messages in ${loadSeconds.toFixed(1)} s; waiting for the last reports and flags...`,
  );

  const loadEnded = Date.now();
  const { end } = await untilCounted(traffic.acceptedReports, counted, apps);
  cpu.sample();
  const batches = (await counted.batches()) - batchesBefore;
  const flagsDeadline = Date.now() + 60_000;
  while (!latency.complete && Date.now() < flagsDeadline) await sleep(100);
  const paths = latency.paths();

  return {
    offeredPerSecond: messages / loadSeconds,
    drainSeconds: (end - loadEnded) / 1_000,
    messages,
    flags: latency.summary(),
    flagHops: flagHops(paths, await db.flagStages(paths.map((path) => path.reportedNumber))),
    threshold: rule.threshold,
    ruleId: rule.id,
    counted: await db.publicationToCounted(from),
    peakRss: new Map(apps.map((app) => [app.label, app.peakRssMb()])),
    cpu: cpu.seconds(),
    reports: traffic.acceptedReports - reportsBefore,
    batches,
  };
}

/**
 * What each process spends with nothing to do, the apps connected and caught up: a deployment's
 * usual state, since national traffic is a few thousand reports a day (decision 0080).
 */
async function idleCost(run: Run, apps: AppProcess[]): Promise<IdleResult> {
  say(`idle for ${IDLE_SECONDS} s...`);
  const cpu = watchCpu(apps, run.db.name);
  await sleep(IDLE_SECONDS * 1_000);
  checkRunning(apps);
  cpu.sample();
  return { seconds: IDLE_SECONDS, cpu: cpu.seconds() };
}

async function bench(teardown: Teardown): Promise<void> {
  const prefix = `bench.${randomBytes(3).toString('hex')}.`;
  const topics = topicNames(prefix);
  const kafka = new Kafka({ clientId: 'bench', brokers: BROKERS, logLevel: logLevel.NOTHING });
  const db = await BenchDatabase.create(
    ADMIN_URL,
    `am_bench_${Date.now()}`,
    APPS_ROOT === ROOT ? undefined : APPS_ROOT,
  );
  teardown.add(`drop database ${db.name}`, () => db.drop());
  await createTopics(kafka, topics, PARTITIONS);
  teardown.add(`delete topics ${prefix}*`, () => deleteTopics(kafka, topics));
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  teardown.add('disconnect the producer', () => producer.disconnect());
  const traffic: BenchTraffic = FROM_RAW
    ? new RawSmsTraffic(topics.smsRaw, 156_5656)
    : new AcceptedReportTraffic(topics.accepted);
  const run: Run = { kafka, producer, topics, prefix, db, traffic, teardown };

  say(
    `publishing ${thousands(COUNT)} messages to ${traffic.topic}, received at ${REPORTS_A_DAY}/day up to now...`,
  );
  const publishSeconds = await publishReplay(producer, traffic);
  const reports = traffic.acceptedReports;
  const mix = traffic.describe();
  say(`  published in ${publishSeconds.toFixed(1)} s: ${mix}`);

  say('kafkajs consume-only...');
  const consumeOnlyRate = await consumeOnly(kafka, traffic.topic, `${prefix}consume-only`);
  let naive: ConsumerRate | null = null;
  if (FROM_RAW) {
    const limit = Math.min(NAIVE_COUNT, COUNT);
    say(`naive per-message consumer on the first ${thousands(limit)} messages...`);
    naive = await naiveConsumer(kafka, traffic.topic, `${prefix}naive`, db.url, limit);
  }

  const apps: AppProcess[] = [];
  teardown.add('stop the apps', () => Promise.all(apps.map((app) => app.stop())));
  const replayed = await replay(run, apps);
  say(`  ${thousands(reports)} reports counted in ${replayed.seconds.toFixed(1)} s`);

  // A database under a steady load has been in service for more than autovacuum's minute.
  await db.analyze();
  say(`steady load: ${thousands(RATE)} messages/s for ${SECONDS} s...`);
  const steady = await steadyLoad(run, apps);
  await sleep(2_000); // a report counted twice would show by now
  const finalCount = await new CountedReports(apps.filter((app) => app.name === 'aggregator')).read();
  const idle = await idleCost(run, apps);

  const results: PipelineResults = {
    fromRaw: FROM_RAW,
    runtime: [process.version, ...APP_NODE_ARGS].join(' '),
    ingests: INGESTS,
    aggregators: AGGREGATORS,
    partitions: PARTITIONS,
    replayed: COUNT,
    mix,
    reports,
    replay: replayed,
    consumeOnly: consumeOnlyRate,
    naive,
    rate: RATE,
    seconds: SECONDS,
    steady,
    idle,
    expectedCount: traffic.acceptedReports,
    finalCount,
  };
  say('');
  say(formatResults(results));
  if (values.json !== undefined)
    writeFileSync(
      values.json,
      `${JSON.stringify({ apps: APPS_ROOT, figures: keyFigures(results) }, null, 2)}\n`,
    );
}

let interrupted = false;

async function main(): Promise<void> {
  const teardown = new Teardown();
  const interrupt = () => {
    interrupted = true;
    process.stderr.write('interrupted: cleaning up...\n');
    void teardown.run().then(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    await bench(teardown);
  } finally {
    await teardown.run();
  }
}

main().catch((error: unknown) => {
  if (!interrupted)
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(interrupted ? 130 : 1);
});
