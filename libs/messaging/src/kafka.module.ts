import { DynamicModule, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { exitIfKafkaRefusesAccess } from './kafka-access';
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

/**
 * Provides the kafkajs client and a shared idempotent Publisher. The client is made only once the
 * brokers have not refused our credentials or certificates, before anything else connects, so a
 * wrong password ends the app with one line instead of every component retrying it.
 */
@Module({})
export class KafkaModule {
  static forRoot(settings: KafkaSettings): DynamicModule {
    const sink = nestLogSink(new Logger('Kafka'));
    return {
      module: KafkaModule,
      global: true,
      providers: [
        {
          provide: Kafka,
          useFactory: async () => {
            await exitIfKafkaRefusesAccess(settings, (reason) =>
              sink('warn', `Kafka is not reachable yet (${reason}); starting anyway`),
            );
            return createKafka(settings, sink);
          },
        },
        { provide: Publisher, useFactory: (kafka: Kafka) => new Publisher(kafka, sink), inject: [Kafka] },
        PublisherCloser,
      ],
      exports: [Kafka, Publisher],
    };
  }
}
