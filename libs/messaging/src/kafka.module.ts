import { DynamicModule, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { createKafka, KafkaSettings, LogSink } from './kafka-client';
import { Publisher } from './publisher';

export function nestLogSink(logger: Logger): LogSink {
  return (level, message) => logger[level](message);
}

@Injectable()
class PublisherCloser implements OnApplicationShutdown {
  constructor(private readonly publisher: Publisher) {}

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.close();
  }
}

/** Provides the kafkajs client and a shared idempotent Publisher. */
@Module({})
export class KafkaModule {
  static forRoot(settings: KafkaSettings): DynamicModule {
    const sink = nestLogSink(new Logger('Kafka'));
    return {
      module: KafkaModule,
      global: true,
      providers: [
        { provide: Kafka, useFactory: () => createKafka(settings, sink) },
        { provide: Publisher, useFactory: (kafka: Kafka) => new Publisher(kafka, sink), inject: [Kafka] },
        PublisherCloser,
      ],
      exports: [Kafka, Publisher],
    };
  }
}
