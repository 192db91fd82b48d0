import { DataSource, EntityManager } from 'typeorm';

type Privilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

const READ_WRITE: readonly Privilege[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];
/** History: written once, read ever after, never rewritten by an app. */
const APPEND_ONLY: readonly Privilege[] = ['SELECT', 'INSERT'];

/**
 * What the apps' role may do with each table (decision 0033). Nothing else: no TRUNCATE, no
 * REFERENCES or TRIGGER, and no table of its own. The migrate app applies this after every run,
 * revoking what is not listed, so a line changed here takes effect at the next deployment. A new
 * table must be listed here or in OWNER_ONLY_TABLES, or the migrate app refuses to finish.
 */
export const APP_TABLE_PRIVILEGES: Readonly<Record<string, readonly Privilege[]>> = {
  raw_sms_messages: READ_WRITE,
  submitted_reports: READ_WRITE,
  outbox: READ_WRITE,
  reports: READ_WRITE,
  reporters: READ_WRITE,
  subscriber_counters: READ_WRITE,
  rules: READ_WRITE,
  // Written by the rules' trigger, which runs as the app role that changed the rule.
  rule_versions: APPEND_ONLY,
  allowlist: READ_WRITE,
  protected_originators: READ_WRITE,
  flags: READ_WRITE,
  flag_assessments: APPEND_ONLY,
  flag_history: APPEND_ONLY,
  api_tokens: READ_WRITE,
  // Append-only for everyone (decision 0014); without UPDATE, DELETE and ownership the apps
  // cannot get round its triggers either.
  audit_log: APPEND_ONLY,
  job_runs: READ_WRITE,
  daily_summaries: READ_WRITE,
  rejected_reports: READ_WRITE,
  agent_submissions: READ_WRITE,
  // Sign-in sessions (decision 0046): created, touched and ended by the API; only hashes are kept.
  api_sessions: READ_WRITE,
  // Campaigns (decision 0054): grouped by the scheduler, decided on by the API.
  campaigns: READ_WRITE,
  campaign_members: READ_WRITE,
  campaign_history: APPEND_ONLY,
  campaign_overrides: APPEND_ONLY,
  campaign_rule_versions: APPEND_ONLY,
  number_fingerprints: READ_WRITE,
  campaign_grouping: READ_WRITE,
  // Appeals (decision 0064): recorded and decided by the API.
  appeals: READ_WRITE,
};

/** Tables the apps never touch. */
export const OWNER_ONLY_TABLES: readonly string[] = ['schema_migrations'];

const DUPLICATE_OBJECT = '42710';
/** Two sessions creating one role at once: the loser trips over the catalogue's unique index. */
const UNIQUE_VIOLATION = '23505';

export interface AppRoleOptions {
  /** Create the role (LOGIN, no password) when it does not exist: local runs and tests. */
  create: boolean;
}

/**
 * Makes sure the apps' role exists and is not the owner or a superuser, then grants it exactly
 * APP_TABLE_PRIVILEGES on the tables of the current schema, and USAGE on their sequences.
 * Idempotent; run by the migrate app after the migrations, as the schema's owner.
 */
export async function prepareAppRole(
  dataSource: DataSource,
  role: string,
  options: AppRoleOptions,
): Promise<{ created: boolean; tables: number }> {
  const created = await ensureRole(dataSource, role, options);
  const tables = await dataSource.transaction((manager) => grantAppPrivileges(manager, role));
  return { created, tables };
}

async function ensureRole(dataSource: DataSource, role: string, options: AppRoleOptions): Promise<boolean> {
  const [me] = (await dataSource.query('SELECT current_user AS name')) as { name: string }[];
  if (me.name === role)
    throw new Error(
      `the apps' role ${role} is the role migrating the schema; give the migrations the owner's credentials`,
    );
  let created = false;
  if (!(await roleExists(dataSource, role))) {
    if (!options.create)
      throw new Error(
        `role ${role} does not exist: have it created (CREATE ROLE ${role} LOGIN PASSWORD '...'), or run apps/migrate with MIGRATE_CREATE_ROLE=true if the owner may create roles`,
      );
    try {
      await dataSource.query(`CREATE ROLE ${quoteIdentifier(role)} LOGIN`);
      created = true;
    } catch (error) {
      // Roles belong to the whole server: another database's migration may have just made it.
      const failure = error as { code?: string; driverError?: { code?: string } };
      const code = failure.code ?? failure.driverError?.code;
      if (code !== DUPLICATE_OBJECT && code !== UNIQUE_VIOLATION) throw error;
    }
  }
  const [found] = (await dataSource.query(
    'SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication FROM pg_roles WHERE rolname = $1',
    [role],
  )) as Record<string, boolean>[];
  const powers = Object.entries(found)
    .filter(([, has]) => has)
    .map(([name]) => name.replace(/^rol/, ''));
  if (powers.length > 0)
    throw new Error(`the apps' role ${role} has ${powers.join(', ')}: it must be an ordinary role`);
  return created;
}

async function roleExists(dataSource: DataSource, role: string): Promise<boolean> {
  const rows = (await dataSource.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])) as unknown[];
  return rows.length > 0;
}

