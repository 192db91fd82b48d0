import { kafkaClientSettings } from '@abuse-monitor/config';
import { DynamicModule, Module } from '@nestjs/common';
import { KafkaModule } from '@abuse-monitor/messaging';
import { ObservabilityModule } from '@abuse-monitor/observability';
import {
  DatabaseModule,
  OUTBOX_RELAY_OPTIONS,
  OutboxRelayService,
  PersistenceModule,
} from '@abuse-monitor/persistence';
import { AGGREGATOR_CONFIG, AggregatorConfig } from './aggregator.config';
import { AggregationService } from './aggregation.service';
import { CoordinationReviewService } from './coordination-review.service';
import { DeadLetterSenderService } from './dead-letter-sender.service';
import { RejectionSinkService } from './rejection-sink.service';
import { ReportStreamConsumerService } from './report-stream-consumer.service';
import { RulesInForceService } from './rules-in-force.service';

@Module({})
export class AggregatorModule {
  static register(config: AggregatorConfig): DynamicModule {
    return {
      module: AggregatorModule,
      imports: [
        DatabaseModule.forRoot({ url: config.DATABASE_URL, applicationName: 'abuse-monitor-aggregator' }),
        PersistenceModule,
        KafkaModule.forRoot(kafkaClientSettings(config, 'aggregator')),
        ObservabilityModule.forRoot({
          app: 'aggregator',
          metricsPort: config.METRICS_PORT,
          metricsHost: config.METRICS_HOST,
          gauges: { outbox: true },
        }),
      ],
      providers: [
        { provide: AGGREGATOR_CONFIG, useValue: config },
        { provide: OUTBOX_RELAY_OPTIONS, useValue: { pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS } },
        OutboxRelayService,
        RulesInForceService,
        AggregationService,
        DeadLetterSenderService,
        RejectionSinkService,
        ReportStreamConsumerService,
        CoordinationReviewService,
      ],
    };
  }
}
