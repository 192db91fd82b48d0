import { kafkaClientSettings } from '@abuse-monitor/config';
import { DynamicModule, Module } from '@nestjs/common';
import { KafkaModule } from '@abuse-monitor/messaging';
import { ObservabilityModule } from '@abuse-monitor/observability';
import { INGEST_CONFIG, IngestConfig } from './ingest.config';
import { ReportConsumerService } from './report-consumer.service';
import { ReportIntakeService } from './report-intake.service';

/** Ingest talks to the broker only: what it decides leaves in the transaction of its batch. */
@Module({})
export class IngestModule {
  static register(config: IngestConfig): DynamicModule {
    return {
      module: IngestModule,
      imports: [
        KafkaModule.forRoot(kafkaClientSettings(config, 'ingest')),
        ObservabilityModule.forRoot({
          app: 'ingest',
          metricsPort: config.METRICS_PORT,
          metricsHost: config.METRICS_HOST,
        }),
      ],
      providers: [{ provide: INGEST_CONFIG, useValue: config }, ReportIntakeService, ReportConsumerService],
    };
  }
}
