import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { BatchConsumer, ensureTopics, nestLogSink, topicNames } from '@abuse-monitor/messaging';
import { describeError, retryWithBackoff } from '@abuse-monitor/runtime';
import { INGEST_CONFIG, IngestConfig } from './ingest.config';
import { ReportIntakeService } from './report-intake.service';

/** Owns the consumer's life: topics first, then consuming, then a clean stop on shutdown. */
@Injectable()
export class ReportConsumerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReportConsumerService.name);
  private readonly consumer: BatchConsumer;
  private readonly topics;
  private stopping = false;
  private starting: Promise<void> | null = null;

  constructor(
    private readonly kafka: Kafka,
    intake: ReportIntakeService,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {
    this.topics = topicNames(config.KAFKA_TOPIC_PREFIX);
    this.consumer = new BatchConsumer(kafka, {
      groupId: config.INGEST_GROUP_ID,
      topics: [this.topics.smsRaw, this.topics.submitted],
      handler: (messages, context) => intake.handleBatch(messages, context),
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
    const numPartitions = this.config.KAFKA_TOPIC_PARTITIONS;
    const t = this.topics;
    try {
      const created = await retryWithBackoff(
        () =>
          ensureTopics(this.kafka, [
            ...[t.smsRaw, t.submitted, t.accepted, t.rejected, t.smsOutbound].map((topic) => ({
              topic,
              numPartitions,
            })),
            { topic: t.deadLetter, numPartitions: 1 },
          ]),
        {
          what: 'create topics',
          initialDelayMs: 500,
          maxDelayMs: 5_000,
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
    this.logger.log(`consuming ${t.smsRaw} and ${t.submitted} as group ${this.config.INGEST_GROUP_ID}`);
  }
}
