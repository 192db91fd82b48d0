import { Admin, Kafka } from 'kafkajs';
import type { MonitoringRepository } from '@abuse-monitor/persistence';
import type { CheckResult } from './readiness';

/** PostgreSQL answers a trivial query over the app's own pool (no connection of its own). */
export function databaseCheck(monitoring: Pick<MonitoringRepository, 'ping'>): () => Promise<CheckResult> {
  return async () => {
    await monitoring.ping();
    return { ok: true, detail: 'answered' };
  };
}

/**
 * The broker describes its cluster over one admin connection kept for every check, made again
 * only after a check failed on it: a probe never opens a connection per request.
 */
export class BrokerProbe {
  private admin: Promise<Admin> | null = null;

  constructor(private readonly kafka: Kafka) {}

  readonly check = async (): Promise<CheckResult> => {
    const connection = this.connected();
    try {
      const cluster = await (await connection).describeCluster();
      return { ok: true, detail: `${cluster.brokers.length} broker(s)` };
    } catch (error) {
      void this.drop(connection);
      throw error;
    }
  };

  readonly close = (): Promise<void> => this.drop(this.admin);

  private connected(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      try {
        await admin.connect();
      } catch (error) {
        await admin.disconnect().catch(() => undefined);
        throw error;
      }
      return admin;
    })();
    return this.admin;
  }

  private async drop(connection: Promise<Admin> | null): Promise<void> {
    if (connection === null) return;
    if (this.admin === connection) this.admin = null;
    const admin = await connection.catch(() => null);
    await admin?.disconnect().catch(() => undefined);
  }
}
