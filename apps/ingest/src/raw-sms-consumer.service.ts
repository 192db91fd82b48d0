import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { BatchConsumer, ensureTopics, nestLogSink, topicNames } from '@abuse-monitor/messaging';
import { describeError, retryWithBackoff } from '@abuse-monitor/runtime';
import { INGEST_CONFIG, IngestConfig } from './ingest.config';
import { RawSmsIntakeService } from './raw-sms-intake.service';

/** Owns the consumer's life: topics first, then consuming, then a clean stop on shutdown. */
@Injectable()
export class RawSmsConsumerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RawSmsConsumerService.name);
  private readonly consumer: BatchConsumer;
  private stopping = false;
  private starting: Promise<void> | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly intake: RawSmsIntakeService,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {
    const topics = topicNames(config.KAFKA_TOPIC_PREFIX);
    this.consumer = new BatchConsumer(kafka, {
      groupId: config.INGEST_GROUP_ID,
      topics: [topics.smsRaw],
      handler: (messages, context) => this.intake.handleBatch(messages, context),
      log: nestLogSink(this.logger),
      maxBytesPerPartition: config.INGEST_MAX_BATCH_BYTES,
      sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    });
  }

  onApplicationBootstrap(): void {
    this.starting = this.createTopicsThenConsume();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.starting?.catch(() => undefined);
    await this.consumer.stop();
    this.logger.log('consumer stopped');
  }

  private async createTopicsThenConsume(): Promise<void> {
    const topics = topicNames(this.config.KAFKA_TOPIC_PREFIX);
    const numPartitions = this.config.KAFKA_TOPIC_PARTITIONS;
    try {
      const created = await retryWithBackoff(
        () =>
          ensureTopics(this.kafka, [
            { topic: topics.smsRaw, numPartitions },
            { topic: topics.deadLetter, numPartitions: 1 },
          ]),
        {
          what: 'create topics',
          initialDelayMs: 500,
          shouldContinue: () => !this.stopping,
          onRetry: (attempt, delayMs, error) =>
            this.logger.warn(
              `cannot reach Kafka to create topics (attempt ${attempt}): ${describeError(error)}; retrying in ${delayMs} ms`,
            ),
        },
      );
      if (created.length > 0) this.logger.log(`created topics ${created.join(', ')}`);
    } catch (error) {
      if (this.stopping) return;
      throw error;
    }
    if (this.stopping) return;
    this.consumer.start();
    this.logger.log(`consuming ${topics.smsRaw} as group ${this.config.INGEST_GROUP_ID}`);
  }
}
