import { Kafka } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  /** retention.ms of the topic when it is created (KAFKA_TOPIC_RETENTION); the broker's default without. */
  retentionMs?: number;
  replicationFactor?: number;
  configEntries?: { name: string; value: string }[];
}

/** The topic configuration a spec asks for at creation. */
export function topicConfigEntries(spec: TopicSpec): { name: string; value: string }[] {
  const entries = [...(spec.configEntries ?? [])];
  if (spec.retentionMs !== undefined) entries.push({ name: 'retention.ms', value: String(spec.retentionMs) });
  return entries;
}

/**
 * A new topic's metadata reaches every part of the broker a moment after creation; clients that
 * use it at once get "does not host this topic-partition". Waits for it, for a bounded time.
 */
async function waitUntilServed(admin: ReturnType<Kafka['admin']>, topics: string[], timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: served } = await admin.fetchTopicMetadata({ topics });
      if (served.every((topic) => topic.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Creates the topics that do not exist yet. The broker never auto-creates topics, so every app
 * declares what it reads and writes before it starts. Existing topics are left as they are.
 */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.topic));
    if (missing.length === 0) return [];
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: spec.topic,
        numPartitions: spec.numPartitions,
        replicationFactor: spec.replicationFactor ?? -1,
        configEntries: topicConfigEntries(spec),
      })),
    });
    await waitUntilServed(
      admin,
      missing.map((spec) => spec.topic),
    );
    return missing.map((spec) => spec.topic);
  } finally {
    await admin.disconnect();
  }
}
