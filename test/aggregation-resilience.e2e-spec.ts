import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { AcceptedReportMessage } from '@abuse-monitor/messaging';
import { acceptedReport, asMessage, reporterNumber } from './support/accepted-report';
import { eventually } from './support/app-process';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { produce, readTopic, ReadMessage } from './support/kafka';
import { aggregationSnapshot } from './support/pipeline-snapshot';

/** A fixed pseudo-random stream, so both runs see the same reports with the same ids. */
function dataset(count: number): AcceptedReportMessage[] {
  let state = 7;
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  return Array.from({ length: count }, (_, i) => {
    const hot = next() < 0.4;
    const number = hot
      ? `+8498700030${Math.floor(next() * 5)}`
      : `+849870004${String(Math.floor(next() * 60)).padStart(2, '0')}`;
    return acceptedReport(number, reporterNumber(Math.floor(next() * 400)), i, {
      reportId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      kind: next() < 0.3 ? 'scam_call' : 'spam_call',
    });
  });
}

const snapshot = aggregationSnapshot;

/** Delivery is at least once: read until every distinct event id has arrived. */
const everyEventOnce = (distinct: number) => (received: ReadMessage[]) =>
  new Set(received.map((m) => JSON.parse(m.value ?? '{}').eventId)).size >= distinct;

const stored = async (f: IngestFixture) =>
  Number((await f.db.query<{ n: string }>('SELECT count(*) AS n FROM reports'))[0].n);

const outboxDrained = (f: IngestFixture) =>
  eventually(
    () => f.db.query('SELECT 1 FROM outbox WHERE published_at IS NULL'),
    (r) => r.length === 0,
  );

