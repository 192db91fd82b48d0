import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import { ENTITIES } from './entities';
import { StatementLogger } from './statement-logger';

export interface DatabaseSettings {
  url: string;
  /** Pool size per process; batches hold one connection for one transaction. */
  poolSize?: number;
  applicationName?: string;
  /**
   * Whether PostgreSQL may compile a statement's plan with LLVM. Off for the aggregator
   * (decision 0083): a batch's index lookups, costed high on a table without statistics yet,
   * spent 45 ms compiling for 4 ms of work, every batch.
   */
  jit?: boolean;
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
      ...(settings.jit === false ? { options: '-c jit=off' } : {}),
    },
  };
}
