import { setTimeout as sleep } from 'node:timers/promises';
import { createToken, expectProblem, startApi } from './support/api';
import { Harness } from './support/ingest-fixture';
import { freePort, TcpProxy } from './support/tcp-proxy';

describe('API health and abuse', () => {
  const harness = new Harness();
  afterAll(async () => {
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it('is live but not ready while the broker is unreachable, and says which without its error', async () => {
    const f = await harness.fixture('health');
    // Nothing listens on port 1: the broker is down as far as this API knows.
    const api = await startApi(harness, f, { KAFKA_BROKERS: '127.0.0.1:1' });
    expect((await api.get('/health/live')).status).toBe(200);
    const ready = await api.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({
      status: 'not_ready',
      checks: {
        database: { ok: true, detail: 'answered' },
        broker: { ok: false, detail: 'broker unreachable' },
      },
    });
    // The reason goes to the log, for the operator, not to whoever asked.
    await api.process.waitForLog(/broker is not ready/);
  });

  it('keeps refusing an address that sends 60 bad tokens in a minute, but not the live tokens of colleagues behind it', async () => {
    const f = await harness.fixture('badtokens');
    const api = await startApi(harness, f, { API_FAILED_AUTH_PER_MINUTE: '60' });
    const [used, unused, revoked] = await Promise.all(
      ['analyst-1', 'analyst-2', 'analyst-3'].map((name) => createToken(f.db.url, name, 'analyst')),
    );
    expect((await api.get('/api/v1/flags', used.secret)).status).toBe(200);
    await f.db.query(`UPDATE api_tokens SET revoked_at = now(), revoked_by = 'test' WHERE id = $1`, [
      revoked.id,
    ]);
    for (let i = 0; i < 60; i++) expectProblem(await api.get('/api/v1/flags', `amt_guess${i}`), 401);
    expectProblem(await api.get('/api/v1/flags', 'amt_guess60'), 429);
    expectProblem(await api.get('/api/v1/flags', null), 429);
    expectProblem(await api.get('/api/v1/flags', revoked.secret), 429);
    // Colleagues behind the same address work, whether or not their token was used lately.
    expect((await api.get('/api/v1/flags', used.secret)).status).toBe(200);
    expect((await api.get('/api/v1/flags', unused.secret)).status).toBe(200);
    expectProblem(await api.get('/api/v1/flags', 'amt_guess61'), 429);
  });

  it("counts requests refused with 403 towards the caller's rate limit", async () => {
    const f = await harness.fixture('forbiddenrate');
    const api = await startApi(harness, f, { API_RATE_LIMIT_PER_MINUTE: '3' });
    const agent = (await createToken(f.db.url, 'agent-1', 'agent')).secret;
    for (let i = 0; i < 3; i++) expectProblem(await api.get('/api/v1/flags', agent), 403);
    expectProblem(await api.get('/api/v1/flags', agent), 429);
    expectProblem(await api.get('/api/v1/tokens', agent), 429);
  });

  it('asks the broker over one connection however often it is asked, and answers from a second-old check', async () => {
    const f = await harness.fixture('readyreuse');
    const [host, port] = f.env.KAFKA_BROKERS.split(',')[0].split(':');
    const proxy = new TcpProxy(await freePort(), { host, port: Number(port) });
    await proxy.open();
    try {
      const api = await startApi(harness, f, { KAFKA_BROKERS: `127.0.0.1:${proxy.port}` });
      expect((await api.get('/health/ready')).body.status).toBe('ready');
      const before = proxy.accepted;
      const answers = await Promise.all(Array.from({ length: 20 }, () => api.get('/health/ready')));
      expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
      for (let i = 0; i < 3; i++) {
        await sleep(1_100);
        expect((await api.get('/health/ready')).body.status).toBe('ready');
      }
      expect(proxy.accepted - before).toBe(0);
    } finally {
      await proxy.close();
    }
  });
});
