import { eventually } from './support/app-process';
import { Harness } from './support/ingest-fixture';
import { readTopic } from './support/kafka';

/** What the API or the scheduler does when it commits a flag change: an outbox row, then a notification. */
const commitEvent = (eventId: string, topic: string) => [
  `INSERT INTO outbox (topic, message_key, payload) VALUES ('${topic}', '+84987000999', '{"eventId":"${eventId}"}')`,
  `SELECT pg_notify('abuse_monitor_outbox', NULL)`,
];

describe('the outbox relay', () => {
  const harness = new Harness();
  afterEach(() => harness.stopApps());
  afterAll(() => harness.dropDatabases());

  it('publishes what another process committed as soon as it is notified, without polling for it', async () => {
    const f = await harness.fixture('notify');
    // A poll this slow would not find the rows within the test: only the notification can.
    const app = harness.start('aggregator', { ...f.env, OUTBOX_POLL_INTERVAL_MS: '600000' });
    await app.waitForLog(/joined group/);
    for (const sql of commitEvent('e-1', f.topics.subscriberFlags)) await f.db.query(sql);
    const first = await readTopic(f.kafka, f.topics.subscriberFlags, 1, 10_000);
    expect(first.map((m) => JSON.parse(m.value ?? '{}').eventId)).toEqual(['e-1']);

    // The listening connection cut, as by a database restart: it listens again and catches up.
    await f.db.admin(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE '%-outbox'`,
      [f.db.name],
    );
    await app.waitForLog(/listening for outbox notifications again/, 30_000);
    for (const sql of commitEvent('e-2', f.topics.subscriberFlags)) await f.db.query(sql);
    const both = await readTopic(f.kafka, f.topics.subscriberFlags, 2, 10_000);
    expect(both.map((m) => JSON.parse(m.value ?? '{}').eventId).sort()).toEqual(['e-1', 'e-2']);
    expect(
      await eventually(
        () => f.db.query('SELECT 1 FROM outbox WHERE published_at IS NULL'),
        (rows) => rows.length === 0,
      ),
    ).toEqual([]);
  });
});
