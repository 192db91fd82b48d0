import { Client } from 'pg';
import { backoffDelay, describeError } from '@abuse-monitor/runtime';

/** The channel a transaction that wrote to the outbox notifies on; delivered when it commits. */
export const OUTBOX_CHANNEL = 'abuse_monitor_outbox';

type Log = (level: 'warn' | 'log', message: string) => void;

/**
 * A connection cut without a word (a NAT or a failover dropping it) raises no error: a query now
 * and then finds out. LISTEN needs a session of its own, so not through PgBouncer's transaction mode.
 */
const CHECK_INTERVAL_MS = 30_000;

/**
 * Listens for outbox notifications on a connection of its own, so that every relay learns at
 * once that another process committed events, instead of polling for them. Reconnects with
 * back-off when the connection drops (a database restart); meanwhile the relay's slow poll covers.
 */
export class OutboxListener {
  private client: Client | null = null;
  private stopped = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private checkTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly applicationName: string,
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
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      if (this.failures > 0) this.log('log', 'listening for outbox notifications again');
      this.failures = 0;
      if (this.checkTimer) clearInterval(this.checkTimer);
      this.checkTimer = setInterval(() => {
        client.query('SELECT 1').catch((error: unknown) => this.reconnect(client, error));
      }, CHECK_INTERVAL_MS);
      this.checkTimer.unref();
      // Whatever was committed while not listening is published now.
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
      `outbox notifications lost (${describeError(error)}); listening again in ${delayMs} ms, polling meanwhile`,
    );
    this.retryTimer = setTimeout(() => void this.connect(), delayMs);
  }
}
