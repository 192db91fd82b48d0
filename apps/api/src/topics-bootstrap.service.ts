import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { ensureTopics, TopicNames } from '@abuse-monitor/messaging';
import { describeError, retryWithBackoff } from '@abuse-monitor/runtime';
import { API_CONFIG, API_TOPICS } from './api.tokens';
import type { ApiConfig } from './api.config';

/**
 * Creates the topics the API writes to, in the background: the API serves reads while the broker
 * is still down, and submissions wait in the publisher until it is up.
 */
@Injectable()
export class TopicsBootstrapService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Topics');
  private stopping = false;

  constructor(
    private readonly kafka: Kafka,
    @Inject(API_TOPICS) private readonly topics: TopicNames,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  onApplicationBootstrap(): void {
    const numPartitions = this.config.KAFKA_TOPIC_PARTITIONS;
    void retryWithBackoff(
      () =>
        ensureTopics(this.kafka, [
          { topic: this.topics.submitted, numPartitions },
          { topic: this.topics.subscriberFlags, numPartitions },
        ]),
      {
        what: 'create the topics of the API',
        shouldContinue: () => !this.stopping,
        onRetry: (attempt, delayMs, error) =>
          this.logger.warn(
            `creating topics failed (attempt ${attempt}): ${describeError(error)}; retrying in ${delayMs} ms`,
          ),
      },
    )
      .then((created) => created.length && this.logger.log(`created topics ${created.join(', ')}`))
      .catch(() => undefined);
  }

  onApplicationShutdown(): void {
    this.stopping = true;
  }
}
