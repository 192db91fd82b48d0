import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import { ENTITIES } from './entities';
import { StatementLogger } from './statement-logger';

export interface DatabaseSettings {
  url: string;
  /** Pool size per process; batches hold one connection for one transaction. */
  poolSize?: number;
  applicationName?: string;
}

export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    // The schema changes only through reviewed migrations.
    synchronize: false,
    migrationsRun: false,
    // Failed statements without their parameters, which hold reporters' numbers and report texts.
    logger: new StatementLogger(),
    extra: {
      max: settings.poolSize ?? 10,
      application_name: settings.applicationName ?? 'abuse-monitor',
      connectionTimeoutMillis: 5_000,
    },
  };
}
