import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { loadConfigOrExit, postgresUrl } from '@abuse-monitor/config';
import { dataSourceOptions, ensureDatabaseExists, redactUrl } from '@abuse-monitor/persistence';

/**
 * Applies pending migrations with the compiled code, so deployments and the local run need
 * neither ts-node nor the TypeORM CLI. With MIGRATE_CREATE_DATABASE=true it first creates the
 * database (local runs and tests; production databases are provisioned by their owners).
 */
const config = loadConfigOrExit(
  z.object({
    DATABASE_URL: postgresUrl.default('postgres://postgres@127.0.0.1:5432/abuse_monitor'),
    MIGRATE_CREATE_DATABASE: z
      .enum(['true', 'false'], { message: 'expected true or false' })
      .default('false'),
  }),
);

async function main(): Promise<void> {
  if (config.MIGRATE_CREATE_DATABASE === 'true' && (await ensureDatabaseExists(config.DATABASE_URL))) {
    process.stdout.write(`created database ${redactUrl(config.DATABASE_URL)}\n`);
  }
  const dataSource = new DataSource({
    ...dataSourceOptions({ url: config.DATABASE_URL, applicationName: 'abuse-monitor-migrate', poolSize: 1 }),
    logging: ['error'],
  });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    const names = applied.map((migration) => migration.name).join(', ');
    process.stdout.write(
      applied.length ? `applied ${applied.length} migrations: ${names}\n` : 'schema is up to date\n',
    );
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
