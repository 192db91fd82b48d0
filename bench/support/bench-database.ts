import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, dropDatabase, ensureDatabaseExists } from '@abuse-monitor/persistence';
import type { FlagStages } from './flag-latency';

const MIGRATE_ENTRY = 'dist/apps/migrate/apps/migrate/src/main.js';

/**
 * Runs the migrate app built in another checkout on the database, so that its apps meet the schema
 * they were written for (this checkout migrates in process: the same migrations, without the
 * app's grants, which the bench's apps need not since they connect as the owner). The migrate app
 * grants the apps' role (abuse_monitor_app) its privileges and refuses to grant them to the role
 * that migrates: it creates that role on the server if missing, as the e2e tests do, and the role
 * stays after the bench.
 */
function migrateWith(appsRoot: string, ownerUrl: string): void {
  const migrated = spawnSync(process.execPath, [join(appsRoot, MIGRATE_ENTRY)], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_OWNER_URL: ownerUrl,
      MIGRATE_CREATE_ROLE: 'true',
    },
    encoding: 'utf8',
  });
  if (migrated.status !== 0)
    throw new Error(`the migrate app of ${appsRoot} failed: ${migrated.stderr || migrated.stdout}`);
}

/** A database of the bench's own, migrated as the apps expect it, dropped at the end. */
export class BenchDatabase {
  private constructor(
    readonly name: string,
    readonly url: string,
  ) {}

  /**
   * Migrated by this checkout's migrations, or, given `appsRoot`, by the built migrate app of that
   * checkout: another version's apps run on the schema they were written for.
   */
  static async create(adminUrl: string, name: string, appsRoot?: string): Promise<BenchDatabase> {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    await ensureDatabaseExists(url.toString());
    const db = new BenchDatabase(name, url.toString());
    try {
      if (appsRoot === undefined) await db.migrate();
      else migrateWith(appsRoot, db.url);
      // For experiments with the schema (an index less, a setting): BENCH_AFTER_MIGRATE_SQL runs here.
      if (process.env.BENCH_AFTER_MIGRATE_SQL) await db.rows(process.env.BENCH_AFTER_MIGRATE_SQL);
    } catch (error) {
      await db.drop().catch(() => undefined);
      throw error;
    }
    return db;
  }

  private async migrate(): Promise<void> {
    const ds = new DataSource({ ...dataSourceOptions({ url: this.url, poolSize: 1 }), logging: false });
    await ds.initialize();
    try {
      await ds.runMigrations();
    } finally {
      await ds.destroy();
    }
  }

  /** The rows of one statement, on a connection of its own. */
  async rows<T extends object = Record<string, string>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.url });
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end();
    }
  }

  /** The first row of one statement, on a connection of its own. */
  async row(sql: string): Promise<Record<string, string>> {
    return (await this.rows(sql))[0];
  }

  /**
   * For each number's 'opened' flag event in the outbox: when the aggregator's transaction that
   * wrote it began (the row's created_at, now() of that transaction) and when a relay's transaction
   * that published it began (published_at). With track_commit_timestamp on (a server setting, off
   * by default), also when the aggregator's transaction committed: its reports keep its xmin.
   */
  async flagStages(numbers: readonly string[]): Promise<Map<string, FlagStages>> {
    const commits = (await this.row(`SELECT current_setting('track_commit_timestamp') AS on`)).on === 'on';
    const committed = commits
      ? `(SELECT extract(epoch FROM pg_xact_commit_timestamp(r.xmin)) * 1000 FROM reports r
           WHERE r.reported_number = o.message_key AND r.stored_at = o.created_at LIMIT 1)`
      : 'NULL';
    const rows = await this.rows<{
      number: string;
      written: string;
      committed: string | null;
      relayed: string;
    }>(
      `SELECT o.message_key AS number, extract(epoch FROM o.created_at) * 1000 AS written,
              ${committed} AS committed, extract(epoch FROM o.published_at) * 1000 AS relayed
         FROM outbox o
        WHERE o.message_key = ANY($1) AND o.published_at IS NOT NULL
          AND o.payload::jsonb ->> 'type' = 'opened'`,
      [numbers],
    );
    return new Map(
      rows.map((r) => [
        r.number,
        {
          writtenAt: Number(r.written),
          committedAt: r.committed === null ? null : Number(r.committed),
          relayedAt: Number(r.relayed),
        },
      ]),
    );
  }

  /**
   * Statistics on every table, as autovacuum keeps them in a database in service (it looks at each
   * database once a minute): the cached plans of the foreign keys' checks, planned while the tables
   * were empty, are planned again with them (docs/benchmarks.md).
   */
  async analyze(): Promise<void> {
    await this.rows('ANALYZE');
  }

  /** Where the server's write-ahead log is now, to measure what a phase writes. */
  async walPosition(): Promise<string> {
    return (await this.row('SELECT pg_current_wal_lsn()::text AS lsn')).lsn;
  }

  /**
   * What PostgreSQL went through: the database's size against its buffer cache, the share of block
   * reads the cache served, and the WAL written since `walFrom` (by the whole server).
   */
  async describe(walFrom: string): Promise<string> {
    const row = await this.row(
      `SELECT pg_database_size(current_database()) / 1048576 AS size_mb,
              pg_wal_lsn_diff(pg_current_wal_lsn(), '${walFrom}') / 1048576 AS wal_mb,
              current_setting('shared_buffers') AS shared_buffers,
              round(100.0 * blks_hit / nullif(blks_hit + blks_read, 0), 1) AS hit_percent
         FROM pg_stat_database WHERE datname = current_database()`,
    );
    return (
      `${Math.round(Number(row.size_mb))} MB (shared_buffers ${row.shared_buffers}, ` +
      `${row.hit_percent}% of block reads from it), ${Math.round(Number(row.wal_mb))} MB of WAL written`
    );
  }

  /**
   * Percentiles of the time from publication to counted state of the reports received since
   * `since` (the bench stamps receivedAt with the publication time; stored_at is when the
   * aggregator stored the report, with the counters of its batch), or why they could not be read.
   */
  async publicationToCounted(since: number): Promise<{ p50: number; p99: number } | string> {
    try {
      const row = await this.row(
        `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
                percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99
           FROM (SELECT extract(epoch FROM stored_at - received_at) * 1000 AS ms
                   FROM reports WHERE received_at >= '${new Date(since).toISOString()}') x`,
      );
      return { p50: Number(row.p50), p99: Number(row.p99) };
    } catch (error) {
      return `not measured (${error instanceof Error ? error.message : String(error)})`;
    }
  }

  async drop(): Promise<void> {
    await dropDatabase(this.url);
  }
}
