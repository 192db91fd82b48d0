import { Kafka } from 'kafkajs';
import { ensureTopics, TopicNames } from '@abuse-monitor/messaging';

/**
 * Creates every topic of the run before any app starts, with the partitions asked for: an app
 * creates the topics it misses with its own KAFKA_TOPIC_PARTITIONS, and the bench publishes before
 * the apps start. The dead-letter topic has one partition, as the apps create it.
 */
export async function createTopics(kafka: Kafka, topics: TopicNames, partitions: number): Promise<void> {
  await ensureTopics(
    kafka,
    Object.entries(topics).map(([key, topic]) => ({
      topic,
      numPartitions: key === 'deadLetter' ? 1 : partitions,
    })),
  );
}

/** Deletes the run's topics: a million-message replay would otherwise stay on the broker's disk for a day. */
export async function deleteTopics(kafka: Kafka, topics: TopicNames): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: Object.values(topics) });
  } finally {
    await admin.disconnect();
  }
}

/** Messages ever written to a topic (the sum of its partitions' high watermarks). */
export async function highWatermark(admin: ReturnType<Kafka['admin']>, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}
