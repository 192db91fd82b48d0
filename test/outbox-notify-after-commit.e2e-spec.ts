import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Publisher } from '@abuse-monitor/messaging';
import { enqueueOutbox, OUTBOX_CHANNEL, OutboxRelayService } from '@abuse-monitor/persistence';
import { eventually, sleep } from './support/app-process';
import { createTestDatabase, openDataSource, TestDatabase } from './support/test-database';

/**
 * A transaction that writes outbox rows does not notify: concurrent notifying transactions commit
 * one at a time, each waiting for the others' WAL flushes (decision 0084). The process wakes every
 * relay once it has committed.
 */
describe('the outbox notification, sent after the commit', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let listener: Client;
  const received: string[] = [];
  beforeAll(async () => {
    db = await createTestDatabase('notifyafter');
    dataSource = await openDataSource(db.url, 2);
    listener = new Client({ connectionString: db.url });
    await listener.connect();
    listener.on('notification', (n) => received.push(n.channel));
    await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
  });
  afterAll(async () => {
    await listener?.end();
    await dataSource?.destroy();
    await db?.drop();
  });

  it('is not sent by the transaction that writes the rows, and is sent by wake once it committed', async () => {
    await dataSource.transaction((manager) =>
      enqueueOutbox(
        [{ topic: 'subscriber.flags', key: '+84987000999', payload: '{"eventId":"e-1"}' }],
        manager,
      ),
    );
    // A notification sent at commit is delivered within milliseconds; wait far longer than that.
    await sleep(500);
    expect(received).toEqual([]);
    expect(await db.query('SELECT count(*)::int AS n FROM outbox')).toEqual([{ n: 1 }]);

    // Never started: its relay does not run, so the publisher is never used.
    const service = new OutboxRelayService(dataSource, {} as Publisher, { pollIntervalMs: 600_000 });
    for (let i = 0; i < 5; i += 1) service.wake();
    expect(
      await eventually(
        async () => received.length,
        (n) => n > 0,
      ),
    ).toBeGreaterThan(0);
    await service.beforeApplicationShutdown();
    // Whatever was sent has arrived by now.
    await sleep(500);
    // Five wakes in a burst: the first notification, and one for all that came while it was sent.
    expect(received.length).toBeLessThanOrEqual(2);
    expect(received.every((channel) => channel === OUTBOX_CHANNEL)).toBe(true);
  });
});
