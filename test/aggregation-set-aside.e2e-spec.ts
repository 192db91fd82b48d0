import { acceptedReport, asMessage, reporterNumber } from './support/accepted-report';
import { eventually } from './support/app-process';
import { Harness } from './support/ingest-fixture';
import { committedAndEnd, produce, readTopic } from './support/kafka';
import { scrape, sumOf } from './support/metrics';
import { freePort } from './support/tcp-proxy';

/** Stands in for any value the database refuses that validation let through. */
const REFUSE =
  "ALTER TABLE reports ADD CONSTRAINT e2e_refused CHECK (content IS NULL OR content NOT LIKE '%refuse me%')";

const report = (i: number, content: string) =>
  acceptedReport('+84987000901', reporterNumber(700 + i), i, { content, sourceId: `set-aside-${i}` });

describe('aggregation of reports the database refuses', () => {
  const harness = new Harness();
  afterEach(() => harness.stopApps());
  afterAll(() => harness.dropDatabases());

  const storedSources = (db: { query: <T>(sql: string) => Promise<T[]> }) =>
    db.query<{ source_id: string }>('SELECT source_id FROM reports ORDER BY source_id');

  it('sets aside a report PostgreSQL refuses for what it holds and counts the rest of its batch', async () => {
    const f = await harness.fixture('refused');
    await f.db.query(REFUSE);
    const reports = [report(0, 'truoc'), report(1, 'refuse me'), report(2, 'sau')];
    await produce(f.kafka, f.topics.accepted, reports.map(asMessage));
    const metricsPort = await freePort();
    const app = harness.start('aggregator', { ...f.env, METRICS_PORT: String(metricsPort) });
    const rows = await eventually(
      () => storedSources(f.db),
      (r) => r.length === 2,
    );
    expect(rows.map((r) => r.source_id)).toEqual(['set-aside-0', 'set-aside-2']);
    const [deadLetter] = (await readTopic(f.kafka, f.topics.deadLetter, 1)).map((m) =>
      JSON.parse(m.value ?? '{}'),
    );
    expect(deadLetter).toMatchObject({
      reason: 'unstorable',
      detail: 'PostgreSQL refused it (SQLSTATE 23514), table reports, constraint e2e_refused',
      source: { topic: f.topics.accepted, offset: '1' },
    });
    expect(Buffer.from(deadLetter.valueBase64, 'base64').toString()).toBe(asMessage(reports[1]).value);
    expect(app.logs).toMatch(/failed for its data; handling its [1-3] messages one by one/);
    // The partition went past it: everything up to the end is committed.
    const offsets = await eventually(
      () => committedAndEnd(f.kafka, f.aggregatorGroupId, f.topics.accepted),
      (o) => o.committed === o.end,
    );
    expect(offsets).toEqual({ committed: 3, end: 3 });
    const samples = await scrape(metricsPort);
    const topic = f.topics.accepted;
    expect(sumOf(samples, 'abuse_monitor_deadletter_messages_total', { topic, reason: 'unstorable' })).toBe(
      1,
    );
    expect(sumOf(samples, 'abuse_monitor_batch_failures_total', { consumer: 'aggregator', topic })).toBe(0);
  });

  it('takes the same refusal again and again for a fault of ours: stops, then goes on once it is fixed', async () => {
    const f = await harness.fixture('our-fault');
    // As if the code ran ahead of a migration: every report of this kind is refused.
    await f.db.query(REFUSE);
    const refused = Array.from({ length: 7 }, (_, i) => report(i, `refuse me ${i}`));
    await produce(f.kafka, f.topics.accepted, [...refused, report(7, 'sau')].map(asMessage));
    const metricsPort = await freePort();
    const app = harness.start('aggregator', { ...f.env, METRICS_PORT: String(metricsPort) });
    const topic = f.topics.accepted;
    // Five set aside, then the sixth is retried instead, and counted as a failure each time.
    await eventually(
      () => scrape(metricsPort).catch(() => []),
      (samples) =>
        sumOf(samples, 'abuse_monitor_batch_failures_total', { consumer: 'aggregator', topic }) >= 2,
    );
    expect(app.logs).toMatch(/more than 5 messages refused within 10 minutes for the same cause/);
    const samples = await scrape(metricsPort);
    expect(sumOf(samples, 'abuse_monitor_deadletter_messages_total', { topic, reason: 'unstorable' })).toBe(
      5,
    );
    expect(await storedSources(f.db)).toEqual([]);

    // The fault fixed: the partition moves on by itself, with nothing lost.
    await f.db.query('ALTER TABLE reports DROP CONSTRAINT e2e_refused');
    const rows = await eventually(
      () => storedSources(f.db),
      (r) => r.length === 3,
    );
    expect(rows.map((r) => r.source_id)).toEqual(['set-aside-5', 'set-aside-6', 'set-aside-7']);
    expect((await readTopic(f.kafka, f.topics.deadLetter, 5)).length).toBe(5);
  });
});
