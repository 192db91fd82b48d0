import { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** One call of a repository's method with representative arguments, for the statements it sends. */
export interface StatementCall<R> {
  method: keyof R & string;
  /** What the arguments stand for, when a method is called more than once (a filter, a sort). */
  case?: string;
  call: (repository: R, manager: EntityManager) => Promise<unknown>;
}

/**
 * A repository's statements as the snapshot records them: its calls, and the methods left out with
 * why (a write by key, a lock with no table): every method is one or the other (a unit test checks).
 */
export interface RepositoryStatements<R extends object = object> {
  name: string;
  /** The repository's prototype, whose methods the calls must cover. */
  prototype: R;
  make: (dataSource: DataSource) => R;
  calls: StatementCall<R>[];
  leftOut: Partial<Record<keyof R & string, string>>;
}

export function repositoryStatements<R extends object>(spec: RepositoryStatements<R>): RepositoryStatements {
  return spec as unknown as RepositoryStatements;
}

/** A statement a call sent, and the plan PostgreSQL chose for it with its parameters bound. */
export interface ExplainedStatement {
  sql: string;
  params: unknown[];
  plan: string[];
}

export interface ExplainedCall {
  repository: string;
  method: string;
  case?: string;
  statements: ExplainedStatement[];
}

/**
 * The planner's settings at PostgreSQL's built-in defaults, whatever the server's configuration
 * says, so the plans depend on the data and the schema alone; no JIT and no parallel workers,
 * which add lines that depend on the machine.
 */
export const PLAN_SETTINGS: readonly string[] = [
  'jit = off',
  'max_parallel_workers_per_gather = 0',
  'plan_cache_mode = force_custom_plan',
  'random_page_cost = 4',
  'seq_page_cost = 1',
  'cpu_tuple_cost = 0.01',
  'cpu_index_tuple_cost = 0.005',
  'cpu_operator_cost = 0.0025',
  "effective_cache_size = '4GB'",
  "work_mem = '4MB'",
  'default_statistics_target = 100',
  'enable_seqscan = on',
  "TimeZone = 'UTC'",
];

/**
 * A DataSource and EntityManager in one, as far as the repositories use them: every statement is
 * explained, then run on the snapshot's connection (its answer is what the method reads next).
 */
function recordingDatabase(runner: QueryRunner, sent: ExplainedStatement[]): DataSource & EntityManager {
  const db = {
    async query(sql: string, params: unknown[] = []) {
      const plan: { 'QUERY PLAN': string }[] = await runner.query(`EXPLAIN (COSTS OFF) ${sql}`, params);
      sent.push({ sql, params, plan: plan.map((row) => row['QUERY PLAN']) });
      return runner.query(sql, params);
    },
    get manager() {
      return db;
    },
    // The snapshot runs in one transaction that is rolled back: a repository's own joins it.
    transaction(...args: unknown[]) {
      const work = args[args.length - 1] as (manager: unknown) => Promise<unknown>;
      return work(db);
    },
  };
  return db as unknown as DataSource & EntityManager;
}

/** The repository, with a note of each method called on it. */
function watched<R extends object>(repository: R, called: Set<string>): R {
  return new Proxy(repository, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value === 'function' && typeof property === 'string') called.add(property);
      return value;
    },
  });
}

/**
 * Makes every call of every repository on `dataSource` (analysed here) and explains each statement
 * it sends, inside one transaction that is rolled back: what a call writes is never kept.
 */
export async function explainStatements(
  dataSource: DataSource,
  repositories: readonly RepositoryStatements[],
): Promise<{ serverVersion: string; calls: ExplainedCall[] }> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    // VACUUM sets the visibility map as autovacuum would have, so index-only scans are chosen alike.
    await runner.query('VACUUM ANALYZE');
    for (const setting of PLAN_SETTINGS) await runner.query(`SET ${setting}`);
    const [{ server_version: serverVersion }]: { server_version: string }[] =
      await runner.query('SHOW server_version');
    const calls: ExplainedCall[] = [];
    await runner.startTransaction();
    try {
      for (const spec of repositories) {
        for (const call of spec.calls) {
          const statements: ExplainedStatement[] = [];
          const db = recordingDatabase(runner, statements);
          const called = new Set<string>();
          const label = `${spec.name}.${call.method}${call.case ? ` (${call.case})` : ''}`;
          await call.call(watched(spec.make(db), called), db);
          if (!called.has(call.method)) throw new Error(`${label} does not call ${call.method}`);
          if (statements.length === 0) throw new Error(`${label} sent no statement`);
          calls.push({ repository: spec.name, method: call.method, case: call.case, statements });
        }
      }
    } finally {
      await runner.rollbackTransaction();
    }
    return { serverVersion: serverVersion.split(/[ .]/)[0], calls };
  } finally {
    await runner.release();
  }
}

/** The methods of a repository's class, which its calls and its left-out list must cover together. */
export function methodsOf(prototype: object): string[] {
  return Object.getOwnPropertyNames(prototype).filter(
    (name) =>
      name !== 'constructor' && typeof Object.getOwnPropertyDescriptor(prototype, name)?.value === 'function',
  );
}
