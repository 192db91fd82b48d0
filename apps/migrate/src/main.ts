import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfigOrExit } from '@abuse-monitor/config';
import { normalizeNumber } from '@abuse-monitor/domain';
import {
  dataSourceOptions,
  ensureDatabaseExists,
  prepareAppRole,
  redactUrl,
  seedProtectedOriginators,
} from '@abuse-monitor/persistence';
import { commandLine } from '@abuse-monitor/runtime';
import { migrateEnvSchema } from './migrate.config';

/**
 * Applies pending migrations with the compiled code, so deployments and the local run need
 * neither ts-node nor the TypeORM CLI. It connects as the schema's owner (DATABASE_OWNER_URL), and
 * after the migrations grants the apps' role (DATABASE_APP_ROLE) what each table allows it
 * (decision 0033). With MIGRATE_CREATE_DATABASE=true it first creates the database, and with
 * MIGRATE_CREATE_ROLE=true the apps' role if missing (local runs and tests; production databases
 * and roles are provisioned by their owners).
 */
commandLine({
  name: 'migrate',
  summary: "applies the pending database migrations and grants the apps' role its privileges",
  usage: [''],
  description: [
    'Applies every pending migration in order, each in its own transaction, and says which, as the',
    "schema's owner; then grants the apps' role what each table allows it. Running it again when",
    'the schema is up to date changes nothing. Migrations that move data show their progress on',
    'stderr when it is a terminal.',
  ],
  options: {},
  environment: {
    names: Object.keys(migrateEnvSchema.shape),
    notes: {
      DATABASE_OWNER_URL: "PostgreSQL, as the schema's owner",
      DATABASE_APP_ROLE: "the apps' role, granted its privileges",
      MIGRATE_CREATE_DATABASE: 'true: create the database first (local runs and tests)',
      MIGRATE_CREATE_ROLE: "true: create the apps' role if missing (local runs and tests)",
      PROTECTED_NUMBERS: 'deprecated: numbers added to the protected originators (comma-separated)',
    },
  },
  examples: ['DATABASE_OWNER_URL=postgres://owner@db:5432/abuse_monitor abuse-monitor migrate'],
}).parse();
const config = loadConfigOrExit(migrateEnvSchema);

async function main(): Promise<void> {
  const url = config.DATABASE_OWNER_URL;
  if (config.MIGRATE_CREATE_DATABASE === 'true' && (await ensureDatabaseExists(url))) {
    process.stdout.write(`created database ${redactUrl(url)}\n`);
  }
  const dataSource = new DataSource({
    ...dataSourceOptions({ url, applicationName: 'abuse-monitor-migrate', poolSize: 1 }),
    logging: ['error'],
  });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    const names = applied.map((migration) => migration.name).join(', ');
    process.stdout.write(
      applied.length ? `applied ${applied.length} migrations: ${names}\n` : 'schema is up to date\n',
    );
    const role = config.DATABASE_APP_ROLE;
    const granted = await prepareAppRole(dataSource, role, { create: config.MIGRATE_CREATE_ROLE === 'true' });
    process.stdout.write(
      `${granted.created ? `created role ${role}; ` : ''}granted ${role} its privileges on ${granted.tables} tables\n`,
    );
    await seedFromProtectedNumbers(dataSource, config.PROTECTED_NUMBERS);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * PROTECTED_NUMBERS once made intake refuse reports about these numbers; now it only seeds the
 * protected originators, whose flags say probable spoofing (decision 0057). Short codes were never
 * reportable and need no entry.
 */
async function seedFromProtectedNumbers(dataSource: DataSource, listed: readonly string[]): Promise<void> {
  if (listed.length === 0) return;
  const numbers = listed.flatMap((entry) => {
    const normalized = normalizeNumber(entry);
    return normalized.ok ? [normalized.e164] : [];
  });
  const added = await seedProtectedOriginators(dataSource.manager, numbers);
  const skipped = listed.length - numbers.length;
  process.stdout.write(
    `PROTECTED_NUMBERS is deprecated: added ${added} of its ${listed.length} entries to the protected originators` +
      `${skipped > 0 ? ` (${skipped} are no reportable number)` : ''}; keep the list through /api/v1/protected-originators\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
