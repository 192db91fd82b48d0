import { spawn } from 'node:child_process';
import { groupIdWithPrefix } from '@abuse-monitor/messaging';
import { compiledEntry, eventually } from './support/app-process';
import { createToken, startApi } from './support/api';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { createTopics, produce, uniqueTopicPrefix } from './support/kafka';
import { rawSmsMessage } from './support/raw-sms';
import { SecureBroker, startSecureBroker } from './support/secure-kafka';
import { createTestDatabase } from './support/test-database';

const REPORTED = '+84987654321';

/** Runs an app until it exits by itself, keeping stderr apart: what an operator sees first. */
function runUntilExit(app: string, env: Record<string, string>, timeoutMs = 30_000) {
  return new Promise<{ code: number | null; stderr: string; ms: number }>((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [compiledEntry(app)], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${app} still running after ${timeoutMs} ms; stderr so far:\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: Date.now() - started });
    });
  });
}

describe('Kafka over SASL_SSL', () => {
  const harness = new Harness();
  let broker: SecureBroker;
  let f: IngestFixture;

  beforeAll(async () => {
    const [started, db] = await Promise.all([startSecureBroker(), createTestDatabase('sasl_ssl')]);
    broker = started;
    const { prefix, topics } = uniqueTopicPrefix('sasl-ssl');
    await createTopics(broker.kafka, [topics.smsRaw, topics.submitted, topics.accepted]);
    f = {
      db,
      kafka: broker.kafka,
      topics,
      groupId: groupIdWithPrefix(prefix, 'ingest'),
      aggregatorGroupId: groupIdWithPrefix(prefix, 'aggregator'),
      env: {
        DATABASE_URL: db.appUrl,
        KAFKA_BROKERS: broker.address,
        KAFKA_TOPIC_PREFIX: prefix,
        KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
        KAFKA_SASL_USERNAME: broker.username,
        KAFKA_SASL_PASSWORD_FILE: broker.passwordFile,
        KAFKA_SSL_CA_FILE: broker.caFile,
        INGEST_GROUP_ID: 'ingest',
        AGGREGATOR_GROUP_ID: 'aggregator',
        KAFKA_SESSION_TIMEOUT_MS: '8000',
        OUTBOX_POLL_INTERVAL_MS: '200',
        METRICS_PORT: '0',
      },
    };
  });

  afterAll(async () => {
    await harness.stopApps();
    await f?.db.drop();
    await broker?.stop();
  });

  it('carries a report from ingest through the aggregator to the API, in groups named with the prefix', async () => {
    harness.start('ingest', f.env);
    harness.start('aggregator', f.env);
    const [api, token] = await Promise.all([
      startApi(harness, f),
      createToken(f.db.url, 'sasl-ssl analyst', 'analyst'),
    ]);
    await produce(f.kafka, f.topics.smsRaw, [
      rawSmsMessage({ from: '0912345678', to: '156', text: 'V 0987654321 quang cao' }),
    ]);

    const subscriber = await eventually(
      () => api.get(`/api/v1/subscribers/${encodeURIComponent(REPORTED)}`, token.secret),
      (r) => r.status === 200 && r.body.counters?.totalReports === 1,
    );
    expect(subscriber.status).toBe(200);
    expect(subscriber.body).toMatchObject({ reportedNumber: REPORTED, counters: { totalReports: 1 } });

    const admin = f.kafka.admin();
    await admin.connect();
    try {
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId);
      expect(groups).toEqual(expect.arrayContaining([f.groupId, f.aggregatorGroupId]));
      expect(groups).not.toContain('ingest');
    } finally {
      await admin.disconnect();
    }
  });

  it('stops an app whose password the broker refuses, with one line and no stack trace', async () => {
    const wrong = 'not-the-password-7f3a';
    const { code, stderr, ms } = await runUntilExit('ingest', {
      ...f.env,
      KAFKA_SASL_PASSWORD_FILE: '',
      KAFKA_SASL_PASSWORD: wrong,
    });
    expect(code).toBe(1);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^cannot start: Kafka refused authentication for user "abuse-monitor" with SCRAM-SHA-512: .*; check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD \(or KAFKA_SASL_PASSWORD_FILE\) and KAFKA_SASL_MECHANISM$/,
    );
    expect(stderr).not.toContain(wrong);
    expect(ms).toBeLessThan(15_000);
  });

  it('stops an app that does not trust the broker certificate, with one line', async () => {
    const { code, stderr } = await runUntilExit('aggregator', { ...f.env, KAFKA_SSL_CA_FILE: '' });
    expect(code).toBe(1);
    expect(stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /^cannot start: TLS with Kafka failed: Connection error: self[- ]signed certificate in certificate chain; check KAFKA_SECURITY_PROTOCOL, KAFKA_SSL_CA_FILE/,
      ),
    ]);
  });
});
