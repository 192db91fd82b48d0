import { logLevel as KafkaLogLevel, LogEntry } from 'kafkajs';

interface KafkaErrorCode {
  type: string;
  retriable: boolean;
  message: string;
}

// kafkajs keeps its table of Kafka's error codes internal; kafka-log-level.spec.ts pins the part
// relied on here, so an upgrade that moves it fails the tests instead of changing what is logged.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { errorCodes } = require('kafkajs/src/protocol/error') as { errorCodes: KafkaErrorCode[] };

/** A group member's errors that kafkajs answers itself, by joining the group again. */
const REJOINED = new Set(['REBALANCE_IN_PROGRESS', 'UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION']);
/** Retried by kafkajs, but a sign of damaged data or a failing disk that someone must see at once. */
const DAMAGE = new Set(['CORRUPT_MESSAGE', 'KAFKA_STORAGE_ERROR']);

/**
 * What the broker answers the first send of a transaction while it still writes the previous one's
 * commit markers: routine between back-to-back transactions (ingest meets it on most batches of a
 * busy partition), retried at once (partition-producers.ts), and nothing anyone should act on.
 */
const ROUTINE = new Set(['CONCURRENT_TRANSACTIONS']);

const messagesOf = (types: (code: KafkaErrorCode) => boolean) =>
  new Set(errorCodes.filter(types).map((code) => code.message));

const ROUTINE_ERRORS = messagesOf((code) => ROUTINE.has(code.type));

const PASSING_ERRORS = messagesOf(
  (code) => (code.retriable || REJOINED.has(code.type)) && !DAMAGE.has(code.type),
);

/**
 * A CreateTopics answer with errors in it, logged before kafkajs looks inside: when several apps
 * start together they race to create the same topics, and all but one hear "already exists",
 * which kafkajs takes as success. A real refusal reaches ensureTopics' caller, which logs it as an
 * error: a consumer at once, the API and the scheduler once it persists.
 */
const TOPIC_CREATION_ANSWER = 'Topic creation errors';

/** How kafkajs' producer reports, once more, a broker's answer to a send that it retries. */
const SEND_FAILED = 'Failed to send messages: ';

/** The broker's error answer that an entry reports, if it reports one. */
function brokerAnswer(entry: LogEntry): string | undefined {
  if (entry.namespace === 'Connection')
    return typeof entry.log.error === 'string' ? entry.log.error : undefined;
  const message: unknown = entry.log.message;
  if (entry.namespace === 'Producer' && typeof message === 'string' && message.startsWith(SEND_FAILED))
    return message.slice(SEND_FAILED.length);
  return undefined;
}

export type KafkaSinkLevel = 'error' | 'warn' | 'debug';

/**
 * The level a kafkajs log entry is logged at. kafkajs logs every error a broker answers with at
 * error level, even the ones it retries and gets past: a coordinator still loading or a leader
 * election while a broker starts, a rebalance on every deploy. Logged as errors, they page the SRE
 * on call for nothing; they are warnings here, as is the producer's own report of them, and the
 * routine answer between two transactions is debug. A request that keeps failing still ends in an
 * error: kafkajs' own once its retries run out, or the caller's.
 */
export function kafkaSinkLevel(entry: LogEntry): KafkaSinkLevel {
  if (entry.level === KafkaLogLevel.ERROR) {
    const answer = brokerAnswer(entry);
    if (answer === undefined) return 'error';
    if (ROUTINE_ERRORS.has(answer)) return 'debug';
    return PASSING_ERRORS.has(answer) || answer === TOPIC_CREATION_ANSWER ? 'warn' : 'error';
  }
  return entry.level === KafkaLogLevel.WARN ? 'warn' : 'debug';
}

/**
 * A kafkajs log entry as one line. kafkajs passes the error a handler threw as an object;
 * serialised whole, a database error would carry the statement's parameters (every report text
 * and number of the batch) into the logs, so an error goes in as its name and message only.
 */
export function kafkaLogText(entry: LogEntry): string {
  const { message, ...extra } = entry.log;
  const errorsAsText = (_key: string, value: unknown) =>
    value instanceof Error ? `${value.name}: ${value.message}` : value;
  return `[kafkajs ${entry.namespace}] ${message} ${JSON.stringify(extra, errorsAsText)}`;
}
