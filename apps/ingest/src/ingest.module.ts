import { DynamicModule, Module } from '@nestjs/common';
import { KafkaModule } from '@abuse-monitor/messaging';
import { DatabaseModule } from '@abuse-monitor/persistence';
import { INGEST_CONFIG, IngestConfig } from './ingest.config';
import { RawSmsConsumerService } from './raw-sms-consumer.service';
import { RawSmsIntakeService } from './raw-sms-intake.service';

@Module({})
export class IngestModule {
  static register(config: IngestConfig): DynamicModule {
    return {
      module: IngestModule,
      imports: [
        DatabaseModule.forRoot({ url: config.DATABASE_URL, applicationName: 'abuse-monitor-ingest' }),
        KafkaModule.forRoot({ brokers: config.KAFKA_BROKERS, clientId: `${config.KAFKA_CLIENT_ID}-ingest` }),
      ],
      providers: [{ provide: INGEST_CONFIG, useValue: config }, RawSmsIntakeService, RawSmsConsumerService],
    };
  }
}
