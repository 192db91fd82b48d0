import type { MonitoringRepository } from '@abuse-monitor/persistence';
import type { Metrics } from './metrics';

export interface DatabaseGaugeOptions {
  /** Open flags by status and severity, overdue flags, the top reported numbers (the API's view). */
  flags?: boolean;
  /** Outbox backlog and the age of its oldest row (every app with a relay). */
  outbox?: boolean;
  /** When each job last succeeded (the scheduler). */
  jobs?: boolean;
  /** Open and in-review campaigns by severity and their members (the API's view). */
  campaigns?: boolean;
  /** Pending and overdue appeals (the API's view). */
  appeals?: boolean;
}

const MIN_REFRESH_MS = 5_000;

/**
 * Gauges read from the database when Prometheus scrapes, each through an index, and at most once
 * per 5 seconds however many scrapers there are. A failed read leaves the last values in place (the
 * app's own health metrics show the database trouble).
 */
export class DatabaseGauges {
  private lastRefresh = 0;
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly metrics: Metrics,
    private readonly monitoring: MonitoringRepository,
    private readonly options: DatabaseGaugeOptions,
  ) {}

  refresh(): Promise<void> {
    if (Date.now() - this.lastRefresh < MIN_REFRESH_MS) return Promise.resolve();
    this.refreshing ??= this.read()
      .catch(() => undefined)
      .finally(() => {
        this.lastRefresh = Date.now();
        this.refreshing = null;
      });
    return this.refreshing;
  }

  private async read(): Promise<void> {
    if (this.options.outbox) await this.readOutbox();
    if (this.options.flags) await this.readFlags();
    if (this.options.jobs) await this.readJobs();
    if (this.options.campaigns) await this.readCampaigns();
    if (this.options.appeals) await this.readAppeals();
  }

  private async readAppeals(): Promise<void> {
    const waiting = await this.monitoring.waitingAppeals();
    this.metrics.get('appealsPending').set(waiting.pending);
    this.metrics.get('appealsOverdue').set(waiting.overdue);
  }

  private async readCampaigns(): Promise<void> {
    const waiting = await this.monitoring.waitingCampaigns();
    const campaigns = this.metrics.get('campaigns');
    const members = this.metrics.get('campaignMembers');
    campaigns.reset();
    members.reset();
    for (const status of ['open', 'in_review'])
      for (const severity of ['low', 'medium', 'high']) {
        campaigns.set({ status, severity }, 0);
        members.set({ status, severity }, 0);
      }
    for (const row of waiting) {
      campaigns.set({ status: row.status, severity: row.severity }, row.count);
      members.set({ status: row.status, severity: row.severity }, row.members);
    }
  }

  private async readOutbox(): Promise<void> {
    const backlog = await this.monitoring.outboxBacklog();
    this.metrics.get('outboxPending').set(backlog.pending);
    this.metrics.get('outboxOldestAge').set(backlog.oldestAgeSeconds ?? 0);
  }

  private async readFlags(): Promise<void> {
    const waiting = await this.monitoring.waitingFlags();
    const flags = this.metrics.get('flags');
    const overdue = this.metrics.get('flagsOverdue');
    flags.reset();
    overdue.reset();
    for (const status of ['open', 'in_review'])
      for (const severity of ['low', 'medium', 'high']) flags.set({ status, severity }, 0);
    for (const severity of ['low', 'medium', 'high'])
      for (const stage of ['queue', 'review']) overdue.set({ severity, stage }, 0);
    for (const row of waiting) {
      flags.set({ status: row.status, severity: row.severity }, row.count);
      overdue.set({ severity: row.severity, stage: row.status === 'open' ? 'queue' : 'review' }, row.overdue);
    }
    // By rank only: a phone number as a label would hand personal data to everyone who can read
    // Prometheus, and keep it there for its whole retention.
    const top = await this.monitoring.topReportedCounts(10);
    const topGauge = this.metrics.get('topReported');
    topGauge.reset();
    top.forEach((n, i) => topGauge.set({ rank: String(i + 1) }, n));
  }

  private async readJobs(): Promise<void> {
    for (const row of await this.monitoring.lastJobSuccesses())
      this.metrics.get('jobLastSuccess').set({ scheduled_job: row.job }, row.at);
  }
}
