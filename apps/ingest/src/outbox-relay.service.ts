import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { nestLogSink, OutboxRelay, Publisher } from '@abuse-monitor/messaging';
import { OutboxRepository } from '@abuse-monitor/persistence';
import { INGEST_CONFIG, IngestConfig } from './ingest.config';

/**
 * Runs the outbox relay for as long as the app runs. At shutdown it publishes what the last
 * batches wrote (the consumer has stopped by then) before the pool closes.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly relay: OutboxRelay;

  constructor(dataSource: DataSource, publisher: Publisher, @Inject(INGEST_CONFIG) config: IngestConfig) {
    this.relay = new OutboxRelay(
      new OutboxRepository(dataSource),
      publisher,
      nestLogSink(new Logger('OutboxRelay')),
      {
        pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
      },
    );
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  wake(): void {
    this.relay.wake();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}
