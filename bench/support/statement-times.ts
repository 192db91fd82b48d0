import type { BenchDatabase } from './bench-database';

/** Time spent in one kind of statement during a phase (pg_stat_statements, summed by label). */
export interface StatementTime {
  label: string;
  milliseconds: number;
  calls: number;
  rows: number;
}

/** The bench's database: each statement on a connection of its own. */
type Database = Pick<BenchDatabase, 'rows'>;

interface Counters {
  calls: number;
  rows: number;
  milliseconds: number;
  query: string;
}

/** A table named after FROM or JOIN: not a function call, nor extract's or a keyword's FROM. */
const TABLE_AFTER_FROM =
  /(?<!\b(?:epoch|year|month|week|day|hour|minute|second|dow|doy|distinct|both|leading|trailing)\s+)\b(?:FROM|JOIN)\s+([a-z_][\w.]*)\b(?!\s*\()/gi;
const NOT_A_TABLE = new Set(['unnest', 'lateral', 'only', 'generate_series']);
/** A statement that writes; UPDATE after FOR, FOR NO KEY or DO is a lock or a conflict's answer. */
const WRITE = /\b(INSERT INTO|(?<!\b(?:FOR|KEY|DO)\s+)UPDATE|DELETE FROM)\s+([a-z_][\w.]*)/i;

/**
 * A short name for a statement: its verb and the table it writes (with how it meets a conflict),
 * or the first table it reads. Several statements can share one and are summed.
 */
export function statementLabel(query: string): string {
  const sql = query.replace(/\s+/g, ' ').trim();
  const write = WRITE.exec(sql);
  const conflict = /\bON CONFLICT\b.*?\bDO (NOTHING|UPDATE)\b/i.exec(sql);
  const onConflict = conflict ? ` ON CONFLICT DO ${conflict[1].toUpperCase()}` : '';
  if (write && /^(INSERT|UPDATE|DELETE)\b/i.test(sql))
    return `${write[1].toUpperCase()} ${write[2]}${onConflict}`;
  if (write && /^WITH\b/i.test(sql)) return `WITH … ${write[1].toUpperCase()} ${write[2]}${onConflict}`;
  if (/^(SELECT|WITH)\b/i.test(sql)) {
    for (const [, table] of sql.matchAll(TABLE_AFTER_FROM)) {
      if (NOT_A_TABLE.has(table.toLowerCase())) continue;
      return `SELECT … FROM ${table}${/\bFOR (NO KEY )?UPDATE\b/i.test(sql) ? ' FOR UPDATE' : ''}`;
    }
  }
  return sql.length > 48 ? `${sql.slice(0, 47)}…` : sql;
}

/** A phase's statements, and how many entries the server dropped meanwhile (then some are missing). */
export interface StatementsMeasured {
  times: StatementTime[];
  evicted: number;
}

/**
 * Where PostgreSQL's time goes, statement by statement, in one database over one phase: the
 * difference between two readings of pg_stat_statements, top-level statements only (a function's
 * own statements are in its caller's time), execution only (not planning), waits included. The
 * extension's library must be loaded by the server (shared_preload_libraries), which only its
 * administrator can do, and creating the extension in the bench's database takes a superuser;
 * otherwise the bench says why and measures the rest. Readings leave the server's statistics as
 * they are (no reset), so another user's view of them is not disturbed.
 */
export class StatementTimes {
  private constructor(
    private readonly db: Database,
    private readonly before: Map<string, Counters>,
    private readonly deallocBefore: number,
  ) {}

  /** Starts measuring, or says why it cannot. */
  static async start(db: Database): Promise<StatementTimes | string> {
    try {
      const loaded = await db.rows<{ libraries: string }>(
        `SELECT current_setting('shared_preload_libraries') AS libraries`,
      );
      if (!/\bpg_stat_statements\b/.test(loaded[0].libraries))
        return 'not measured: the server does not load pg_stat_statements (shared_preload_libraries)';
      await db.rows('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      return new StatementTimes(db, await read(db), await deallocations(db));
    } catch (error) {
      return `not measured: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** What the database's statements took since the start, by label, the longest first. */
  async since(): Promise<StatementsMeasured> {
    const byLabel = new Map<string, StatementTime>();
    for (const [id, now] of await read(this.db)) {
      // An entry evicted and made again since the first reading counts from zero.
      const was = this.before.get(id);
      const from = was !== undefined && was.calls <= now.calls ? was : { calls: 0, rows: 0, milliseconds: 0 };
      const calls = now.calls - from.calls;
      if (calls === 0) continue;
      const label = statementLabel(now.query);
      const sum = byLabel.get(label) ?? { label, milliseconds: 0, calls: 0, rows: 0 };
      sum.calls += calls;
      sum.rows += now.rows - from.rows;
      sum.milliseconds += now.milliseconds - from.milliseconds;
      byLabel.set(label, sum);
    }
    return {
      times: [...byLabel.values()].sort((a, b) => b.milliseconds - a.milliseconds),
      evicted: (await deallocations(this.db)) - this.deallocBefore,
    };
  }
}

async function read(db: Database): Promise<Map<string, Counters>> {
  const rows = await db.rows<{ id: string; calls: string; rows: string; ms: number; query: string }>(
    `SELECT userid::text || ':' || queryid::text AS id, calls::text, rows::text,
            total_exec_time AS ms, query
       FROM pg_stat_statements
      WHERE toplevel AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  );
  return new Map(
    rows.map((r) => [
      r.id,
      { calls: Number(r.calls), rows: Number(r.rows), milliseconds: r.ms, query: r.query },
    ]),
  );
}

/** How many entries the server has dropped to make room (pg_stat_statements.max), ever. */
async function deallocations(db: Database): Promise<number> {
  const [row] = await db.rows<{ dealloc: string }>('SELECT dealloc::text FROM pg_stat_statements_info');
  return Number(row.dealloc);
}
