import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { affectedRows } from './affected-rows';
import { binaryTextArray } from './binary-array';

export interface OutboxMessage {
  topic: string;
  key: string | null;
  payload: string;
}

export interface OutboxRow extends OutboxMessage {
  id: string;
}

/**
 * The transactional outbox: messages are written in the transaction that decided them and
 * published afterwards by a relay. One relay at a time holds the advisory lock, so rows leave in
 * the order they were committed by id.
 */
@Injectable()
export class OutboxRepository {
  static readonly RELAY_LOCK = 'abuse-monitor.outbox-relay';

  constructor(private readonly dataSource: DataSource) {}

  enqueue(messages: readonly OutboxMessage[], manager: EntityManager): Promise<void> {
    return enqueueOutbox(messages, manager);
  }

  /**
   * Takes up to `limit` unpublished rows, hands them to `publish`, and marks them published in the
   * same transaction. Returns how many were published, or 0 when another relay holds the lock.
   * If `publish` throws, nothing is marked and the rows are taken again next time.
   */
  async publishPending(limit: number, publish: (rows: OutboxRow[]) => Promise<void>): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      // The lock and the read in one statement: each round trip costs more than the rows (0072).
      // A published row leaves a dead entry in outbox_unpublished_idx until vacuum. Read as a
      // bitmap (the plan PostgreSQL picked once the table had statistics), every read fetched
      // each of them from the heap again: 1-2 ms a read after 20 s of flags at 5,000 reports/s.
      // The first pending id comes from min(), which PostgreSQL reads by walking that index in
      // order (on all but a tiny table; the e2e test checks the plan), marking the dead entries
      // it passes so that later walks skip them; the rows are read from there.
      // The mark commits without waiting for its WAL flush (decision 0084): a mark lost in a
      // database crash publishes its rows again, as a crash between publishing and marking does,
      // and every consumer deduplicates by event id. The relay's next pass no longer waits on it.
      const rows: { id: string; topic: string; message_key: string | null; payload: string }[] =
        await manager.query(
          `SELECT o.id, o.topic, o.message_key, o.payload
             FROM (SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked,
                          set_config('synchronous_commit', 'off', true)) AS relay
             CROSS JOIN LATERAL (SELECT id, topic, message_key, payload FROM outbox
                                  WHERE relay.locked AND published_at IS NULL
                                    AND id >= (SELECT min(id) FROM outbox WHERE published_at IS NULL)
                                  ORDER BY id LIMIT $2) AS o`,
          [OutboxRepository.RELAY_LOCK, limit],
        );
      if (rows.length === 0) return 0;
      await publish(rows.map((r) => ({ id: r.id, topic: r.topic, key: r.message_key, payload: r.payload })));
      await manager.query(`UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])`, [
        rows.map((r) => r.id),
      ]);
      return rows.length;
    });
  }

  /** Deletes published rows older than the retention, a bounded number at a time. */
  async prunePublished(olderThanSeconds: number, limit = 10_000): Promise<number> {
    const deleted: unknown = await this.dataSource.query(
      `DELETE FROM outbox WHERE id IN (
         SELECT id FROM outbox
          WHERE published_at < now() - make_interval(secs => $1) ORDER BY id LIMIT $2)
`,
      [olderThanSeconds, limit],
    );
    return affectedRows(deleted);
  }

  async pendingCount(): Promise<number> {
    const [{ n }] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`,
    );
    return n;
  }
}

/**
 * Writes messages to the outbox in the caller's transaction; the relay publishes them after commit.
 * The caller wakes the relays once it has committed (OutboxRelayService.wake), not with a NOTIFY in
 * the transaction: PostgreSQL lets one notifying transaction commit at a time and holds that lock
 * through the commit's WAL flush, so concurrent batches that notified each waited for the others'
 * flushes instead of sharing one (decision 0084).
 */
export async function enqueueOutbox(
  messages: readonly OutboxMessage[],
  manager: EntityManager,
): Promise<void> {
  if (messages.length === 0) return;
  await manager.query(
    `INSERT INTO outbox (topic, message_key, payload)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`,
    [
      binaryTextArray(messages.map((m) => m.topic)),
      binaryTextArray(messages.map((m) => m.key)),
      binaryTextArray(messages.map((m) => m.payload)),
    ],
  );
}
