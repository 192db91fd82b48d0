import { duration, positiveInt } from './env-fields';

/**
 * Every topic holds reporters' numbers or what they wrote, so no topic an app creates keeps a
 * message longer than the 90 days personal data may be kept (DOMAIN.md); the raw messages are also
 * what a replay after a rule change reads, so the default keeps them that long.
 */
export const MAX_TOPIC_RETENTION_MS = 90 * 86_400_000;

/** How the topics an app creates are made; topics that exist already are left as they are. */
export const topicCreationEnvShape = {
  KAFKA_TOPIC_PARTITIONS: positiveInt('partitions of each topic the app creates')
    .default(3)
    .describe('partitions of the topics an app creates (topics that exist keep theirs)'),
  KAFKA_TOPIC_RETENTION: duration('how long the topics the app creates keep messages')
    .refine((ms) => ms <= MAX_TOPIC_RETENTION_MS, {
      message: "at most 90d: the topics hold reporters' numbers, kept 90 days at most",
    })
    .default(MAX_TOPIC_RETENTION_MS)
    .describe(
      "`retention.ms` of the topics an app creates: at most 90 days, as they hold reporters' numbers",
    ),
};
