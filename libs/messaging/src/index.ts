export { BatchConsumer, SET_ASIDE_LIMIT } from './batch-consumer';
export type { BatchConsumerOptions, BatchContext, BatchHandler, SetAside } from './batch-consumer';
export { GroupConsumer } from './group-consumer';
export type { Assignment, GroupConsumerOptions, GroupConsumerStatus } from './group-consumer';
export { PartitionProducers } from './partition-producers';
export { StableCommittedOffsets } from './stable-committed-offset';
export type { InputPosition, OutgoingRecord } from './partition-producers';
export { TransactionalBatchConsumer } from './transactional-batch-consumer';
export type {
  BatchTransform,
  ProducedBatch,
  TransactionalBatchConsumerOptions,
} from './transactional-batch-consumer';
export {
  deadLetterMessage,
  deadLettered,
  deadLetterRecord,
  groupsUpTo,
  MAX_DEAD_LETTER_SEND_BYTES,
  publishDeadLetters,
  setAsideToDeadLetters,
} from './dead-letter';
export type { DeadLetterRecord } from './dead-letter';
export { countBy, planRedrive, SKIP_EXPLANATIONS } from './dead-letter-redrive';
export type {
  DeadLetterEntry,
  DeadLetterFilter,
  Redrivable,
  RedrivePlan,
  SelectedDeadLetter,
  SkipReason,
} from './dead-letter-redrive';
export { ensureTopics } from './ensure-topics';
export type { TopicSpec } from './ensure-topics';
export { exitIfKafkaRefusesAccess, kafkaAccessRefusal, tryKafkaAccess } from './kafka-access';
export type { KafkaAccess } from './kafka-access';
export { createKafka, saslOptions, tlsOptions } from './kafka-client';
export type { KafkaSettings, LogSink } from './kafka-client';
export { Publisher } from './publisher';
export {
  DEAD_LETTER_REASONS,
  decodeJsonMessage,
  decodeRawSms,
  MAX_RAW_TEXT_CHARS,
  rawSmsFastPath,
  rawSmsSchema,
} from './raw-sms.schema';
export type { DeadLetterReason, DecodeResult, RawSms } from './raw-sms.schema';
export { groupIdWithPrefix, TOPICS, topicNames } from './topics';
export type { TopicKey, TopicNames } from './topics';
export { KafkaModule, nestLogSink } from './kafka.module';
export { OutboxRelay } from './outbox-relay';
export type { OutboxRelayOptions, OutboxSource, PendingMessage } from './outbox-relay';
export {
  acceptedReportFastPath,
  acceptedReportSchema,
  CHANNELS,
  flagEventSchema,
  MAX_REJECTED_REPORTER_CHARS,
  MAX_REPORTER_CHARS,
  rejectedReportSchema,
} from './report-messages';
export type {
  AcceptedReportMessage,
  Channel,
  FlagEventMessage,
  OutboundSmsMessage,
  RejectedReportMessage,
} from './report-messages';
export { flagEventMessage, flagEventRecord } from './flag-events';
export {
  CAMPAIGN_EVENT_TYPES,
  campaignEventId,
  campaignEventRecord,
  campaignEventSchema,
  type CampaignEventMessage,
  type CampaignEventType,
} from './campaign-events';
export { submittedReportId, uuidFromName } from './report-id';
export { TOPICS_TO_ENSURE, TopicsBootstrapService } from './topics-bootstrap.service';
