import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  dataSourceOptions,
  dropDatabase,
  ensureDatabaseExists,
  prepareAppRole,
} from '@abuse-monitor/persistence';
import { TEST_APP_POSTGRES_URL, TEST_APP_ROLE, TEST_POSTGRES_URL } from './postgres-urls';

export { TEST_APP_POSTGRES_URL, TEST_APP_ROLE, TEST_POSTGRES_URL };

export interface TestDatabase {
  /** The owner's URL: for the test's own set-up and checks, never for an app. */
  url: string;
  /** The apps' role's URL: what every app and command-line tool under test gets as DATABASE_URL. */
  appUrl: string;
  name: string;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs SQL on the server's maintenance database, for what must not depend on this one. */
  admin<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

export function testDatabaseUrl(name: string, server = TEST_POSTGRES_URL): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

export function uniqueDatabaseName(label: string): string {
  return `am_test_${label}_${process.pid}_${randomBytes(3).toString('hex')}`;
}

/** A fresh database for one test file, migrated with the project's real migrations. */
export async function createTestDatabase(
  label: string,
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  const name = uniqueDatabaseName(label);
  const url = testDatabaseUrl(name);
  await ensureDatabaseExists(url);
  if (options.migrate !== false) await migrate(url);
  return databaseHandle(name, url);
}

/**
 * Runs the project's migrations, or only those older than `before` (a migration's timestamp), then
 * grants the apps' role its privileges, as the migrate app does.
 */
export async function migrate(url: string, options: { before?: number } = {}): Promise<void> {
  const all = dataSourceOptions({ url, poolSize: 1 });
  const timestampOf = (migration: unknown) =>
    Number(/\d{13}$/.exec((migration as { name: string }).name)?.[0]);
  const migrations = (all.migrations as unknown[]).filter(
    (migration) => options.before === undefined || timestampOf(migration) < options.before,
  ) as typeof all.migrations;
  const dataSource = new DataSource({ ...all, migrations, logging: false });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    await prepareAppRole(dataSource, TEST_APP_ROLE, { create: true });
  } finally {
    await dataSource.destroy();
  }
}

/** The test's own TypeORM connection to a test database, initialised, with no query log. */
export function openDataSource(url: string, poolSize = 1): Promise<DataSource> {
  return new DataSource({ ...dataSourceOptions({ url, poolSize }), logging: false }).initialize();
}

/** A handle on a database by name, whether or not it exists yet. */
export function databaseHandle(name: string, url: string = testDatabaseUrl(name)): TestDatabase {
  return {
    name,
    url,
    appUrl: testDatabaseUrl(name, TEST_APP_POSTGRES_URL),
    query: <T>(sql: string, params: unknown[] = []) => queryOnce<T>(url, sql, params),
    admin: <T>(sql: string, params: unknown[] = []) => queryOnce<T>(TEST_POSTGRES_URL, sql, params),
    drop: () => dropDatabase(url),
  };
}

async function queryOnce<T>(url: string, sql: string, params: unknown[]): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}
