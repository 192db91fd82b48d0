import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { nestLogSink } from '@abuse-monitor/messaging';
import {
  NotificationListener,
  RULES_IN_FORCE_CHANNEL,
  RulesInForce,
  RulesInForceCache,
  RulesInForceRepository,
} from '@abuse-monitor/persistence';
import { AGGREGATOR_CONFIG, AggregatorConfig } from './aggregator.config';

/**
 * The rules, the allowlist and the protected originators every batch is evaluated against, kept
 * in memory and read again when a trigger says one changed (decision 0062), and at least every
 * AGGREGATOR_RULES_REFRESH_MS in case a notification was lost.
 */
@Injectable()
export class RulesInForceService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly cache: RulesInForceCache;
  private readonly listener: NotificationListener;

  constructor(
    dataSource: DataSource,
    repository: RulesInForceRepository,
    @Inject(AGGREGATOR_CONFIG) config: AggregatorConfig,
  ) {
    this.cache = new RulesInForceCache(
      () => repository.read(dataSource.manager),
      config.AGGREGATOR_RULES_REFRESH_MS,
    );
    const { url, extra } = dataSource.options as { url: string; extra?: { application_name?: string } };
    this.listener = new NotificationListener(
      url,
      `${extra?.application_name ?? 'abuse-monitor'}-rules`,
      {
        channel: RULES_IN_FORCE_CHANNEL,
        what: 'rule and allowlist',
        meanwhile: `reading them every ${config.AGGREGATOR_RULES_REFRESH_MS} ms meanwhile`,
      },
      () => this.cache.invalidate(),
      nestLogSink(new Logger(RulesInForceService.name)),
    );
  }

  onApplicationBootstrap(): void {
    this.listener.start();
  }

  /** Read before a batch's transaction, so that a read never waits for a pool connection a batch holds. */
  current(): Promise<RulesInForce> {
    return this.cache.current();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.listener.stop();
  }
}
