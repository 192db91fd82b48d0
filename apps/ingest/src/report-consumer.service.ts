import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import {
  groupIdWithPrefix,
  nestLogSink,
  topicNames,
  TransactionalBatchConsumer,
} from '@abuse-monitor/messaging';
import {
  batchFailureCounter,
  instrumentedTransform,
  consumerReadiness,
  Health,
  LagMonitor,
  Metrics,
} from '@abuse-monitor/observability';
import { INGEST_CONFIG, IngestConfig } from './ingest.config';
import { ReportIntakeService } from './report-intake.service';

/** Consumes raw SMS and hotline submissions from start-up until shutdown. */
@Injectable()
export class ReportConsumerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReportConsumerService.name);
  private readonly consumer: TransactionalBatchConsumer;
  private readonly lag: LagMonitor;

  constructor(
    kafka: Kafka,
    metrics: Metrics,
    health: Health,
    intake: ReportIntakeService,
    @Inject(INGEST_CONFIG) config: IngestConfig,
  ) {
    const t = topicNames(config.KAFKA_TOPIC_PREFIX);
    const numPartitions = config.KAFKA_TOPIC_PARTITIONS;
    const retentionMs = config.KAFKA_TOPIC_RETENTION;
    const groupId = groupIdWithPrefix(config.KAFKA_TOPIC_PREFIX, config.INGEST_GROUP_ID);
    this.lag = new LagMonitor(kafka, metrics, groupId, [t.smsRaw, t.submitted]);
    this.consumer = new TransactionalBatchConsumer(kafka, {
      groupId,
      topics: [t.smsRaw, t.submitted],
      topicsToCreate: [
        ...[t.smsRaw, t.submitted, t.accepted, t.rejected, t.smsOutbound].map((topic) => ({
          topic,
          numPartitions,
          retentionMs,
        })),
        { topic: t.deadLetter, numPartitions: 1, retentionMs },
      ],
      transform: instrumentedTransform(metrics, 'ingest', (messages, context) =>
        intake.transform(messages, context),
      ),
      onFailedAttempt: batchFailureCounter(metrics, 'ingest'),
      log: nestLogSink(this.logger),
      maxBytesPerPartition: config.INGEST_MAX_BATCH_BYTES,
      fetchMaxWaitMs: config.INGEST_FETCH_WAIT_MS,
      fetchMinBytes: config.INGEST_FETCH_MIN_BYTES,
      sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
      partitionsConsumedConcurrently: config.INGEST_CONCURRENCY,
    });
    health.register('consumer', () =>
      consumerReadiness(this.consumer.status(), this.lag.latest(), Date.now()),
    );
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