describe('aggregation under crashes and rebalances', () => {
  const harness = new Harness();
  afterEach(() => harness.stopApps());
  afterAll(() => harness.dropDatabases());

  /** What one aggregator makes of `reports` when nothing goes wrong: what every rough run must equal. */
  async function calmRun(label: string, reports: AcceptedReportMessage[]) {
    const calm = await harness.fixture(label);
    await produce(calm.kafka, calm.topics.accepted, reports.map(asMessage));
    harness.start('aggregator', calm.env);
    await eventually(
      () => stored(calm),
      (n) => n === reports.length,
      120_000,
    );
    await outboxDrained(calm);
    return snapshot(calm);
  }

  it('ends with the same counters, flags and events after a SIGKILL mid-batch and a rebalance as a calm run', async () => {
    const reports = dataset(3_000);

    const expected = await calmRun('calm', reports);
    expect((expected[1] as unknown[]).length).toBeGreaterThan(3);

    const rough = await harness.fixture('rough');
    const half = reports.length / 2;
    await produce(rough.kafka, rough.topics.accepted, reports.slice(0, half).map(asMessage));
    const smallBatches = { ...rough.env, AGGREGATOR_MAX_BATCH_BYTES: '8192' };
    const victim = harness.start('aggregator', smallBatches);
    await eventually(
      () => stored(rough),
      (n) => n > 300,
    );
    await victim.stop('SIGKILL');
    expect(await stored(rough)).toBeLessThan(half);
    harness.start('aggregator', smallBatches);
    await eventually(
      () => stored(rough),
      (n) => n > 1_000,
      120_000,
    );
    // A second consumer joins the group while the rest of the reports flow in, then leaves: the
    // partitions it took come back to the first, whose remembered timelines of their numbers are
    // now behind what the second stored.
    const joiner = harness.start('aggregator', smallBatches);
    await eventually(
      async () => joiner.logs,
      (logs) => /joined group/.test(logs),
      60_000,
    );
    const rest = reports.slice(half);
    const produceSlowly = async (part: AcceptedReportMessage[]) => {
      for (let i = 0; i < part.length; i += 100) {
        await produce(rough.kafka, rough.topics.accepted, part.slice(i, i + 100).map(asMessage));
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    };
    await produceSlowly(rest.slice(0, rest.length / 2));
    await eventually(
      () => stored(rough),
      (n) => n === half + rest.length / 2,
      120_000,
    );
    await joiner.stop('SIGTERM');
    await produceSlowly(rest.slice(rest.length / 2));
    await eventually(
      () => stored(rough),
      (n) => n === reports.length,
      120_000,
    );
    await outboxDrained(rough);

    expect(await snapshot(rough)).toEqual(expected);

    const eventRows = await rough.db.query<{ event_id: string }>(
      'SELECT event_id FROM flag_history WHERE event_id IS NOT NULL',
    );
    const published = await readTopic(
      rough.kafka,
      rough.topics.subscriberFlags,
      everyEventOnce(eventRows.length),
    );
    const publishedIds = published.map((m) => JSON.parse(m.value ?? '{}').eventId as string);
    expect(new Set(publishedIds)).toEqual(new Set(eventRows.map((r) => r.event_id)));
  });

  it('reads a number again from the database when another consumer counted it in between', async () => {
    // Distinct reporters, a minute apart: the low, medium and high rules fire on the way to 30.
    const number = '+84987000801';
    const reports = Array.from({ length: 30 }, (_, i) => acceptedReport(number, reporterNumber(900 + i), i));
    const expected = await calmRun('calmshared', reports);
    expect((expected[1] as { severity: string }[]).map((flag) => flag.severity)).toEqual(['high']);

    // Two aggregators on one database, each with its own topics: the first remembers the number's
    // timeline, the second adds to it, and the first must not count on what it remembered.
    const shared = await harness.fixture('shared');
    const elsewhere = await harness.fixture('elsewhere');
    harness.start('aggregator', shared.env);
    await produce(shared.kafka, shared.topics.accepted, reports.slice(0, 10).map(asMessage));
    await eventually(
      () => stored(shared),
      (n) => n === 10,
    );
    const other = harness.start('aggregator', { ...elsewhere.env, DATABASE_URL: shared.env.DATABASE_URL });
    await produce(elsewhere.kafka, elsewhere.topics.accepted, reports.slice(10, 20).map(asMessage));
    await eventually(
      () => stored(shared),
      (n) => n === 20,
    );
    await other.stop('SIGTERM');
    await produce(shared.kafka, shared.topics.accepted, reports.slice(20).map(asMessage));
    await eventually(
      () => stored(shared),
      (n) => n === reports.length,
    );
    await outboxDrained(shared);
    expect(await snapshot(shared)).toEqual(expected);
  });

  it('publishes every flag event, duplicates only by event id, across a broker stop and restart', async () => {
    const f = await harness.fixture('brokerdown');
    const reports = Array.from({ length: 40 }, (_, n) =>
      Array.from({ length: 12 }, (_, r) =>
        acceptedReport(`+849870007${String(n).padStart(2, '0')}`, reporterNumber(n * 50 + r), r * 5 + n, {
          kind: r % 2 ? 'scam_call' : 'spam_call',
        }),
      ),
    )
      .flat()
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
    await produce(f.kafka, f.topics.accepted, reports.map(asMessage));
    const app = harness.start('aggregator', { ...f.env, AGGREGATOR_MAX_BATCH_BYTES: '2048' });
    // Down as soon as flags are being raised, while the relay publishes and offsets are committed.
    await eventually(
      () => f.db.query('SELECT 1 FROM flag_history LIMIT 1'),
      (rows) => rows.length > 0,
    );
    const kafkaScript = join(__dirname, '..', 'ops', 'kafka', 'kafka.sh');
    execFileSync('bash', [kafkaScript, 'stop'], { stdio: 'ignore' });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    execFileSync('bash', [kafkaScript, 'start'], { stdio: 'ignore' });

    await eventually(
      () => stored(f),
      (n) => n === reports.length,
      120_000,
    );
    await outboxDrained(f);
    expect(app.logs).toMatch(/Connection error|ECONNREFUSED|failed|crashed/);

    const eventRows = await f.db.query<{ event_id: string }>(
      'SELECT event_id FROM flag_history WHERE event_id IS NOT NULL',
    );
    expect(eventRows.length).toBeGreaterThanOrEqual(80);
    const published = await readTopic(f.kafka, f.topics.subscriberFlags, everyEventOnce(eventRows.length));
    const publishedIds = published.map((m) => JSON.parse(m.value ?? '{}').eventId as string);
    expect(new Set(publishedIds)).toEqual(new Set(eventRows.map((r) => r.event_id)));
    // Per number, events leave in the order of their changes.
    const byNumber = new Map<string, number[]>();
    for (const m of published) {
      const event = JSON.parse(m.value ?? '{}');
      byNumber.set(event.reportedNumber, [...(byNumber.get(event.reportedNumber) ?? []), event.sequence]);
    }
    for (const sequences of byNumber.values()) {
      const firstSeen = sequences.filter((s, i) => sequences.indexOf(s) === i);
      expect(firstSeen).toEqual([...firstSeen].sort((a, b) => a - b));
    }
  });
});
