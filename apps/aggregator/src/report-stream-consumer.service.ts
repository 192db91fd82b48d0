import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import {
  BatchConsumer,
  groupIdWithPrefix,
  nestLogSink,
  Publisher,
  topicNames,
} from '@abuse-monitor/messaging';
import { DATA_REFUSALS } from '@abuse-monitor/persistence';
import {
  consumerReadiness,
  failureHandling,
  Health,
  instrumentedBatches,
  LagMonitor,
  Metrics,
} from '@abuse-monitor/observability';
import { AGGREGATOR_CONFIG, AggregatorConfig } from './aggregator.config';
import { AggregationService } from './aggregation.service';
import { RejectionSinkService } from './rejection-sink.service';

/**
 * Consumes reports.accepted (counted, flagged) and reports.rejected (stored for the summary) from
 * start-up until shutdown.
 */
@Injectable()
export class ReportStreamConsumerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReportStreamConsumerService.name);
  private readonly consumer: BatchConsumer;
  private readonly lag: LagMonitor;

  constructor(
    kafka: Kafka,
    metrics: Metrics,
    health: Health,
    publisher: Publisher,
    aggregation: AggregationService,
    rejections: RejectionSinkService,
    @Inject(AGGREGATOR_CONFIG) config: AggregatorConfig,
  ) {
    const t = topicNames(config.KAFKA_TOPIC_PREFIX);
    const numPartitions = config.KAFKA_TOPIC_PARTITIONS;
    const retentionMs = config.KAFKA_TOPIC_RETENTION;
    const groupId = groupIdWithPrefix(config.KAFKA_TOPIC_PREFIX, config.AGGREGATOR_GROUP_ID);
    this.lag = new LagMonitor(kafka, metrics, groupId, [t.accepted, t.rejected]);
    this.consumer = new BatchConsumer(kafka, {
      groupId,
      topics: [t.accepted, t.rejected],
      topicsToCreate: [
        { topic: t.accepted, numPartitions, retentionMs },
        { topic: t.rejected, numPartitions, retentionMs },
        { topic: t.subscriberFlags, numPartitions, retentionMs },
        { topic: t.deadLetter, numPartitions: 1, retentionMs },
      ],
      handler: instrumentedBatches(metrics, 'aggregator', (messages, context) =>
        context.topic === t.rejected
          ? rejections.handleBatch(messages, context)
          : aggregation.handleBatch(messages, context),
      ),
      log: nestLogSink(this.logger),
      ...failureHandling({
        metrics,
        consumer: 'aggregator',
        publisher,
        deadLetterTopic: t.deadLetter,
        log: nestLogSink(this.logger),
        refusals: DATA_REFUSALS,
      }),
      maxBytesPerPartition: config.AGGREGATOR_MAX_BATCH_BYTES,
      fetchMaxWaitMs: config.AGGREGATOR_FETCH_WAIT_MS,
      fetchMinBytes: config.AGGREGATOR_FETCH_MIN_BYTES,
      sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
      partitionsConsumedConcurrently: config.AGGREGATOR_CONCURRENCY,
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
