import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Message } from 'kafkajs';
import { AppProcess, eventually, sleep } from './support/app-process';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { produce, readTopic } from './support/kafka';
import { aggregationSnapshot } from './support/pipeline-snapshot';

/**
 * The whole pipeline, raw SMS to counters, exactly once through everything that goes wrong in
 * production at once: ingest and two aggregators killed mid-stream again and again, the broker
 * stopped and started, PostgreSQL restarted, and the gateway redelivering messages it already sent.
 */

const NUMBERS = 150;
const MESSAGES = 40_000;
const REDELIVERED = 3_000;
const DAY_MS = 86_400_000;

interface Sms {
  messageId: string;
  from: string;
  reportedNumber: string;
  text: string;
  receivedAt: string;
  valid: boolean;
}

/** A fixed pseudo-random stream of texts to 156 over the last two days, one in ten not a report. */
function dataset(): Sms[] {
  let state = 11;
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const start = Date.now() - 2 * DAY_MS;
  return Array.from({ length: MESSAGES }, (_, i) => {
    // A few numbers draw most reports, as spammers do.
    const number = 100_000 + Math.floor(next() ** 3 * NUMBERS);
    const reporter = `09${String(11_000_000 + Math.floor(next() * 3_000))}`;
    const valid = next() >= 0.1;
    return {
      messageId: `gw-fault-${i}`,
      from: reporter,
      reportedNumber: `+84987${number}`,
      text: valid ? `V 0987${number} goi lam phien ${i % 7}` : `xin chao ${i}`,
      receivedAt: new Date(start + (i * 2 * DAY_MS) / MESSAGES).toISOString(),
      valid,
    };
  });
}

/** Keyed by the reported number, so each number's texts keep their order on one partition. */
const asRaw = (sms: Sms): Message => ({
  key: sms.reportedNumber,
  value: JSON.stringify({
    messageId: sms.messageId,
    from: sms.from,
    to: '156',
    text: sms.text,
    receivedAt: sms.receivedAt,
  }),
});

const count = async (f: IngestFixture, table: string) =>
  Number((await f.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);

const outboxDrained = (f: IngestFixture) =>
  eventually(
    () => f.db.query('SELECT 1 FROM outbox WHERE published_at IS NULL'),
    (r) => r.length === 0,
    120_000,
  );

/**
 * The Debian cluster to restart, as "version/name": TEST_POSTGRES_CLUSTER when the tests run against
 * a cluster of their own (so repeated runs leave the shared one alone), else the local main one.
 */
function localCluster(): [string, string] | null {
  const named = process.env.TEST_POSTGRES_CLUSTER;
  if (named) {
    const [version, name] = named.split('/');
    if (!version || !name)
      throw new Error(`TEST_POSTGRES_CLUSTER is "version/name", e.g. 15/faults: got ${named}`);
    return [version, name];
  }
  if (!existsSync('/etc/postgresql') || process.env.TEST_POSTGRES_URL) return null;
  return [readdirSync('/etc/postgresql').sort().pop() as string, 'main'];
}

/** Restarts the local PostgreSQL server, or, where it is not ours to restart, cuts every session. */
function restartPostgres(f: IngestFixture): Promise<unknown> {
  const cluster = localCluster();
  if (cluster) {
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', ...cluster, 'restart', '-m', 'fast'], {
      stdio: 'ignore',
    });
    return Promise.resolve();
  }
  // Said aloud, so that a run without a server of its own is not taken for one with a restart.
  process.stderr.write('pipeline-faults: PostgreSQL is not ours to restart; cutting its sessions instead\n');
  return f.db.admin(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [f.db.name],
  );
}

async function morePartitions(f: IngestFixture, count: number): Promise<void> {
  const admin = f.kafka.admin();
  await admin.connect();
  try {
    await admin.createPartitions({
      topicPartitions: [f.topics.smsRaw, f.topics.accepted].map((topic) => ({ topic, count })),
    });
  } finally {
    await admin.disconnect();
  }
}

function restartBroker(): void {
  const kafkaScript = join(__dirname, '..', 'ops', 'kafka', 'kafka.sh');
  execFileSync('bash', [kafkaScript, 'stop'], { stdio: 'ignore' });
  execFileSync('bash', [kafkaScript, 'start'], { stdio: 'ignore' });
}

