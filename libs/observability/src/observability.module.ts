import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { MonitoringRepository } from '@abuse-monitor/persistence';
import { DatabaseGaugeOptions, DatabaseGauges } from './database-gauges';
import { BrokerProbe, databaseCheck } from './health/dependency-probes';
import { Health } from './health/readiness';
import { AppName, Metrics } from './metrics';
import { LOOPBACK, MetricsServer } from './metrics-server';

export interface ObservabilityOptions {
  app: AppName;
  /** Where /metrics listens; 0 picks a free port (tests). */
  metricsPort: number;
  /** The address /metrics listens on; the local host unless told otherwise (METRICS_HOST). */
  metricsHost?: string;
  gauges?: DatabaseGaugeOptions;
  /**
   * Whether /health/ready checks the database and the broker the app has (default true); the API
   * says false and registers the checks its own /health/ready already makes, so both ports agree.
   */
  dependencyChecks?: boolean;
}

export const OBSERVABILITY_OPTIONS = Symbol('OBSERVABILITY_OPTIONS');

@Injectable()
class MetricsEndpoint implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server: MetricsServer;

  constructor(
    metrics: Metrics,
    private readonly health: Health,
    @Inject(OBSERVABILITY_OPTIONS) private readonly options: ObservabilityOptions,
  ) {
    this.server = new MetricsServer(metrics, options.metricsPort, options.metricsHost, health);
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = await this.server.start();
    new Logger('Metrics').log(
      `metrics on http://${this.options.metricsHost ?? LOOPBACK}:${port}/metrics, health at /health/live and /health/ready`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server.stop();
    await this.health.close();
  }
}

/** Metrics of the app, served on their own port, with the database gauges the app is asked for. */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      providers: [
        { provide: OBSERVABILITY_OPTIONS, useValue: options },
        {
          provide: Metrics,
          useFactory: (monitoring: MonitoringRepository | undefined) => {
            const metrics = new Metrics(options.app);
            if (options.gauges && monitoring) {
              const gauges = new DatabaseGauges(metrics, monitoring, options.gauges);
              metrics.beforeScrape(() => gauges.refresh());
            }
            return metrics;
          },
          // An app without a database (ingest) has no database gauges either.
          inject: [{ token: MonitoringRepository, optional: true }],
        },
        {
          provide: Health,
          useFactory: (monitoring: MonitoringRepository | undefined, kafka: Kafka | undefined) => {
            const logger = new Logger('Health');
            const health = new Health((message) => logger.warn(message));
            if (options.dependencyChecks !== false) {
              if (monitoring) health.register('database', databaseCheck(monitoring));
              if (kafka) {
                const broker = new BrokerProbe(kafka);
                health.register('broker', broker.check, broker.close);
              }
            }
            return health;
          },
          inject: [
            { token: MonitoringRepository, optional: true },
            { token: Kafka, optional: true },
          ],
        },
        MetricsEndpoint,
      ],
      exports: [Metrics, Health],
    };
  }
}
