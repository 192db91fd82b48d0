import { setAsideToDeadLetters } from '@abuse-monitor/messaging';
import type {
  BatchConsumerOptions,
  BatchContext,
  BatchHandler,
  BatchTransform,
  DeadLetterRecord,
  LogSink,
  Publisher,
  SetAside,
} from '@abuse-monitor/messaging';
import { withCorrelationId } from './correlation';
import type { Metrics } from './metrics';

/**
 * A consumer's batch handler with what every consumer needs around it: the batch's place on the
 * topic as the correlation id of its log lines, and its size and duration in the metrics.
 */
export function instrumentedBatches(metrics: Metrics, consumer: string, handler: BatchHandler): BatchHandler {
  const succeeded = lastSuccessfulBatch(metrics, consumer);
  return (messages, context) => {
    const first = messages[0]?.offset ?? 'empty';
    return withCorrelationId(`${context.topic}/${context.partition}@${first}`, async () => {
      metrics.get('batchSize').observe({ consumer }, messages.length);
      await metrics.time('batchDuration', { consumer }, () => handler(messages, context));
      succeeded();
    });
  };
}

/**
 * Sets the consumer's last-successful-batch time now, and again on each call. Starting at the
 * process's start gives the stuck-consumer alert a time to count from when no batch ever succeeds.
 */
function lastSuccessfulBatch(metrics: Metrics, consumer: string): () => void {
  const gauge = metrics.get('lastSuccessfulBatch');
  const mark = () => gauge.set({ consumer }, Date.now() / 1000);
  mark();
  return mark;
}

/**
 * The same for a transactional stage: the batch's duration runs from its transform to the end of
 * its commit, and what runs after the commit logs with the batch's correlation id too.
 */
export function instrumentedTransform(
  metrics: Metrics,
  consumer: string,
  transform: BatchTransform,
): BatchTransform {
  const succeeded = lastSuccessfulBatch(metrics, consumer);
  return (messages, context) => {
    const correlationId = `${context.topic}/${context.partition}@${messages[0]?.offset ?? 'empty'}`;
    const started = process.hrtime.bigint();
    metrics.get('batchSize').observe({ consumer }, messages.length);
    const produced = withCorrelationId(correlationId, () => transform(messages, context));
    return {
      records: produced.records,
      committed: () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        metrics.get('batchDuration').observe({ consumer }, seconds);
        succeeded();
        if (produced.committed) withCorrelationId(correlationId, produced.committed);
      },
    };
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

export interface FailureHandlingOptions {
  metrics: Metrics;
  consumer: string;
  publisher: Publisher;
  deadLetterTopic: string;
  log: LogSink;
  /** Which failures are the data's, and how to name their cause (libs/persistence's DATA_REFUSALS). */
  refusals: Pick<SetAside, 'isPermanent' | 'describe'>;
}

/**
 * What a consumer does with failures: counts the attempts it retries, and dead-letters a message
 * the database refuses for what it holds (decision 0020). The dead-letter path is wired here, not
 * in libs/messaging (which builds and sends the records, dead-letter.ts) nor in the apps, because
 * every record must be counted in the metrics once the broker has it: the aggregator's consumers
 * take it through failureHandling(); messages that cannot be decoded are sent by
 * apps/ingest/src/report-intake.service.ts and apps/aggregator/src/dead-letter-sender.service.ts,
 * which count them with deadLetterCounter() above.
 */
export function failureHandling(
  options: FailureHandlingOptions,
): Pick<BatchConsumerOptions, 'onFailedAttempt' | 'setAside'> {
  const { metrics, consumer, publisher, deadLetterTopic, log, refusals } = options;
  return {
    onFailedAttempt: batchFailureCounter(metrics, consumer),
    setAside: setAsideToDeadLetters({
      publisher,
      topic: deadLetterTopic,
      ...refusals,
      log,
      counted: deadLetterCounter(metrics),
    }),
  };
}
