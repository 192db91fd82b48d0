/**
 * Every metric the apps export, in one place: names follow Prometheus conventions (base units,
 * `_total` for counters), and every label takes values from a bounded set (the catalogue says
 * which). Dashboards and alert rules are checked against this list, so a panel cannot name a metric
 * nobody exports.
 */
export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricDefinition {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly buckets?: readonly number[];
}

const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BATCH_BUCKETS = [1, 5, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
const JOB_BUCKETS = [0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600];

export const METRICS = {
  reportsReceived: {
    name: 'abuse_monitor_reports_received_total',
    type: 'counter',
    help: 'Messages and submissions received by ingest, by channel (sms, hotline) and short code (156, 5656, none)',
    labelNames: ['channel', 'short_code'],
  },
  reportsRejected: {
    name: 'abuse_monitor_reports_rejected_total',
    type: 'counter',
    help: 'Messages and submissions rejected by ingest, by channel and rejection reason',
    labelNames: ['channel', 'reason'],
  },
  reportsAccepted: {
    name: 'abuse_monitor_reports_accepted_total',
    type: 'counter',
    help: 'Reports accepted by ingest, by channel, kind, category and carrier of allocation',
    labelNames: ['channel', 'kind', 'category', 'carrier'],
  },
  reportsCounted: {
    name: 'abuse_monitor_reports_counted_total',
    type: 'counter',
    help: 'Reports stored and counted by the aggregator for the first time (redeliveries excluded)',
    labelNames: ['channel'],
  },
  reportLatency: {
    name: 'abuse_monitor_report_latency_seconds',
    type: 'histogram',
    help: "From a report's receipt (message time) to its counted state (stage=stored) or to the flag change it caused (stage=flagged)",
    labelNames: ['stage'],
    buckets: LATENCY_BUCKETS,
  },
  batchSize: {
    name: 'abuse_monitor_batch_messages',
    type: 'histogram',
    help: 'Messages per consumed batch, by consumer group role (ingest, aggregator)',
    labelNames: ['consumer'],
    buckets: BATCH_BUCKETS,
  },
  batchFailures: {
    name: 'abuse_monitor_batch_failures_total',
    type: 'counter',
    help: 'Attempts to process a consumed batch that failed (and are retried), by consumer and topic',
    labelNames: ['consumer', 'topic'],
  },
  batchDuration: {
    name: 'abuse_monitor_batch_duration_seconds',
    type: 'histogram',
    help: 'Time to process one consumed batch, commit included',
    labelNames: ['consumer'],
    buckets: DURATION_BUCKETS,
  },
  lastSuccessfulBatch: {
    name: 'abuse_monitor_last_successful_batch_timestamp_seconds',
    type: 'gauge',
    help: "When the consumer last committed a batch (Unix time), or its process started if none yet; the stuck-consumer alert's clock, which needs no lag exporter",
    labelNames: ['consumer'],
  },
  dbTransactionDuration: {
    name: 'abuse_monitor_db_transaction_duration_seconds',
    type: 'histogram',
    help: 'Duration of database transactions, by operation',
    labelNames: ['operation'],
    buckets: DURATION_BUCKETS,
  },
  aggregatorHistoryLookups: {
    name: 'abuse_monitor_aggregator_history_lookups_total',
    type: 'counter',
    help: 'Numbers with counters whose recent reports the aggregator needed, by where it found them (memory or database)',
    labelNames: ['source'],
  },
  aggregatorBatchesWithStoredReports: {
    name: 'abuse_monitor_aggregator_batches_with_stored_reports_total',
    type: 'counter',
    help: 'Batches of accepted reports stored a second time because one of their reports was stored already (read again after a crash or a rebalance, or a redelivery)',
    labelNames: [],
  },
  consumerLag: {
    name: 'abuse_monitor_consumer_lag_messages',
    type: 'gauge',
    help: 'Messages on the topic not yet committed by the consumer group, per partition',
    labelNames: ['group', 'topic', 'partition'],
  },
  deadLetters: {
    name: 'abuse_monitor_deadletter_messages_total',
    type: 'counter',
    help: 'Messages sent to the dead-letter topic, by source topic and reason',
    labelNames: ['topic', 'reason'],
  },
  flagChanges: {
    name: 'abuse_monitor_flag_changes_total',
    type: 'counter',
    help: 'Flag changes (opened, raised, reopened, escalated, overdue, actioned, dismissed, expired, claimed...) by severity after the change',
    labelNames: ['change', 'severity'],
  },
  spoofingFlagsOpened: {
    name: 'abuse_monitor_spoofing_flags_opened_total',
    type: 'counter',
    help: 'Flags opened or reopened as probable spoofing: a protected originator (bank, authority, service number) reported like an abuser (decision 0057)',
    labelNames: ['change'],
  },
  campaignChanges: {
    name: 'abuse_monitor_campaign_changes_total',
    type: 'counter',
    help: 'Campaign changes (opened, members_changed, actioned, dismissed, merged, split, member_removed...) made by the grouping and by people',
    labelNames: ['change'],
  },
  campaignNextSims: {
    name: 'abuse_monitor_campaign_next_sims_total',
    type: 'counter',
    help: "Numbers flagged because their reports match an actioned campaign's texts (the next SIM)",
    labelNames: [],
  },
  flagActions: {
    name: 'abuse_monitor_flag_actions_total',
    type: 'counter',
    help: 'Actions people took on flags through the API (warn, block_outgoing, block_both, suspend, refer_police, dismiss, reopen)',
    labelNames: ['action'],
  },
  flags: {
    name: 'abuse_monitor_flags',
    type: 'gauge',
    help: 'Flags waiting for a person (open, in_review), by status and severity; read from the database',
    labelNames: ['status', 'severity'],
  },
  campaigns: {
    name: 'abuse_monitor_campaigns',
    type: 'gauge',
    help: 'Campaigns waiting for a person (open, in_review), by status and severity; read from the database',
    labelNames: ['status', 'severity'],
  },
  campaignMembers: {
    name: 'abuse_monitor_campaign_members',
    type: 'gauge',
    help: 'Numbers in the campaigns waiting for a person, by status and severity (divided by abuse_monitor_campaigns: members per campaign); read from the database',
    labelNames: ['status', 'severity'],
  },
  flagsOverdue: {
    name: 'abuse_monitor_flags_overdue',
    type: 'gauge',
    help: 'Flags past their SLA: unclaimed in the queue (stage queue) or claimed and undecided (stage review), by severity; read from the database',
    labelNames: ['severity', 'stage'],
  },
  appealsReceived: {
    name: 'abuse_monitor_appeals_received_total',
    type: 'counter',
    help: 'Appeals against actions on numbers recorded by agents, by contact channel (decision 0064)',
    labelNames: ['channel'],
  },
  appealsDecided: {
    name: 'abuse_monitor_appeals_decided_total',
    type: 'counter',
    help: 'Appeals decided by supervisors, by outcome (upheld, reversed) and whether past their SLA (late: true, false)',
    labelNames: ['outcome', 'late'],
  },
  appealsPending: {
    name: 'abuse_monitor_appeals_pending',
    type: 'gauge',
    help: 'Appeals waiting for a supervisor; read from the database',
    labelNames: [],
  },
  appealsOverdue: {
    name: 'abuse_monitor_appeals_overdue',
    type: 'gauge',
    help: 'Appeals waiting for a supervisor past their SLA (APPEAL_SLA); read from the database',
    labelNames: [],
  },
  slaBreaches: {
    name: 'abuse_monitor_sla_breaches_total',
    type: 'counter',
    help: 'Flags found past their SLA by the escalation job: unclaimed in the queue (severity before escalation) or undecided in review',
    labelNames: ['severity', 'stage'],
  },
  timeToAction: {
    name: 'abuse_monitor_flag_time_to_action_seconds',
    type: 'histogram',
    help: "From a flag's (re)opening to a person's action on it",
    labelNames: ['action'],
    buckets: [60, 300, 900, 1800, 3600, 7200, 14400, 28800, 86400, 259200, 604800],
  },
  campaignTimeToAction: {
    name: 'abuse_monitor_campaign_time_to_action_seconds',
    type: 'histogram',
    help: "From a campaign's first report to a person's action on it",
    labelNames: [],
    buckets: [3600, 14400, 43200, 86400, 259200, 604800, 1209600, 2592000],
  },
  topReported: {
    name: 'abuse_monitor_top_reported_distinct_reporters_24h',
    type: 'gauge',
    help: 'Distinct reporters in 24 h of the ten most reported numbers with more than one reporter, by rank (1 to 10) and without the numbers, which are personal data; read from the database',
    labelNames: ['rank'],
  },
  jobRuns: {
    name: 'abuse_monitor_job_runs_total',
    type: 'counter',
    help: 'Scheduled job runs by job and outcome (succeeded, failed, skipped)',
    labelNames: ['scheduled_job', 'outcome'],
  },
  jobDuration: {
    name: 'abuse_monitor_job_duration_seconds',
    type: 'histogram',
    help: 'Duration of scheduled job runs',
    labelNames: ['scheduled_job'],
    buckets: JOB_BUCKETS,
  },
  jobItems: {
    name: 'abuse_monitor_job_items_processed_total',
    type: 'counter',
    help: 'Items (flags, rows, summaries) scheduled jobs processed',
    labelNames: ['scheduled_job'],
  },
  jobLastSuccess: {
    name: 'abuse_monitor_job_last_success_timestamp_seconds',
    type: 'gauge',
    help: 'When each job last succeeded (Unix time), across replicas; read from job_runs',
    labelNames: ['scheduled_job'],
  },
  outboxPending: {
    name: 'abuse_monitor_outbox_pending_messages',
    type: 'gauge',
    help: 'Outbox rows not yet published to Kafka; read from the database',
    labelNames: [],
  },
  outboxOldestAge: {
    name: 'abuse_monitor_outbox_oldest_pending_age_seconds',
    type: 'gauge',
    help: 'Age of the oldest unpublished outbox row (0 when none); read from the database',
    labelNames: [],
  },
  httpRequests: {
    name: 'abuse_monitor_http_requests_total',
    type: 'counter',
    help: 'API requests by route (the documented path, or "unmatched"), method and status',
    labelNames: ['route', 'method', 'status'],
  },
  httpDuration: {
    name: 'abuse_monitor_http_request_duration_seconds',
    type: 'histogram',
    help: 'API request duration by route and method',
    labelNames: ['route', 'method'],
    buckets: DURATION_BUCKETS,
  },
  appInfo: {
    name: 'abuse_monitor_app_info',
    type: 'gauge',
    help: 'Always 1; the labels say which app and version this process is',
    labelNames: ['version'],
  },
} as const satisfies Record<string, MetricDefinition>;

export type MetricKey = keyof typeof METRICS;

/** Node.js and process metrics from prom-client's defaults, which every app exports too. */
export const DEFAULT_METRIC_PREFIXES = ['process_', 'nodejs_'] as const;

/** The series names a metric exposes (a histogram adds _bucket, _sum and _count). */
export function seriesNames(definition: MetricDefinition): string[] {
  return definition.type === 'histogram'
    ? [`${definition.name}_bucket`, `${definition.name}_sum`, `${definition.name}_count`]
    : [definition.name];
}
