import { kafkaClientSettings } from '@abuse-monitor/config';
import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ObservabilityModule } from '@abuse-monitor/observability';
import { KafkaModule, topicNames, TOPICS_TO_ENSURE, TopicsBootstrapService } from '@abuse-monitor/messaging';
import {
  DatabaseModule,
  OUTBOX_RELAY_OPTIONS,
  OutboxRelayService,
  PersistenceModule,
} from '@abuse-monitor/persistence';
import { Clock, systemClock } from '@abuse-monitor/runtime';
import { CronScheduleService } from './cron-schedule.service';
import { JobRunner } from './job-runner';
import { JOBS } from './jobs';
import { CLOCK, SCHEDULER_CONFIG, SCHEDULER_TOPICS, SchedulerConfig } from './scheduler.config';

export interface SchedulerOptions {
  /** false: jobs run only when asked (the `run` command, tests). */
  schedule: boolean;
  clock?: Clock;
  /** Overrides METRICS_PORT (0: any free port, for tests and one-off runs). */
  metricsPort?: number;
}

@Module({})
export class SchedulerModule {
  static register(config: SchedulerConfig, options: SchedulerOptions): DynamicModule {
    return {
      module: SchedulerModule,
      imports: [
        DatabaseModule.forRoot({ url: config.DATABASE_URL, applicationName: 'abuse-monitor-scheduler' }),
        PersistenceModule,
        KafkaModule.forRoot(kafkaClientSettings(config, 'scheduler')),
        ScheduleModule.forRoot(),
        ObservabilityModule.forRoot({
          app: 'scheduler',
          metricsPort: options.metricsPort ?? config.METRICS_PORT,
          metricsHost: config.METRICS_HOST,
          gauges: { outbox: true, jobs: true },
        }),
      ],
      providers: [
        { provide: SCHEDULER_CONFIG, useValue: config },
        { provide: SCHEDULER_TOPICS, useValue: topicNames(config.KAFKA_TOPIC_PREFIX) },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: OUTBOX_RELAY_OPTIONS, useValue: { pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS } },
        OutboxRelayService,
        {
          provide: TOPICS_TO_ENSURE,
          useValue: [
            {
              topic: topicNames(config.KAFKA_TOPIC_PREFIX).subscriberFlags,
              numPartitions: config.KAFKA_TOPIC_PARTITIONS,
              retentionMs: config.KAFKA_TOPIC_RETENTION,
            },
            {
              topic: topicNames(config.KAFKA_TOPIC_PREFIX).subscriberCampaigns,
              numPartitions: config.KAFKA_TOPIC_PARTITIONS,
              retentionMs: config.KAFKA_TOPIC_RETENTION,
            },
          ],
        },
        TopicsBootstrapService,
        JobRunner,
        ...JOBS,
        ...(options.schedule ? [CronScheduleService] : []),
      ],
      exports: [JobRunner, ...JOBS],
    };
  }
}
