import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  BatchContext,
  DeadLetterRecord,
  nestLogSink,
  publishDeadLetters,
  Publisher,
  topicNames,
} from '@abuse-monitor/messaging';
import { deadLetterCounter, Metrics } from '@abuse-monitor/observability';
import { AGGREGATOR_CONFIG, AggregatorConfig } from './aggregator.config';

/** Sends a batch's undecodable messages to the dead-letter topic, counted and logged, for both of the aggregator's inputs. */
@Injectable()
export class DeadLetterSenderService {
  private readonly logger = new Logger('DeadLetters');
  private readonly topic: string;

  constructor(
    private readonly publisher: Publisher,
    private readonly metrics: Metrics,
    @Inject(AGGREGATOR_CONFIG) config: AggregatorConfig,
  ) {
    this.topic = topicNames(config.KAFKA_TOPIC_PREFIX).deadLetter;
  }

  send(records: readonly DeadLetterRecord[], context: BatchContext): Promise<void> {
    return publishDeadLetters(
      this.publisher,
      this.topic,
      records,
      context.shouldContinue,
      nestLogSink(this.logger),
      deadLetterCounter(this.metrics),
    );
  }
}
