import { DynamicModule, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { describeError, retryWithBackoff } from '@abuse-monitor/runtime';
import { DatabaseSettings, dataSourceOptions } from './data-source-options';
import { MonitoringRepository } from './repositories/monitoring.repository';

/** Destroys the pool last, after consumers have finished the batch in hand. */
@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * Provides a connected TypeORM DataSource, and the reads every app's metrics and health checks make
 * (MonitoringRepository). Start-up waits, with back-off, for a database that is
 * not there yet instead of failing, so apps can start in any order.
 */
@Module({})
export class DatabaseModule {
  static forRoot(settings: DatabaseSettings): DynamicModule {
    const logger = new Logger('Database');
    return {
      module: DatabaseModule,
      global: true,
      providers: [
        {
          provide: DataSource,
          useFactory: () =>
            retryWithBackoff(
              async () => {
                const dataSource = new DataSource(dataSourceOptions(settings));
                await dataSource.initialize();
                logger.log(`connected to ${redactUrl(settings.url)}`);
                return dataSource;
              },
              {
                what: 'connect to PostgreSQL',
                initialDelayMs: 500,
                onRetry: (attempt, delayMs, error) =>
                  logger.warn(
                    `cannot connect to ${redactUrl(settings.url)} (attempt ${attempt}): ${describeError(error)}; retrying in ${delayMs} ms`,
                  ),
              },
            ),
        },
        DataSourceCloser,
        MonitoringRepository,
      ],
      exports: [DataSource, MonitoringRepository],
    };
  }
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** Whether the database answers a statement (readiness checks); rejects when it does not. */
export async function pingDatabase(dataSource: DataSource): Promise<void> {
  await dataSource.query('SELECT 1');
}
