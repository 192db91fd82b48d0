import { startApi } from './support/api';
import { Harness } from './support/ingest-fixture';

describe('API health', () => {
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
});
