import { eventually } from './support/app-process';
import { Harness } from './support/ingest-fixture';
import {
  committedAndEnd,
  createTopics,
  produce,
  readTopic,
  testKafka,
  TEST_BROKERS,
  uniqueTopicPrefix,
} from './support/kafka';
import { scrape, sumOf } from './support/metrics';
import { rawSmsMessage } from './support/raw-sms';
import { freePort, TcpProxy } from './support/tcp-proxy';
import {
  databaseHandle,
  migrate,
  TestDatabase,
  testDatabaseUrl,
  uniqueDatabaseName,
} from './support/test-database';
import { ensureDatabaseExists, dropDatabase } from '@abuse-monitor/persistence';

const storedCount = async (db: TestDatabase) =>
  Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM raw_sms_messages'))[0].n);

describe('ingest of raw 156/5656 messages', () => {
  const harness = new Harness();
  const start = (env: Record<string, string>) => harness.start('ingest', env);
  const setUp = (label: string) => harness.fixture(label);

  afterEach(() => harness.stopApps());
  afterAll(() => harness.dropDatabases());

  it('stores a message once, with the fields the gateway sent', async () => {
    const f = await setUp('once');
    const message = rawSmsMessage({
      messageId: 'gw-once-1',
      from: '0912345678',
      to: '156',
      text: 'V 0987654321 quang cao',
    });
    await produce(f.kafka, f.topics.smsRaw, [message]);
    start(f.env);
    const rows = await eventually(
      () =>
        f.db.query<Record<string, string>>(
          'SELECT message_id, reporter, short_code, text FROM raw_sms_messages',
        ),
      (r) => r.length > 0,
    );
    expect(rows).toEqual([
      { message_id: 'gw-once-1', reporter: '0912345678', short_code: '156', text: 'V 0987654321 quang cao' },
    ]);
  });

  it('stores a message delivered twice with the same messageId once', async () => {
    const f = await setUp('dup');
    const first = rawSmsMessage({ messageId: 'gw-dup-1' });
    const marker = rawSmsMessage({ messageId: 'gw-dup-marker' });
    // Same key, so both copies and the marker land on one partition, in order.
    await produce(f.kafka, f.topics.smsRaw, [first, { ...first }, { key: first.key, value: marker.value }]);
    start(f.env);
    await eventually(
      () => f.db.query("SELECT 1 FROM raw_sms_messages WHERE message_id = 'gw-dup-marker'"),
      (r) => r.length === 1,
    );
    const rows = await f.db.query<{ message_id: string }>(
      'SELECT message_id FROM raw_sms_messages ORDER BY message_id',
    );
    expect(rows.map((r) => r.message_id)).toEqual(['gw-dup-1', 'gw-dup-marker']);
  });

  it('dead-letters a broken message with its reason and still stores the next good one', async () => {
    const f = await setUp('dlq');
    const key = 'same-partition';
    const good = rawSmsMessage({ messageId: 'gw-after-broken' });
    await produce(f.kafka, f.topics.smsRaw, [
      { key, value: '{"messageId": "gw-broken", "text": ' },
      {
        key,
        value: JSON.stringify({
          messageId: 'gw-no-from',
          to: '156',
          text: 'V 0987654321',
          receivedAt: new Date().toISOString(),
        }),
      },
      { key, value: good.value },
    ]);
    const app = start(f.env);
    await eventually(
      () => f.db.query("SELECT 1 FROM raw_sms_messages WHERE message_id = 'gw-after-broken'"),
      (r) => r.length === 1,
    );
    expect(await storedCount(f.db)).toBe(1);

    const deadLetters = await readTopic(f.kafka, f.topics.deadLetter, 2);
    const records = deadLetters
      .map((m) => JSON.parse(m.value ?? '{}'))
      .sort((a, b) => Number(a.source.offset) - Number(b.source.offset));
    expect(records.map((r) => r.reason)).toEqual(['invalid_json', 'invalid_fields']);
    expect(records[1].detail).toContain('from');
    expect(Buffer.from(records[0].valueBase64, 'base64').toString()).toBe(
      '{"messageId": "gw-broken", "text": ',
    );
    expect(records[0].source.topic).toBe(f.topics.smsRaw);
    expect(app.logs).toContain('dead-lettered');
  });

  it('dead-letters a batch of megabytes of broken messages in sends the broker takes, and goes on', async () => {
    const f = await setUp('dlq-big');
    const key = 'same-partition';
    const broken = (kb: number) => ({ key, value: `{"messageId": "${'x'.repeat(kb * 1024)}` });
    // One request each: the broker takes up to 1 MiB at a time, as it would from the gateway.
    for (const kb of [200, 200, 200, 700]) await produce(f.kafka, f.topics.smsRaw, [broken(kb)]);
    await produce(f.kafka, f.topics.smsRaw, [
      { key, value: rawSmsMessage({ messageId: 'gw-after-big' }).value },
    ]);
    // All of it in one batch: kept whole, its dead letters would be one 1.8 MB request, refused for good.
    const app = start({ ...f.env, INGEST_MAX_BATCH_BYTES: String(4 * 1024 * 1024) });
    await eventually(
      () => f.db.query("SELECT 1 FROM raw_sms_messages WHERE message_id = 'gw-after-big'"),
      (r) => r.length === 1,
      60_000,
    );
    const records = (await readTopic(f.kafka, f.topics.deadLetter, 4))
      .map((m) => JSON.parse(m.value ?? '{}'))
      .sort((a, b) => Number(a.source.offset) - Number(b.source.offset));
    expect(records.map((r) => [r.reason, r.valueBytes, r.valueTruncated])).toEqual([
      ['invalid_json', 200 * 1024 + 15, false],
      ['invalid_json', 200 * 1024 + 15, false],
      ['invalid_json', 200 * 1024 + 15, false],
      ['invalid_json', 700 * 1024 + 15, true],
    ]);
    const kept = records.map((r) => Buffer.from(r.valueBase64, 'base64').toString());
    expect(kept[0]).toBe(broken(200).value);
    expect(kept[3]).toBe(broken(700).value.slice(0, 256 * 1024));
    expect(app.logs).not.toMatch(/too large|larger than/i);
  });

  it('sets aside a message PostgreSQL refuses for what it holds and stores the rest of its batch', async () => {
    const f = await setUp('refused');
    // Stands in for any value the database refuses that validation let through.
    await f.db.query(
      "ALTER TABLE raw_sms_messages ADD CONSTRAINT e2e_refused CHECK (text NOT LIKE '%refuse me%')",
    );
    const key = 'same-partition';
    const messages = [
      rawSmsMessage({ messageId: 'gw-before', text: 'V 0987654321 truoc' }),
      rawSmsMessage({ messageId: 'gw-refused', text: 'V 0987654321 refuse me' }),
      rawSmsMessage({ messageId: 'gw-after', text: 'V 0987654321 sau' }),
    ].map((m) => ({ ...m, key }));
    await produce(f.kafka, f.topics.smsRaw, messages);
    const metricsPort = await freePort();
    const app = start({ ...f.env, METRICS_PORT: String(metricsPort) });
    const rows = await eventually(
      () => f.db.query<{ message_id: string }>('SELECT message_id FROM raw_sms_messages ORDER BY message_id'),
      (r) => r.length === 2,
    );
    expect(rows.map((r) => r.message_id)).toEqual(['gw-after', 'gw-before']);
    const [deadLetter] = (await readTopic(f.kafka, f.topics.deadLetter, 1)).map((m) =>
      JSON.parse(m.value ?? '{}'),
    );
    expect(deadLetter).toMatchObject({
      reason: 'unstorable',
      detail: 'PostgreSQL refused it (SQLSTATE 23514), table raw_sms_messages, constraint e2e_refused',
      source: { topic: f.topics.smsRaw, offset: '1' },
    });
    expect(Buffer.from(deadLetter.valueBase64, 'base64').toString()).toBe(messages[1].value);
    expect(app.logs).toMatch(/failed for its data; handling its [1-3] messages one by one/);
    // The partition went past it: everything up to the end is committed.
    const offsets = await eventually(
      () => committedAndEnd(f.kafka, f.env.INGEST_GROUP_ID, f.topics.smsRaw),
      (o) => o.committed === o.end,
    );
    expect(offsets).toEqual({ committed: 3, end: 3 });
    // What the SRE sees: one dead letter, and no failure left to retry.
    const samples = await scrape(metricsPort);
    const topic = f.topics.smsRaw;
    expect(sumOf(samples, 'abuse_monitor_deadletter_messages_total', { topic, reason: 'unstorable' })).toBe(
      1,
    );
    expect(sumOf(samples, 'abuse_monitor_batch_failures_total', { consumer: 'ingest', topic })).toBe(0);
  });

  it('takes the same refusal again and again for a fault of ours: stops, then goes on once it is fixed', async () => {
    const f = await setUp('our-fault');
    // As if the code ran ahead of a migration: every message of this kind is refused.
    await f.db.query(
      "ALTER TABLE raw_sms_messages ADD CONSTRAINT e2e_refused CHECK (text NOT LIKE '%refuse me%')",
    );
    const key = 'same-partition';
    const refused = Array.from({ length: 7 }, (_, i) =>
      rawSmsMessage({ messageId: `gw-refused-${i}`, text: `V 0987654321 refuse me ${i}` }),
    );
    const after = rawSmsMessage({ messageId: 'gw-after-fix', text: 'V 0987654321 sau' });
    await produce(
      f.kafka,
      f.topics.smsRaw,
      [...refused, after].map((m) => ({ ...m, key })),
    );
    const metricsPort = await freePort();
    const app = start({ ...f.env, METRICS_PORT: String(metricsPort) });
    const topic = f.topics.smsRaw;
    // Five set aside, then the sixth is retried instead, and counted as a failure each time.
    await eventually(
      () => scrape(metricsPort).catch(() => []),
      (samples) => sumOf(samples, 'abuse_monitor_batch_failures_total', { consumer: 'ingest', topic }) >= 2,
    );
    expect(app.logs).toMatch(/more than 5 messages refused within 10 minutes for the same cause/);
    const samples = await scrape(metricsPort);
    expect(sumOf(samples, 'abuse_monitor_deadletter_messages_total', { topic, reason: 'unstorable' })).toBe(
      5,
    );
    expect(await storedCount(f.db)).toBe(0);

    // The fault fixed: the partition moves on by itself, with nothing lost.
    await f.db.query('ALTER TABLE raw_sms_messages DROP CONSTRAINT e2e_refused');
    const rows = await eventually(
      () => f.db.query<{ message_id: string }>('SELECT message_id FROM raw_sms_messages ORDER BY message_id'),
      (r) => r.length === 3,
    );
    expect(rows.map((r) => r.message_id)).toEqual(['gw-after-fix', 'gw-refused-5', 'gw-refused-6']);
    expect((await readTopic(f.kafka, f.topics.deadLetter, 5)).length).toBe(5);
  });

  it('leaves every message stored exactly once after a SIGKILL mid-stream and a restart', async () => {
    const f = await setUp('kill');
    const total = 3_000;
    const messages = Array.from({ length: total }, (_, i) => rawSmsMessage({ messageId: `gw-kill-${i}` }));
    await produce(f.kafka, f.topics.smsRaw, messages);
    const first = start({ ...f.env, INGEST_MAX_BATCH_BYTES: '4096' });
    const partial = await eventually(
      () => storedCount(f.db),
      (n) => n > 0,
    );
    await first.stop('SIGKILL');
    const afterKill = await storedCount(f.db);
    expect(partial).toBeGreaterThan(0);
    expect(afterKill).toBeLessThan(total);

    start(f.env);
    const final = await eventually(
      () => storedCount(f.db),
      (n) => n >= total,
      90_000,
    );
    expect(final).toBe(total);
    const stats = await f.db.query<{ rows: string; ids: string; lo: string; hi: string }>(
      `SELECT count(*) AS rows, count(DISTINCT message_id) AS ids,
              min(substring(message_id from 9)::int) AS lo, max(substring(message_id from 9)::int) AS hi
         FROM raw_sms_messages`,
    );
    expect(stats[0]).toEqual({ rows: String(total), ids: String(total), lo: 0, hi: total - 1 });
  });

  it('finishes and commits the batch in hand on SIGTERM and exits 0', async () => {
    const f = await setUp('term');
    await produce(
      f.kafka,
      f.topics.smsRaw,
      Array.from({ length: 200 }, () => rawSmsMessage()),
    );
    const app = start(f.env);
    await eventually(
      () => storedCount(f.db),
      (n) => n === 200,
    );
    await eventually(
      () => committedAndEnd(f.kafka, f.groupId, f.topics.smsRaw),
      (o) => o.committed === o.end,
    );
    const exit = await app.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(app.logs).toContain('stopped cleanly');
    expect(await committedAndEnd(f.kafka, f.groupId, f.topics.smsRaw)).toEqual({ committed: 200, end: 200 });
  });

  it('waits for a database that is not there yet and then stores what arrived meanwhile', async () => {
    const name = uniqueDatabaseName('late');
    const url = testDatabaseUrl(name);
    const kafka = testKafka();
    const { prefix, topics } = uniqueTopicPrefix('late');
    await createTopics(kafka, [topics.smsRaw]);
    await produce(
      kafka,
      topics.smsRaw,
      Array.from({ length: 20 }, () => rawSmsMessage()),
    );
    const app = start({ DATABASE_URL: url, KAFKA_TOPIC_PREFIX: prefix, INGEST_GROUP_ID: `ingest-${prefix}` });
    try {
      await app.waitForLog(/cannot connect to .* \(attempt 2\)/);
      await ensureDatabaseExists(url);
      await migrate(url);
      await app.waitForLog(/connected to/);
      const db = databaseHandle(name, url);
      expect(
        await eventually(
          () => storedCount(db),
          (n) => n === 20,
        ),
      ).toBe(20);
    } finally {
      await app.stop('SIGKILL');
      await dropDatabase(url);
    }
  });

  it('keeps every message through a database outage mid-run and stores each once', async () => {
    const f = await setUp('outage');
    const wave = () => Array.from({ length: 300 }, () => rawSmsMessage());
    await produce(f.kafka, f.topics.smsRaw, wave());
    const app = start(f.env);
    await eventually(
      () => storedCount(f.db),
      (n) => n === 300,
    );

    await f.db.admin(`ALTER DATABASE "${f.db.name}" WITH ALLOW_CONNECTIONS false`);
    await f.db.admin(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = $1 AND application_name = 'abuse-monitor-ingest'`,
      [f.db.name],
    );
    await produce(f.kafka, f.topics.smsRaw, wave());
    await app.waitForLog(/failed \(attempt 2\)/);
    await f.db.admin(`ALTER DATABASE "${f.db.name}" WITH ALLOW_CONNECTIONS true`);

    expect(
      await eventually(
        () => storedCount(f.db),
        (n) => n >= 600,
        90_000,
      ),
    ).toBe(600);
    await eventually(
      () => committedAndEnd(f.kafka, f.groupId, f.topics.smsRaw),
      (o) => o.committed === 600,
    );
    expect(await committedAndEnd(f.kafka, f.groupId, f.topics.smsRaw)).toEqual({ committed: 600, end: 600 });
  });

  it('waits for a broker that is not reachable at start and then consumes', async () => {
    const f = await setUp('nobroker');
    await produce(
      f.kafka,
      f.topics.smsRaw,
      Array.from({ length: 10 }, () => rawSmsMessage()),
    );
    const [host, port] = TEST_BROKERS[0].split(':');
    const proxy = new TcpProxy(await freePort(), { host, port: Number(port) });
    const app = start({ ...f.env, KAFKA_BROKERS: `127.0.0.1:${proxy.port}` });
    try {
      await app.waitForLog(/cannot consume .*attempt 1\)/);
      expect(await storedCount(f.db)).toBe(0);
      await proxy.open();
      expect(
        await eventually(
          () => storedCount(f.db),
          (n) => n === 10,
        ),
      ).toBe(10);
    } finally {
      await proxy.close();
    }
  });

  it('refuses to start with a malformed broker list, naming the variable', async () => {
    const app = start({ KAFKA_BROKERS: 'localhost:abc' });
    const exit = await app.exited;
    expect(exit.code).toBe(1);
    expect(app.logs.trim()).toBe(
      'Invalid configuration: KAFKA_BROKERS: expected a comma-separated list of host:port (for example 127.0.0.1:9092) (got "localhost:abc")',
    );
  });
});
