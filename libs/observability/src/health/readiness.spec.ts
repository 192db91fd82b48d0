import { Health } from './readiness';

describe('Health', () => {
  it('is ready when every check is, and names the one that is not', async () => {
    const health = new Health(() => undefined, 0);
    let brokerUp = true;
    health.register('database', () => ({ ok: true, detail: 'answered' }));
    health.register('broker', async () => {
      if (!brokerUp) throw new Error('connect ECONNREFUSED 10.0.0.7:9092 (user=ingest password=hunter2)');
      return { ok: true, detail: '1 broker(s)' };
    });
    expect(await health.ready()).toEqual({
      status: 'ready',
      checks: { database: { ok: true, detail: 'answered' }, broker: { ok: true, detail: '1 broker(s)' } },
    });
    brokerUp = false;
    const answer = await health.ready();
    expect(answer).toEqual({
      status: 'not_ready',
      checks: {
        database: { ok: true, detail: 'answered' },
        broker: { ok: false, detail: 'broker unreachable' },
      },
    });
    // Hosts and error texts (which may hold credentials) stay in the log.
    expect(JSON.stringify(answer)).not.toMatch(/10\.0\.0\.7|hunter2|ECONNREFUSED/);
  });

  it('takes a check that does not answer in time for unreachable', async () => {
    const health = new Health(() => undefined, 0, 50);
    health.register('database', () => new Promise(() => undefined));
    expect(await health.ready()).toEqual({
      status: 'not_ready',
      checks: { database: { ok: false, detail: 'database unreachable' } },
    });
  });

  it('runs the checks at most once per cache period, however many ask', async () => {
    let now = 0;
    let runs = 0;
    const health = new Health(
      () => undefined,
      1_000,
      3_000,
      () => now,
    );
    health.register('database', () => ({ ok: true, detail: `run ${++runs}` }));
    await Promise.all(Array.from({ length: 50 }, () => health.ready()));
    now = 999;
    await health.ready();
    expect(runs).toBe(1);
    now = 1_000;
    expect((await health.ready()).checks.database.detail).toBe('run 2');
  });

  it('logs why a check is not ready once when it turns, and once when it recovers', async () => {
    const lines: string[] = [];
    const health = new Health((line) => lines.push(line), 0);
    let up = false;
    health.register('database', () => {
      if (!up) throw new Error('connection terminated');
      return { ok: true, detail: 'answered' };
    });
    await health.ready();
    await health.ready();
    up = true;
    await health.ready();
    expect(lines).toEqual(['database is not ready: connection terminated', 'database is ready again']);
  });

  it('closes what its checks keep open', async () => {
    const health = new Health();
    let closed = 0;
    health.register(
      'broker',
      () => ({ ok: true, detail: '' }),
      async () => void (closed += 1),
    );
    await health.close();
    expect(closed).toBe(1);
  });
});
