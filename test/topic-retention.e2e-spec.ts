import { ConfigResourceTypes } from 'kafkajs';
import { AppProcess, eventually } from './support/app-process';
import { testKafka, uniqueTopicPrefix, waitForTopic } from './support/kafka';

/** retention.ms of each topic, as the broker describes it. */
async function retentionOf(topics: string[]): Promise<Record<string, string | undefined>> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({
        type: ConfigResourceTypes.TOPIC,
        name,
        configNames: ['retention.ms'],
      })),
    });
    return Object.fromEntries(
      resources.map((r) => [
        r.resourceName,
        r.configEntries.find((e) => e.configName === 'retention.ms')?.configValue,
      ]),
    );
  } finally {
    await admin.disconnect();
  }
}

describe('topics the apps create keep messages for KAFKA_TOPIC_RETENTION', () => {
  it('creates every topic of ingest with the retention asked for', async () => {
    const { prefix, topics } = uniqueTopicPrefix('retention');
    const app = new AppProcess('ingest', {
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_TOPIC_RETENTION: '5d',
      METRICS_PORT: '0',
    });
    try {
      const created = [
        topics.smsRaw,
        topics.submitted,
        topics.accepted,
        topics.rejected,
        topics.smsOutbound,
        topics.deadLetter,
      ];
      for (const topic of created) await waitForTopic(testKafka(), topic, 60_000);
      // Not 7 days: that is the broker's own default.
      const fiveDays = String(5 * 86_400_000);
      const expected = Object.fromEntries(created.map((t) => [t, fiveDays]));
      const retention = await eventually(
        () => retentionOf(created),
        (value) => JSON.stringify(value) === JSON.stringify(expected),
      );
      expect(retention).toEqual(expected);
    } finally {
      await app.stop();
    }
  });

  it('refuses at start a retention over the 90 days reporters’ numbers may be kept', async () => {
    const app = new AppProcess('ingest', { KAFKA_TOPIC_RETENTION: '91d', METRICS_PORT: '0' });
    await app.waitForLog(/KAFKA_TOPIC_RETENTION: at most 90d/);
    await app.stop();
  });
});
