import type { BatchContext, BatchHandler, DeadLetterRecord } from '@abuse-monitor/messaging';
import { withCorrelationId } from './correlation';
import type { Metrics } from './metrics';

/**
 * A consumer's batch handler with what every consumer needs around it: the batch's place on the
 * topic as the correlation id of its log lines, and its size and duration in the metrics.
 */
export function instrumentedBatches(metrics: Metrics, consumer: string, handler: BatchHandler): BatchHandler {
  return (messages, context) => {
    const first = messages[0]?.offset ?? 'empty';
    return withCorrelationId(`${context.topic}/${context.partition}@${first}`, () => {
      metrics.get('batchSize').observe({ consumer }, messages.length);
      return metrics.time('batchDuration', { consumer }, () => handler(messages, context));
    });
  };
}

/** Counts a dead-letter record once the broker has it, by source topic and reason. */
export const deadLetterCounter =
  (metrics: Metrics) =>
  (record: DeadLetterRecord): void =>
    metrics.get('deadLetters').inc({ topic: record.source.topic, reason: record.reason });

/** Counts a failed batch attempt that will be retried: a partition failing again and again is not moving. */
export const batchFailureCounter =
  (metrics: Metrics, consumer: string) =>
  (context: BatchContext): void =>
    metrics.get('batchFailures').inc({ consumer, topic: context.topic });
