import { Client } from 'pg';

/** Time spent in one kind of statement during a phase (pg_stat_statements, summed by label). */
export interface StatementTime {
  label: string;
  milliseconds: number;
  calls: number;
  rows: number;
}

interface Counters {
  calls: number;
  rows: number;
  milliseconds: number;
  query: string;
}

const TABLE_AFTER_FROM = /\b(?:FROM|JOIN)\s+([a-z_][\w.]*)/gi;
const NOT_A_TABLE = new Set(['unnest', 'lateral', 'only', 'generate_series']);

/**
 * A short name for a statement: its verb and the table it writes, or the first table it reads.
 * Several statements can share one (two upserts of the same table) and are summed.
 */
export function statementLabel(query: string): string {
  const sql = query.replace(/\s+/g, ' ').trim();
  const write = /\b(INSERT INTO|UPDATE|DELETE FROM)\s+([a-z_][\w.]*)/i.exec(sql);
  if (write && /^(INSERT|UPDATE|DELETE)\b/i.test(sql)) return `${write[1].toUpperCase()} ${write[2]}`;
  if (write && /^WITH\b/i.test(sql)) return `WITH … ${write[1].toUpperCase()} ${write[2]}`;
  if (/^SELECT\b/i.test(sql)) {
    for (const [, table] of sql.matchAll(TABLE_AFTER_FROM)) {
      if (NOT_A_TABLE.has(table.toLowerCase())) continue;
      return `SELECT … FROM ${table}${/\bFOR UPDATE\b/i.test(sql) ? ' FOR UPDATE' : ''}`;
    }
  }
  return sql.length > 48 ? `${sql.slice(0, 47)}…` : sql;
}

/**
 * Where PostgreSQL's time goes, statement by statement, in one database over one phase: the
 * difference between two readings of pg_stat_statements. The extension's library must be loaded
 * by the server (shared_preload_libraries), which only its administrator can do; without it the
 * bench says so and measures the rest. Readings leave the server's statistics as they are (no
 * reset), so another user's view of them is not disturbed.
 */
export class StatementTimes {
  private constructor(
    private readonly url: string,
    private readonly before: Map<string, Counters>,
  ) {}

  /** Starts measuring, or says why it cannot. */
  static async start(url: string): Promise<StatementTimes | string> {
    try {
      const loaded = await query<{ libraries: string }>(
        url,
        `SELECT current_setting('shared_preload_libraries') AS libraries`,
      );
      if (!/\bpg_stat_statements\b/.test(loaded[0].libraries))
        return 'not measured: the server does not load pg_stat_statements (shared_preload_libraries)';
      await query(url, 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      return new StatementTimes(url, await read(url));
    } catch (error) {
      return `not measured: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** What the database's statements took since the start, by label, the longest first. */
  async since(): Promise<StatementTime[]> {
    const byLabel = new Map<string, StatementTime>();
    for (const [id, now] of await read(this.url)) {
      const was = this.before.get(id);
      const calls = now.calls - (was?.calls ?? 0);
      if (calls <= 0) continue;
      const label = statementLabel(now.query);
      const sum = byLabel.get(label) ?? { label, milliseconds: 0, calls: 0, rows: 0 };
      sum.calls += calls;
      sum.rows += now.rows - (was?.rows ?? 0);
      sum.milliseconds += now.milliseconds - (was?.milliseconds ?? 0);
      byLabel.set(label, sum);
    }
    return [...byLabel.values()].sort((a, b) => b.milliseconds - a.milliseconds);
  }
}

async function read(url: string): Promise<Map<string, Counters>> {
  const rows = await query<{ id: string; calls: string; rows: string; ms: number; query: string }>(
    url,
    `SELECT userid::text || ':' || queryid::text || ':' || toplevel::text AS id, calls::text,
            rows::text, total_exec_time AS ms, query
       FROM pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  );
  return new Map(
    rows.map((r) => [
      r.id,
      { calls: Number(r.calls), rows: Number(r.rows), milliseconds: r.ms, query: r.query },
    ]),
  );
}

async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}
