import { createToken, expectProblem, startApi } from './support/api';
import { Harness } from './support/ingest-fixture';

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

  it('refuses an address that keeps sending bad tokens for a minute, while tokens valid lately still work', async () => {
    const f = await harness.fixture('badtokens');
    const api = await startApi(harness, f, { API_FAILED_AUTH_PER_MINUTE: '3' });
    const good = (await createToken(f.db.url, 'analyst-1', 'analyst')).secret;
    expect((await api.get('/api/v1/flags', good)).status).toBe(200);
    for (let i = 0; i < 3; i++) expectProblem(await api.get('/api/v1/flags', `amt_guess${i}`), 401);
    expectProblem(await api.get('/api/v1/flags', 'amt_guess4'), 429);
    expectProblem(await api.get('/api/v1/flags', null), 429);
    // A colleague's token, valid a moment ago from this address, still works.
    expect((await api.get('/api/v1/flags', good)).status).toBe(200);
  });
});
