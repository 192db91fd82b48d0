import { Client } from 'pg';
import { backoffDelay, describeError } from '@abuse-monitor/runtime';

/** The channel a process notifies on once it has committed outbox rows, so that every relay looks. */
export const OUTBOX_CHANNEL = 'abuse_monitor_outbox';

/**
 * The channel a change to the rules, the allowlist or the protected originators notifies on, by a
 * trigger (migration 1765490000000), so that the aggregators read them again (decision 0062).
 */
export const RULES_IN_FORCE_CHANNEL = 'abuse_monitor_rules_in_force';

/** What is listened for, and said in the log when the connection is lost and found again. */
export interface ListenedChannel {
  channel: string;
  /** "outbox": "outbox notifications lost". */
  what: string;
  /** What covers meanwhile: "polling meanwhile". */
  meanwhile: string;
}

type Log = (level: 'warn' | 'log', message: string) => void;

/**
 * A connection cut without a word (a NAT or a failover dropping it) raises no error: a query now
 * and then finds out. LISTEN needs a session of its own, so not through PgBouncer's transaction mode.
 */
const CHECK_INTERVAL_MS = 30_000;

/**
 * Listens for one channel's notifications on a connection of its own: every relay learns at once
 * that another process committed events, instead of polling for them, and every aggregator that the
 * rules in force changed. Reconnects with back-off when the connection drops (a database restart);
 * meanwhile the listener's slow fallback covers (the relay's poll, the rules' refresh interval).
 * Once listening again it reports a notification, for whatever was missed.
 */
export class NotificationListener {
  private client: Client | null = null;
  private stopped = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private checkTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly applicationName: string,
    private readonly listened: ListenedChannel,
    private readonly notified: () => void,
    private readonly log: Log,
  ) {}

  start(): void {
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.checkTimer) clearInterval(this.checkTimer);
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.url,
      application_name: this.applicationName,
      keepAlive: true,
      connectionTimeoutMillis: 5_000,
      query_timeout: 10_000,
    });
    this.client = client;
    client.on('notification', () => this.notified());
    client.on('error', (error) => this.reconnect(client, error));
    client.on('end', () => this.reconnect(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.listened.channel}`);
      if (this.failures > 0) this.log('log', `listening for ${this.listened.what} notifications again`);
      this.failures = 0;
      if (this.checkTimer) clearInterval(this.checkTimer);
      this.checkTimer = setInterval(() => {
        client.query('SELECT 1').catch((error: unknown) => this.reconnect(client, error));
      }, CHECK_INTERVAL_MS);
      this.checkTimer.unref();
      // Whatever was committed while not listening is taken in now.
      this.notified();
    } catch (error) {
      this.reconnect(client, error);
    }
  }

  private reconnect(client: Client, error: unknown): void {
    if (this.stopped || this.client !== client) return;
    this.client = null;
    if (this.checkTimer) clearInterval(this.checkTimer);
    this.checkTimer = null;
    void client.end().catch(() => undefined);
    this.failures += 1;
    const delayMs = backoffDelay(this.failures, 500, 30_000);
    this.log(
      'warn',
      `${this.listened.what} notifications lost (${describeError(error)}); listening again in ${delayMs} ms, ${this.listened.meanwhile}`,
    );
    this.retryTimer = setTimeout(() => void this.connect(), delayMs);
  }
}
