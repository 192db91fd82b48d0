import { DynamicModule, Module } from '@nestjs/common';
import { KafkaModule } from '@abuse-monitor/messaging';
import { DatabaseModule } from '@abuse-monitor/persistence';
import { INGEST_CONFIG, IngestConfig } from './ingest.config';
import { OutboxRelayService } from './outbox-relay.service';
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
      ],
      providers: [
        { provide: INGEST_CONFIG, useValue: config },
        OutboxRelayService,
        ReportIntakeService,
        ReportConsumerService,
      ],
    };
  }
}
