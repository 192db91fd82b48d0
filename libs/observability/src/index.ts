export { METRICS, DEFAULT_METRIC_PREFIXES, seriesNames } from './metric-catalog';
export type { MetricDefinition, MetricKey, MetricType } from './metric-catalog';
export { Metrics } from './metrics';
export type { AppName } from './metrics';
export { MetricsServer } from './metrics-server';
export { DatabaseGauges } from './database-gauges';
export type { DatabaseGaugeOptions } from './database-gauges';
export { LagMonitor } from './lag-monitor';
export {
  BrokerProbe,
  CHECK_TIMEOUT_MS,
  consumerReadiness,
  databaseCheck,
  Health,
  READY_CACHE_MS,
  STUCK_AFTER_MS,
} from './health';
export type { CheckResult, LagReading, Readiness, ReadinessCheck } from './health';
export { ObservabilityModule, OBSERVABILITY_OPTIONS } from './observability.module';
export type { ObservabilityOptions } from './observability.module';
export { currentCorrelationId, withCorrelationId } from './correlation';
export { JsonLogger, maskPhoneNumbers } from './json-logger';
export type { LogLevelName } from './json-logger';
export {
  batchFailureCounter,
  deadLetterCounter,
  failureHandling,
  instrumentedBatches,
  instrumentedTransform,
} from './instrumented-batches';
export type { FailureHandlingOptions } from './instrumented-batches';
