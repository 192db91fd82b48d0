import 'reflect-metadata';
import { prepareAppRole } from './app-role';
import dataSource from './cli-data-source';

/**
 * `npm run migration:run` runs this after the TypeORM CLI, so that route grants the apps' role its
 * privileges as the migrate app does (decision 0033). The role must exist already.
 */
async function main(): Promise<void> {
  const role = process.env.DATABASE_APP_ROLE?.trim() || 'abuse_monitor_app';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role))
    throw new Error('DATABASE_APP_ROLE: expected a PostgreSQL role name');
  await dataSource.initialize();
  try {
    const granted = await prepareAppRole(dataSource, role, { create: false });
    process.stdout.write(`granted ${role} its privileges on ${granted.tables} tables\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`granting failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
