import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { nestLogSink, OutboxRelay, OutboxRelayOptions, Publisher } from '@abuse-monitor/messaging';
import { NotificationListener, OUTBOX_CHANNEL } from './notification-listener';
import { OutboxRepository } from './outbox.repository';
import { PostCommitNotifier } from './post-commit-notifier';

export const OUTBOX_RELAY_OPTIONS = Symbol('OUTBOX_RELAY_OPTIONS');

/**
 * Runs the outbox relay for as long as the app runs, woken by this process's own transactions
 * (wake) and by every other process's through LISTEN/NOTIFY; its poll is only a safety net. At
 * shutdown (after the consumers stopped) it publishes what the last batches wrote, before the
 * pool closes. The relay that holds the lock may be another process's: wake also notifies them,
 * after the commit rather than in the transaction (decision 0084).
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly relay: OutboxRelay;
  private readonly listener: NotificationListener;
  private readonly notifier: PostCommitNotifier;

  constructor(
    dataSource: DataSource,
    publisher: Publisher,
    @Inject(OUTBOX_RELAY_OPTIONS) options: OutboxRelayOptions,
  ) {
    const log = nestLogSink(new Logger('OutboxRelay'));
    this.relay = new OutboxRelay(new OutboxRepository(dataSource), publisher, log, options);
    const { url, extra } = dataSource.options as { url: string; extra?: { application_name?: string } };
    this.listener = new NotificationListener(
      url,
      `${extra?.application_name ?? 'abuse-monitor'}-outbox`,
      { channel: OUTBOX_CHANNEL, what: 'outbox', meanwhile: 'polling meanwhile' },
      () => this.relay.wake(),
      log,
    );
    this.notifier = new PostCommitNotifier(
      () => dataSource.query('SELECT pg_notify($1, NULL)', [OUTBOX_CHANNEL]),
      log,
    );
  }

  onApplicationBootstrap(): void {
    this.relay.start();
    this.listener.start();
  }

  /** Called after a transaction that wrote to the outbox, so its rows leave without waiting. */
  wake(): void {
    this.relay.wake();
    this.notifier.signal();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.notifier.settled();
    await this.listener.stop();
    await this.relay.stop();
  }
}
