import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { describeError, retryWithBackoff } from '@abuse-monitor/runtime';
import { ensureTopics, TopicSpec } from './ensure-topics';

export const TOPICS_TO_ENSURE = Symbol('TOPICS_TO_ENSURE');

const PERSISTENT_AFTER_ATTEMPTS = 3;

/**
 * Creates the topics an app writes to, in the background, for apps that do not consume (the API,
 * the scheduler): they serve while the broker is still down, and what they publish waits in the
 * publisher or the outbox until it is up.
 */
@Injectable()
export class TopicsBootstrapService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Topics');
  private stopping = false;

  constructor(
    private readonly kafka: Kafka,
    @Inject(TOPICS_TO_ENSURE) private readonly topics: readonly TopicSpec[],
  ) {}

  onApplicationBootstrap(): void {
    void retryWithBackoff(() => ensureTopics(this.kafka, this.topics), {
      what: 'create the topics',
      shouldContinue: () => !this.stopping,
      // A broker still starting fails the first attempts; one that keeps refusing needs a person.
      onRetry: (attempt, delayMs, error) => {
        const text = `creating topics failed (attempt ${attempt}): ${describeError(error)}; retrying in ${delayMs} ms`;
        if (attempt >= PERSISTENT_AFTER_ATTEMPTS) this.logger.error(text);
        else this.logger.warn(text);
      },
    })
      .then((created) => {
        if (created.length > 0) this.logger.log(`created topics ${created.join(', ')}`);
      })
      .catch(() => undefined);
  }

  onApplicationShutdown(): void {
    this.stopping = true;
  }
}
