import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { enqueueOutbox, OutboxRepository, OutboxRow } from '@abuse-monitor/persistence';
import { createTestDatabase, openDataSource, TestDatabase } from './support/test-database';

/**
 * Every process with a database runs a relay; one at a time may publish, so that rows leave in the
 * order they were committed and no row is published by two at once.
 */
describe('outbox relays (OutboxRepository.publishPending)', () => {
  let db: TestDatabase;
  const sources: DataSource[] = [];
  beforeAll(async () => {
    db = await createTestDatabase('relaylock');
    for (let i = 0; i < 2; i += 1) {
      sources.push(await openDataSource(db.url, 2));
    }
  });
  afterAll(async () => {
    await Promise.all(sources.map((s) => s.destroy()));
    await db?.drop();
  });

  it('lets a second relay take nothing while the first one publishes, and nothing it published', async () => {
    const [first, second] = sources.map((s) => new OutboxRepository(s));
    await sources[0].transaction((manager) =>
      enqueueOutbox(
        ['e-1', 'e-2', 'e-3'].map((id) => ({
          topic: 'subscriber.flags',
          key: id,
          payload: `{"eventId":"${id}"}`,
        })),
        manager,
      ),
    );
    let publishedByFirst: OutboxRow[] = [];
    const publishedBySecond: OutboxRow[] = [];
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const publishing = new Promise<void>((resolve) => (started = resolve));
    const firstDone = first.publishPending(10, async (rows) => {
      publishedByFirst = rows;
      started();
      // Holds its transaction (and the relay lock) open, as a slow broker would.
      await new Promise<void>((resolve) => (release = resolve));
    });
    await publishing;
    const whileHeld = await second.publishPending(10, async (rows) => {
      publishedBySecond.push(...rows);
    });
    release();
    expect(await firstDone).toBe(3);
    const afterwards = await second.publishPending(10, async (rows) => {
      publishedBySecond.push(...rows);
    });
    expect(publishedByFirst.map((r) => r.key)).toEqual(['e-1', 'e-2', 'e-3']);
    expect(whileHeld).toBe(0);
    expect(afterwards).toBe(0);
    expect(publishedBySecond).toEqual([]);
    expect(await first.pendingCount()).toBe(0);
  });

  it('takes the pending rows after thousands published, from the first, without a pass over the published', async () => {
    const [relay] = sources.map((s) => new OutboxRepository(s));
    const enqueue = (keys: string[]) =>
      sources[0].transaction((manager) =>
        enqueueOutbox(
          keys.map((key) => ({ topic: 'subscriber.flags', key, payload: '{}' })),
          manager,
        ),
      );
    await enqueue(Array.from({ length: 3_000 }, (_, i) => `old-${i}`));
    const passes: number[] = [];
    for (let n = -1; n !== 0;) passes.push((n = await relay.publishPending(1_000, async () => undefined)));
    expect(passes).toEqual([1_000, 1_000, 1_000, 0]);
    await sources[0].query('ANALYZE outbox');
    await enqueue(['new-1', 'new-2', 'new-3']);
    const taken: string[] = [];
    const take = async (rows: OutboxRow[]) => void taken.push(...rows.map((r) => r.key ?? ''));
    expect(await relay.publishPending(2, take)).toBe(2);
    expect(await relay.publishPending(2, take)).toBe(1);
    expect(taken).toEqual(['new-1', 'new-2', 'new-3']);
    expect(await relay.pendingCount()).toBe(0);
    // The first pending id is found by walking the partial index from its start (where the dead
    // entries of published rows are marked and then skipped), never by reading the table.
    const plan: { 'QUERY PLAN': string }[] = await sources[0].query(
      `EXPLAIN (COSTS OFF) SELECT min(id) FROM outbox WHERE published_at IS NULL`,
    );
    const lines = plan.map((row) => row['QUERY PLAN']).join('\n');
    expect(lines).toMatch(/Index (Only )?Scan using outbox_unpublished_idx/);
    expect(lines).not.toMatch(/Seq Scan/);
  });
});
