/**
 * /health/live and /health/ready on the metrics port of the consumers and the scheduler (decision
 * 0034), with the real broker and PostgreSQL: a dependency is cut through a proxy (KafkaProxy for
 * the broker, which must carry every connection, not only the bootstrap one), never by stopping
 * the real one.
 */
import { startApi } from './support/api';
import { Harness } from './support/ingest-fixture';
import { KafkaProxy } from './support/kafka-proxy';
import { AppProcess, eventually } from './support/app-process';
import { produce } from './support/kafka';
import { rawSmsMessage } from './support/raw-sms';
import { TEST_POSTGRES_URL } from './support/test-database';
import { freePort, TcpProxy } from './support/tcp-proxy';

interface Answer {
  status: number;
  body: { status?: string; checks?: Record<string, { ok: boolean; detail: string }> } | null;
}

async function ask(port: number, path: string): Promise<Answer> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  } catch {
    return { status: 0, body: null };
  }
}

/** Asks until the answer has this status, and returns the last answer. */
const answered = (port: number, path: string, status: number, timeoutMs = 60_000) =>
  eventually(
    () => ask(port, path),
    (a) => a.status === status,
    timeoutMs,
  );

function proxiedDatabaseUrl(url: string, port: number): string {
  const proxied = new URL(url);
  proxied.host = `127.0.0.1:${port}`;
  return proxied.toString();
}

describe('health of the apps on their metrics ports', () => {
  const harness = new Harness();
  const proxies: (TcpProxy | KafkaProxy)[] = [];
  afterAll(async () => {
    await harness.stopApps();
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await harness.dropDatabases();
  });

  it('aggregator: ready once in its group, 503 naming the database while PostgreSQL is cut, ready again after', async () => {
    const f = await harness.fixture('health-agg');
    const postgres = new URL(TEST_POSTGRES_URL);
    const proxy = new TcpProxy(await freePort(), {
      host: postgres.hostname,
      port: Number(postgres.port || 5432),
    });
    proxies.push(proxy);
    await proxy.open();
    const port = await freePort();
    const app: AppProcess = harness.start('aggregator', {
      ...f.env,
      DATABASE_URL: proxiedDatabaseUrl(f.db.url, proxy.port),
      METRICS_PORT: String(port),
    });

    const ready = await answered(port, '/health/ready', 200);
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ready',
      checks: {
        database: { ok: true, detail: 'answered' },
        broker: { ok: true, detail: expect.stringMatching(/^\d+ broker\(s\)$/) },
        consumer: { ok: true, detail: expect.stringMatching(/^\d+ partition\(s\), /) },
      },
    });
    expect(await ask(port, '/health/live')).toEqual({ status: 200, body: { status: 'ok' } });

    await proxy.close();
    const cut = await answered(port, '/health/ready', 503);
    expect(cut.status).toBe(503);
    expect(cut.body?.status).toBe('not_ready');
    expect(cut.body?.checks?.database).toEqual({ ok: false, detail: 'database unreachable' });
    expect(cut.body?.checks?.broker.ok).toBe(true);
    // Nothing of the connection (host, port, user, database name) reaches whoever asks.
    expect(JSON.stringify(cut.body)).not.toMatch(new RegExp(`${proxy.port}|${f.db.name}|postgres`));
    // Live never asks a dependency: the pod is not restarted for a database outage.
    expect((await ask(port, '/health/live')).status).toBe(200);
    await app.waitForLog(/database is not ready/);

    await proxy.open();
    const back = await answered(port, '/health/ready', 200);
    expect(back.status).toBe(200);
    expect(back.body?.checks?.database).toEqual({ ok: true, detail: 'answered' });
  });

  it('ingest: not ready while the broker is unreachable, at start or later, saying so, and ready once it is back', async () => {
    const f = await harness.fixture('health-ingest');
    await produce(f.kafka, f.topics.smsRaw, [rawSmsMessage()]);
    const [host, brokerPort] = f.env.KAFKA_BROKERS.split(',')[0].split(':');
    const proxy = new KafkaProxy(await freePort(), { host, port: Number(brokerPort) });
    proxies.push(proxy);
    const port = await freePort();
    const { DATABASE_URL: _ingestHasNoDatabase, ...env } = f.env;
    const app = harness.start('ingest', {
      ...env,
      KAFKA_BROKERS: `127.0.0.1:${proxy.port}`,
      METRICS_PORT: String(port),
    });

    await app.waitForLog(/cannot consume .*attempt 1\)/);
    const down = await answered(port, '/health/ready', 503);
    expect(down.status).toBe(503);
    expect(down.body).toEqual({
      status: 'not_ready',
      checks: {
        broker: { ok: false, detail: 'broker unreachable' },
        consumer: {
          ok: false,
          detail: expect.stringMatching(
            /^not in its group: \d+ failed attempt\(s\) to reach the broker, retrying$/,
          ),
        },
      },
    });
    expect((await ask(port, '/health/live')).status).toBe(200);

    await proxy.open();
    const up = await answered(port, '/health/ready', 200);
    expect(up.body?.status).toBe('ready');
    expect(Object.keys(up.body?.checks ?? {}).sort()).toEqual(['broker', 'consumer']);
    // The message waiting went through: the consumer says when its last batch was.
    const moved = await eventually(
      () => ask(port, '/health/ready'),
      (a) => /last batch \d+ s ago/.test(a.body?.checks?.consumer.detail ?? ''),
    );
    expect(moved.body?.checks?.consumer.detail).toMatch(/partition\(s\), last batch \d+ s ago$/);

    // The broker goes away from a running app: every connection of it is cut.
    await proxy.close();
    const cut = await answered(port, '/health/ready', 503);
    expect(cut.status).toBe(503);
    expect(cut.body?.checks?.broker).toEqual({ ok: false, detail: 'broker unreachable' });
    expect(JSON.stringify(cut.body)).not.toContain(String(proxy.port));
    expect((await ask(port, '/health/live')).status).toBe(200);

    await proxy.open();
    const back = await answered(port, '/health/ready', 200, 120_000);
    expect(back.body?.status).toBe('ready');
  });

  it('scheduler and api: ready with the database and the broker on the metrics port, as on the API port', async () => {
    const f = await harness.fixture('health-sched');
    const schedulerPort = await freePort();
    harness.start('scheduler', { ...f.env, METRICS_PORT: String(schedulerPort) });
    const scheduler = await answered(schedulerPort, '/health/ready', 200);
    expect(scheduler.body).toEqual({
      status: 'ready',
      checks: {
        database: { ok: true, detail: 'answered' },
        broker: { ok: true, detail: expect.stringMatching(/^\d+ broker\(s\)$/) },
      },
    });
    expect(await ask(schedulerPort, '/health/live')).toEqual({ status: 200, body: { status: 'ok' } });

    const metricsPort = await freePort();
    const api = await startApi(harness, f, { METRICS_PORT: String(metricsPort) });
    const onMetricsPort = await answered(metricsPort, '/health/ready', 200);
    const onApiPort = await api.get('/health/ready');
    expect(onApiPort.status).toBe(200);
    expect(onMetricsPort.body).toEqual(onApiPort.body);
    expect(await ask(metricsPort, '/health/live')).toEqual({ status: 200, body: { status: 'ok' } });
  });
});
