import { Kafka } from 'kafkajs';
import { groupIdWithPrefix, TopicNames } from '@abuse-monitor/messaging';
import { AppProcess } from './app-process';
import { createTopics, testKafka, TEST_BROKERS, uniqueTopicPrefix } from './kafka';
import { createTestDatabase, TestDatabase } from './test-database';

export interface IngestFixture {
  db: TestDatabase;
  kafka: Kafka;
  topics: TopicNames;
  env: Record<string, string>;
  /** The consumer groups as the broker knows them: the apps prefix the configured names. */
  groupId: string;
  aggregatorGroupId: string;
}

/** A database, topic names and a consumer group of its own for one end-to-end test. */
export async function ingestFixture(label: string): Promise<IngestFixture> {
  const db = await createTestDatabase(label);
  const kafka = testKafka();
  const { prefix, topics } = uniqueTopicPrefix(label);
  await createTopics(kafka, [topics.smsRaw, topics.submitted, topics.accepted]);
  return {
    db,
    kafka,
    topics,
    groupId: groupIdWithPrefix(prefix, 'ingest'),
    aggregatorGroupId: groupIdWithPrefix(prefix, 'aggregator'),
    env: {
      DATABASE_URL: db.appUrl,
      KAFKA_BROKERS: TEST_BROKERS.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      INGEST_GROUP_ID: 'ingest',
      AGGREGATOR_GROUP_ID: 'aggregator',
      // A killed consumer's partitions move on after this; the broker's minimum is 6 s.
      KAFKA_SESSION_TIMEOUT_MS: '8000',
      OUTBOX_POLL_INTERVAL_MS: '200',
      // Any free port: tests run several apps side by side.
      METRICS_PORT: '0',
    },
  };
}

/** Starts apps and fixtures, and cleans them all up after each test or at the end. */
export class Harness {
  private readonly running: AppProcess[] = [];
  private readonly fixtures: IngestFixture[] = [];

  start(app: string, env: Record<string, string>): AppProcess {
    const process = new AppProcess(app, env);
    this.running.push(process);
    return process;
  }

  async fixture(label: string): Promise<IngestFixture> {
    const fixture = await ingestFixture(label);
    this.fixtures.push(fixture);
    return fixture;
  }

  async stopApps(): Promise<void> {
    await Promise.all(this.running.splice(0).map((app) => app.stop('SIGKILL')));
  }

  async dropDatabases(): Promise<void> {
    await Promise.all(this.fixtures.splice(0).map((f) => f.db.drop()));
  }
}
