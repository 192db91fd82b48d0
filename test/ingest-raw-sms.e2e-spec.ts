import { eventually } from './support/app-process';
import { Harness } from './support/ingest-fixture';
import { committedAndEnd, produce, readTopic, ReadMessage, TEST_BROKERS } from './support/kafka';
import { rawSmsMessage } from './support/raw-sms';
import { freePort, TcpProxy } from './support/tcp-proxy';
import { IngestFixture } from './support/ingest-fixture';

/** What ingest published on reports.accepted, as committed (read_committed): each report's source id. */
async function acceptedSources(f: IngestFixture, expected: number | ((r: ReadMessage[]) => boolean)) {
  const messages = await readTopic(f.kafka, f.topics.accepted, expected, 60_000);
  return messages.map(
    (m) => JSON.parse(m.value ?? '{}') as { sourceId: string; reporter: string; shortCode: string },
  );
}

describe('ingest of raw 156/5656 messages', () => {
  const harness = new Harness();
  const start = (env: Record<string, string>) => harness.start('ingest', env);
  const setUp = (label: string) => harness.fixture(label);

  afterEach(() => harness.stopApps());
  afterAll(() => harness.dropDatabases());

  it('publishes one report for a message, with the fields the gateway sent, and no database at all', async () => {
    const f = await setUp('once');
    const message = rawSmsMessage({
      messageId: 'gw-once-1',
      from: '0912345678',
      to: '156',
      text: 'V 0987654321 quang cao',
    });
    await produce(f.kafka, f.topics.smsRaw, [message]);
    start({ ...f.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    const [report] = await acceptedSources(f, 1);
    expect(report).toMatchObject({
      sourceId: 'gw-once-1',
      reporter: '+84912345678',
      shortCode: '156',
      reportedNumber: '+84987654321',
      content: 'quang cao',
    });
  });

  it('publishes a message delivered twice with the same messageId once', async () => {
    const f = await setUp('dup');
    const first = rawSmsMessage({ messageId: 'gw-dup-1' });
    const marker = rawSmsMessage({ messageId: 'gw-dup-marker' });
    // Same key, so both copies and the marker land on one partition, in order.
    await produce(f.kafka, f.topics.smsRaw, [first, { ...first }, { key: first.key, value: marker.value }]);
    start(f.env);
    const reports = await acceptedSources(f, (r) => r.some((m) => m.value?.includes('gw-dup-marker')));
    expect(reports.map((r) => r.sourceId).sort()).toEqual(['gw-dup-1', 'gw-dup-marker']);
    const replies = await readTopic(f.kafka, f.topics.smsOutbound, 2);
    expect(replies.map((m) => JSON.parse(m.value ?? '{}').inReplyTo).sort()).toEqual([
      'gw-dup-1',
      'gw-dup-marker',
    ]);
  });

  it('dead-letters a broken message with its reason and still publishes the next good one', async () => {
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
    const reports = await acceptedSources(f, 1);
    expect(reports.map((r) => r.sourceId)).toEqual(['gw-after-broken']);

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
    // The line is written once the transaction committed, which readers may see a moment earlier.
    await app.waitForLog(/dead-lettered/, 10_000);
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
    expect((await acceptedSources(f, 1)).map((r) => r.sourceId)).toEqual(['gw-after-big']);
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

  it('publishes every report exactly once, as committed, through SIGKILLs mid-stream', async () => {
    const f = await setUp('kill');
    const total = 3_000;
    const messages = Array.from({ length: total }, (_, i) => rawSmsMessage({ messageId: `gw-kill-${i}` }));
    await produce(f.kafka, f.topics.smsRaw, messages);
    const smallBatches = { ...f.env, INGEST_MAX_BATCH_BYTES: '4096' };
    for (let kill = 0; kill < 2; kill += 1) {
      const victim = start(smallBatches);
      await eventually(
        () => committedAndEnd(f.kafka, f.groupId, f.topics.smsRaw),
        (o) => o.committed > (kill + 1) * 300,
      );
      await victim.stop('SIGKILL');
    }
    expect((await committedAndEnd(f.kafka, f.groupId, f.topics.smsRaw)).committed).toBeLessThan(total);
    start(f.env);
    await eventually(
      () => committedAndEnd(f.kafka, f.groupId, f.topics.smsRaw),
      (o) => o.committed === total,
      90_000,
    );
    // Read committed: a transaction the kill cut short is never seen, so no report appears twice.
    const reports = await acceptedSources(f, total);
    const ids = reports.map((r) => r.sourceId);
    expect(ids.length).toBe(total);
    expect(new Set(ids).size).toBe(total);
    const replies = await readTopic(f.kafka, f.topics.smsOutbound, total);
    expect(replies.length).toBe(total);
    expect(await readTopic(f.kafka, f.topics.accepted, total + 1, 3_000)).toHaveLength(total);
  });

  it('finishes and commits the batch in hand on SIGTERM and exits 0', async () => {
    const f = await setUp('term');
    await produce(
      f.kafka,
      f.topics.smsRaw,
      Array.from({ length: 200 }, () => rawSmsMessage()),
    );
    const app = start(f.env);
    expect(await acceptedSources(f, 200)).toHaveLength(200);
    await eventually(
      () => committedAndEnd(f.kafka, f.groupId, f.topics.smsRaw),
      (o) => o.committed === o.end,
    );
    const exit = await app.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(app.logs).toContain('stopped cleanly');
    expect(await committedAndEnd(f.kafka, f.groupId, f.topics.smsRaw)).toEqual({ committed: 200, end: 200 });
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
      expect(await readTopic(f.kafka, f.topics.accepted, 0)).toHaveLength(0);
      await proxy.open();
      expect(await acceptedSources(f, 10)).toHaveLength(10);
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
