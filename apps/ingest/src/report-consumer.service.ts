import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { BatchConsumer, nestLogSink, Publisher, topicNames } from '@abuse-monitor/messaging';
import { DATA_REFUSALS } from '@abuse-monitor/persistence';
import { failureHandling, instrumentedBatches, LagMonitor, Metrics } from '@abuse-monitor/observability';
import { INGEST_CONFIG, IngestConfig } from './ingest.config';
import { ReportIntakeService } from './report-intake.service';

/** Consumes raw SMS and hotline submissions from start-up until shutdown. */
@Injectable()
export class ReportConsumerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReportConsumerService.name);
  private readonly consumer: BatchConsumer;
  private readonly lag: LagMonitor;

  constructor(
    kafka: Kafka,
    metrics: Metrics,
    publisher: Publisher,
    intake: ReportIntakeService,
    @Inject(INGEST_CONFIG) config: IngestConfig,
  ) {
    const t = topicNames(config.KAFKA_TOPIC_PREFIX);
    const numPartitions = config.KAFKA_TOPIC_PARTITIONS;
    this.lag = new LagMonitor(kafka, metrics, config.INGEST_GROUP_ID, [t.smsRaw, t.submitted]);
    this.consumer = new BatchConsumer(kafka, {
      groupId: config.INGEST_GROUP_ID,
      topics: [t.smsRaw, t.submitted],
      topicsToCreate: [
        ...[t.smsRaw, t.submitted, t.accepted, t.rejected, t.smsOutbound].map((topic) => ({
          topic,
          numPartitions,
        })),
        { topic: t.deadLetter, numPartitions: 1 },
      ],
      handler: instrumentedBatches(metrics, 'ingest', (messages, context) =>
        intake.handleBatch(messages, context),
      ),
      log: nestLogSink(this.logger),
      ...failureHandling({
        metrics,
        consumer: 'ingest',
        publisher,
        deadLetterTopic: t.deadLetter,
        log: nestLogSink(this.logger),
        refusals: DATA_REFUSALS,
      }),
      maxBytesPerPartition: config.INGEST_MAX_BATCH_BYTES,
      sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    });
  }

  onApplicationBootstrap(): void {
    this.consumer.start();
    this.lag.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.lag.stop();
    await this.consumer.stop();
    this.logger.log('consumer stopped');
  }
}
