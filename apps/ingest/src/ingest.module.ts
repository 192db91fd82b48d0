import { DynamicModule, Module } from '@nestjs/common';
import { KafkaModule } from '@abuse-monitor/messaging';
import { ObservabilityModule } from '@abuse-monitor/observability';
import { DatabaseModule, OUTBOX_RELAY_OPTIONS, OutboxRelayService } from '@abuse-monitor/persistence';
import { INGEST_CONFIG, IngestConfig } from './ingest.config';
import { ReportConsumerService } from './report-consumer.service';
import { ReportIntakeService } from './report-intake.service';

@Module({})
export class IngestModule {
  static register(config: IngestConfig): DynamicModule {
    return {
      module: IngestModule,
      imports: [
        DatabaseModule.forRoot({ url: config.DATABASE_URL, applicationName: 'abuse-monitor-ingest' }),
        KafkaModule.forRoot({ brokers: config.KAFKA_BROKERS, clientId: `${config.KAFKA_CLIENT_ID}-ingest` }),
        ObservabilityModule.forRoot({
          app: 'ingest',
          metricsPort: config.METRICS_PORT,
          gauges: { outbox: true },
        }),
      ],
      providers: [
        { provide: INGEST_CONFIG, useValue: config },
        { provide: OUTBOX_RELAY_OPTIONS, useValue: { pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS } },
        OutboxRelayService,
        ReportIntakeService,
        ReportConsumerService,
      ],
    };
  }
}
