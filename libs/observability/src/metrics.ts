import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { METRICS, MetricDefinition, MetricKey } from './metric-catalog';

type Instance<K extends MetricKey> = (typeof METRICS)[K]['type'] extends 'counter'
  ? Counter<string>
  : (typeof METRICS)[K]['type'] extends 'gauge'
    ? Gauge<string>
    : Histogram<string>;

export type AppName = 'ingest' | 'aggregator' | 'api' | 'scheduler' | 'simulator';

function create(
  definition: MetricDefinition,
  registry: Registry,
): Counter<string> | Gauge<string> | Histogram<string> {
  const common = {
    name: definition.name,
    help: definition.help,
    labelNames: [...definition.labelNames],
    registers: [registry],
  };
  switch (definition.type) {
    case 'counter':
      return new Counter(common);
    case 'gauge':
      return new Gauge(common);
    case 'histogram':
      return new Histogram({ ...common, buckets: [...(definition.buckets ?? [])] });
  }
}

/**
 * The metrics of one app: every metric of the catalogue, in the app's own registry with the label
 * app=<name>, plus Node's default process metrics. Apps export the whole catalogue (metrics an app
 * never touches stay empty), so a dashboard can rely on a name whatever app it reads.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly instances = new Map<MetricKey, Counter<string> | Gauge<string> | Histogram<string>>();

  constructor(
    readonly app: AppName,
    version = '0.1.0',
  ) {
    this.registry.setDefaultLabels({ app });
    collectDefaultMetrics({ register: this.registry });
    for (const key of Object.keys(METRICS) as MetricKey[])
      this.instances.set(key, create(METRICS[key], this.registry));
    this.get('appInfo').set({ version }, 1);
  }

  get<K extends MetricKey>(key: K): Instance<K> {
    return this.instances.get(key) as Instance<K>;
  }

  /** Times `work` into a histogram, whether it succeeds or throws. */
  async time<T>(
    key: 'dbTransactionDuration' | 'batchDuration',
    labels: Record<string, string>,
    work: () => Promise<T>,
  ): Promise<T> {
    const stop = this.get(key).startTimer(labels);
    try {
      return await work();
    } finally {
      stop();
    }
  }

  private readonly refreshers: (() => Promise<void>)[] = [];

  /** Runs before each scrape, for gauges read from elsewhere (the database). */
  beforeScrape(refresh: () => Promise<void>): void {
    this.refreshers.push(refresh);
  }

  /** The text Prometheus scrapes; `without` leaves metrics out (by catalogue key). */
  async exposition(without: readonly MetricKey[] = []): Promise<string> {
    await Promise.all(this.refreshers.map((refresh) => refresh()));
    if (without.length === 0) return this.registry.metrics();
    const excluded = new Set<string>(without.map((key) => METRICS[key].name));
    const kept = this.registry.getMetricsAsArray().filter((metric) => !excluded.has(metric.name));
    const texts = await Promise.all(kept.map((metric) => this.registry.getSingleMetricAsString(metric.name)));
    return `${texts.join('\n\n')}\n`;
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