describe('the pipeline from raw SMS, under faults', () => {
  const harness = new Harness();
  afterEach(() => harness.stopApps());
  afterAll(() => harness.dropDatabases());

  const messages = dataset();
  const accepted = messages.filter((m) => m.valid);
  const truthByNumber = new Map<string, number>();
  for (const m of accepted)
    truthByNumber.set(m.reportedNumber, (truthByNumber.get(m.reportedNumber) ?? 0) + 1);

  it('counts every report exactly once through kills, a broker and a database restart, and redeliveries', async () => {
    // The calm run: one ingest, one aggregator, nothing goes wrong.
    const calm = await harness.fixture('faultcalm');
    const calmEnv = { ...calm.env, LOG_LEVEL: 'log' };
    await produce(calm.kafka, calm.topics.smsRaw, messages.map(asRaw));
    harness.start('ingest', calmEnv);
    harness.start('aggregator', calmEnv);
    await eventually(
      () => count(calm, 'reports'),
      (n) => n === accepted.length,
      180_000,
    );
    await outboxDrained(calm);
    const expected = await aggregationSnapshot(calm);
    await harness.stopApps();
    expect((expected[1] as unknown[]).length).toBeGreaterThan(10);

    // The rough run: twice the partitions, two of each app, small batches so that kills land mid-stream.
    const f = await harness.fixture('faultrough');
    await morePartitions(f, 6);
    const env = {
      ...f.env,
      LOG_LEVEL: 'log',
      KAFKA_TOPIC_PARTITIONS: '6',
      INGEST_MAX_BATCH_BYTES: '16384',
      AGGREGATOR_MAX_BATCH_BYTES: '16384',
    };
    const half = MESSAGES / 2;
    await produce(f.kafka, f.topics.smsRaw, messages.slice(0, half).map(asRaw));
    const steadyIngest = harness.start('ingest', env);
    let ingest: AppProcess = harness.start('ingest', env);
    const aggregators: AppProcess[] = [harness.start('aggregator', env), harness.start('aggregator', env)];
    const stored = () => count(f, 'reports');
    // Each fault lands at a share of the stream, so a longer stream still has one in each stretch.
    const reached = (share: number) => eventually(stored, (s) => s >= Math.round(share * MESSAGES), 180_000);
    const killAggregator = async (i: number) => {
      await aggregators[i].stop('SIGKILL');
      aggregators[i] = harness.start('aggregator', env);
    };

    await reached(0.075);
    await ingest.stop('SIGKILL');
    ingest = harness.start('ingest', env);
    await reached(0.15);
    await killAggregator(0);

    restartBroker();
    // The rest, and the gateway sending again what it had sent, some while ingest is down.
    const redelivered = messages.filter((_, i) => i % Math.floor(MESSAGES / REDELIVERED) === 0);
    await produce(f.kafka, f.topics.smsRaw, messages.slice(half).map(asRaw));
    await reached(0.35);
    await killAggregator(1);
    await ingest.stop('SIGKILL');
    await produce(f.kafka, f.topics.smsRaw, redelivered.map(asRaw));
    ingest = harness.start('ingest', env);

    await reached(0.5);
    await restartPostgres(f);
    await sleep(1_000);
    await reached(0.65);
    await killAggregator(0);
    await ingest.stop('SIGKILL');
    ingest = harness.start('ingest', env);
    await killAggregator(1);
    // A third kill each, back to back: the second dies while the first's replacement joins.
    await reached(0.8);
    await killAggregator(0);
    await killAggregator(1);
    expect(steadyIngest.logs).toMatch(/joined group/);

    expect(await eventually(stored, (n) => n >= accepted.length, 240_000)).toBe(accepted.length);
    await outboxDrained(f);

    // Every report once, every rejection once, every counter the truth, flags as in the calm run.
    const rejected = messages.length - accepted.length;
    expect(
      await eventually(
        () => count(f, 'rejected_reports'),
        (n) => n >= rejected,
      ),
    ).toBe(rejected);
    const totals = await f.db.query<{ reported_number: string; total_reports: number }>(
      'SELECT reported_number, total_reports FROM subscriber_counters ORDER BY reported_number',
    );
    // A number reported once has no counters row (decision 0083): no rule here flags on one report.
    expect(new Map(totals.map((t) => [t.reported_number, Number(t.total_reports)]))).toEqual(
      new Map([...truthByNumber].filter(([, n]) => n >= 2).sort(([a], [b]) => a.localeCompare(b))),
    );
    const storedByNumber = await f.db.query<{ reported_number: string; n: number }>(
      'SELECT reported_number, count(*)::int AS n FROM reports GROUP BY reported_number ORDER BY reported_number',
    );
    expect(new Map(storedByNumber.map((r) => [r.reported_number, r.n]))).toEqual(
      new Map([...truthByNumber].sort(([a], [b]) => a.localeCompare(b))),
    );
    expect(await aggregationSnapshot(f)).toEqual(expected);

    // Ingest's own outputs are exactly once too: a batch cut short by a kill is never read, so a
    // message the gateway sent once has one reply (only a redelivery may have two, same replyId).
    // The whole topic: reading stops once nothing more came for 10 s (or after 3 minutes), which a
    // loaded machine needs where a quiet one reads it all in a second or two.
    const replies = await readTopic(f.kafka, f.topics.smsOutbound, () => false, 180_000, { idleMs: 10_000 });
    expect(replies.length).toBeGreaterThanOrEqual(MESSAGES);
    const repliesTo = new Map<string, number>();
    for (const reply of replies) {
      const inReplyTo = JSON.parse(reply.value ?? '{}').inReplyTo as string;
      repliesTo.set(inReplyTo, (repliesTo.get(inReplyTo) ?? 0) + 1);
    }
    const sentTwice = new Set(redelivered.map((m) => m.messageId));
    const sentOnce = messages.filter((m) => !sentTwice.has(m.messageId));
    // Split by what went wrong: none (a lost reply, or reading stopped short) or several (a repeat).
    const repliesOf = (m: Sms) => repliesTo.get(m.messageId) ?? 0;
    expect({
      unanswered: sentOnce.filter((m) => repliesOf(m) === 0).map((m) => m.messageId),
      answeredMoreThanOnce: sentOnce.filter((m) => repliesOf(m) > 1).map((m) => m.messageId),
    }).toEqual({ unanswered: [], answeredMoreThanOnce: [] });
  }, 900_000);
});
