import { existsSync } from 'node:fs';
import { Client } from 'pg';
import { compiledEntry } from './app-process';
import { TEST_BROKERS, testKafka } from './kafka-client';

/** Fails fast, with what to do, when what the end-to-end tests need is not there. */
const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export default async function globalSetup(): Promise<void> {
  if (!existsSync(compiledEntry('ingest')))
    throw new Error('the apps are not built: run `npm run build` (npm test does)');
  const client = new Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${TEST_POSTGRES_URL}: ${String(error)}`);
  }
  const admin = testKafka().admin();
  try {
    await admin.connect();
    await admin.listTopics();
    await admin.disconnect();
  } catch (error) {
    throw new Error(
      `Kafka is not reachable at ${TEST_BROKERS.join(',')}: start it with \`npm run kafka -- start\` (${String(error)})`,
    );
  }
}
