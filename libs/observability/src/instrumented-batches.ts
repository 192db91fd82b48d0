import type { BatchHandler } from '@abuse-monitor/messaging';
import { withCorrelationId } from './correlation';
import type { Metrics } from './metrics';

/**
 * A consumer's batch handler with what every consumer needs around it: the batch's place on the
 * topic as the correlation id of its log lines, and its size, duration and failures in the metrics.
 */
export function instrumentedBatches(metrics: Metrics, consumer: string, handler: BatchHandler): BatchHandler {
  return (messages, context) => {
    const first = messages[0]?.offset ?? 'empty';
    return withCorrelationId(`${context.topic}/${context.partition}@${first}`, () => {
      metrics.get('batchSize').observe({ consumer }, messages.length);
      return metrics
        .time('batchDuration', { consumer }, () => handler(messages, context))
        .catch((error: unknown) => {
          // Retried until it passes: a partition that keeps failing here is not moving.
          metrics.get('batchFailures').inc({ consumer, topic: context.topic });
          throw error;
        });
    });
  };
}