/** Tables of the current schema that neither list names: granting would leave them out. */
export async function unlistedTables(manager: Pick<EntityManager, 'query'>): Promise<string[]> {
  return (await tablesOfSchema(manager)).filter(
    (table) => !(table in APP_TABLE_PRIVILEGES) && !OWNER_ONLY_TABLES.includes(table),
  );
}

async function grantAppPrivileges(manager: EntityManager, role: string): Promise<number> {
  const unlisted = await unlistedTables(manager);
  if (unlisted.length > 0)
    throw new Error(
      `no privileges decided for ${unlisted.join(', ')}: list each in APP_TABLE_PRIVILEGES or OWNER_ONLY_TABLES (libs/persistence/src/app-role.ts)`,
    );
  const grantee = quoteIdentifier(role);
  const [{ schema }] = (await manager.query('SELECT current_schema() AS schema')) as { schema: string }[];
  await manager.query(`GRANT USAGE ON SCHEMA ${quoteIdentifier(schema)} TO ${grantee}`);
  // PostgreSQL 15 and later already deny PUBLIC this; older servers let every role create tables.
  await manager.query(`REVOKE CREATE ON SCHEMA ${quoteIdentifier(schema)} FROM PUBLIC, ${grantee}`);
  let tables = 0;
  for (const table of await tablesOfSchema(manager)) {
    await manager.query(`REVOKE ALL ON TABLE ${quoteIdentifier(table)} FROM ${grantee}`);
    const privileges = APP_TABLE_PRIVILEGES[table] ?? [];
    if (privileges.length === 0) continue;
    await manager.query(`GRANT ${privileges.join(', ')} ON TABLE ${quoteIdentifier(table)} TO ${grantee}`);
    tables += 1;
  }
  const sequences = (await manager.query(
    `SELECT s.relname AS sequence, t.relname AS "table"
       FROM pg_class s
       JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid
                       AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
       JOIN pg_class t ON t.oid = d.refobjid
      WHERE s.relkind = 'S' AND s.relnamespace = current_schema()::regnamespace`,
  )) as { sequence: string; table: string }[];
  for (const { sequence, table } of sequences) {
    await manager.query(`REVOKE ALL ON SEQUENCE ${quoteIdentifier(sequence)} FROM ${grantee}`);
    if (APP_TABLE_PRIVILEGES[table]?.includes('INSERT'))
      await manager.query(`GRANT USAGE ON SEQUENCE ${quoteIdentifier(sequence)} TO ${grantee}`);
  }
  const excess = await excessPrivileges(manager, role);
  if (excess.length > 0)
    throw new Error(
      `the apps' role ${role} may do more than APP_TABLE_PRIVILEGES allows, through ownership, another grantor's grant or a role it is a member of (pg_write_all_data, say): ${excess.join('; ')}`,
    );
  return tables;
}

const TABLE_PRIVILEGES = [
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'TRUNCATE',
  'REFERENCES',
  'TRIGGER',
] as const;

/**
 * What the role may effectively do beyond its list: REVOKE takes back only this owner's grants,
 * so a grant by someone else, a membership or an ownership (which no REVOKE touches) would
 * otherwise survive every migration unseen.
 */
export async function excessPrivileges(
  manager: Pick<EntityManager, 'query'>,
  role: string,
): Promise<string[]> {
  const problems: string[] = [];
  const [schema] = (await manager.query(
    `SELECT has_schema_privilege($1, n.oid, 'CREATE') AS "create", pg_has_role($1, n.nspowner, 'USAGE') AS "owns"
       FROM pg_namespace n WHERE n.oid = current_schema()::regnamespace`,
    [role],
  )) as { create: boolean; owns: boolean }[];
  if (schema.create) problems.push('CREATE on the schema');
  if (schema.owns) problems.push('owns the schema (or is a member of its owner)');
  // An owner may grant itself back whatever was revoked, and replace a trigger's function.
  const owned = (await manager.query(
    `SELECT relname AS name FROM pg_class
      WHERE relnamespace = current_schema()::regnamespace AND pg_has_role($1, relowner, 'USAGE')
     UNION ALL
     SELECT proname FROM pg_proc
      WHERE pronamespace = current_schema()::regnamespace AND pg_has_role($1, proowner, 'USAGE')
     ORDER BY 1`,
    [role],
  )) as { name: string }[];
  if (owned.length > 0) problems.push(`owns ${owned.map((o) => o.name).join(', ')}`);
  for (const table of await tablesOfSchema(manager)) {
    const allowed = APP_TABLE_PRIVILEGES[table] ?? [];
    const [row] = (await manager.query(
      `SELECT ${TABLE_PRIVILEGES.map((p, i) => `has_table_privilege($1, $2, '${p}') AS p${i}`).join(', ')}`,
      [role, quoteIdentifier(table)],
    )) as Record<string, boolean>[];
    const extra = TABLE_PRIVILEGES.filter(
      (p, i) => row[`p${i}`] && !(allowed as readonly string[]).includes(p),
    );
    if (extra.length > 0) problems.push(`${extra.join(', ')} on ${table}`);
  }
  return problems;
}

async function tablesOfSchema(manager: Pick<EntityManager, 'query'>): Promise<string[]> {
  const rows = (await manager.query(
    `SELECT relname FROM pg_class
      WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p')
      ORDER BY relname`,
  )) as { relname: string }[];
  return rows.map((row) => row.relname);
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
