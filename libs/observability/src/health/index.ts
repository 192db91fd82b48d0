export { CHECK_TIMEOUT_MS, Health, READY_CACHE_MS } from './readiness';
export type { CheckResult, Readiness, ReadinessCheck } from './readiness';
export { BrokerProbe, databaseCheck } from './dependency-probes';
export { consumerReadiness, STUCK_AFTER_MS } from './consumer-readiness';
export type { LagReading } from './consumer-readiness';
