import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  APP_TABLE_PRIVILEGES,
  AuditLogRepository,
  dataSourceOptions,
  ensureDatabaseExists,
  OWNER_ONLY_TABLES,
  prepareAppRole,
} from '@abuse-monitor/persistence';
import { AppProcess } from './support/app-process';
import {
  createTestDatabase,
  migrate,
  TEST_APP_ROLE,
  TEST_POSTGRES_URL,
  TestDatabase,
  testDatabaseUrl,
  uniqueDatabaseName,
} from './support/test-database';

/**
 * The apps connect as a role that may read and write rows, and nothing more (decision 0033): a bug
 * or a stolen password of an app cannot rewrite the audit log, switch its triggers off or change
 * the schema. Every other end-to-end test runs its apps as this role, so a missing grant fails there.
 */
const ACTOR = {
  tokenId: null,
  name: 'e2e-roles',
  role: 'admin',
  requestId: null,
  method: null,
  path: null,
  clientIp: null,
};

async function queryAs(url: string, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

describe("the apps' database role", () => {
  let db: TestDatabase;
  const asApp = (sql: string, params: unknown[] = []) => queryAs(db.appUrl, sql, params);

  beforeAll(async () => {
    db = await createTestDatabase('roles');
  });
  afterAll(() => db.drop());

  it('appends to the audit log and reads it back, as the API does', async () => {
    const dataSource = new DataSource({
      ...dataSourceOptions({ url: db.appUrl, poolSize: 1 }),
      logging: false,
    });
    await dataSource.initialize();
    try {
      const audit = new AuditLogRepository();
      await audit.append(
        ACTOR,
        { action: 'rule.update', targetType: 'rule', targetId: 'r-1', before: null, after: { threshold: 5 } },
        dataSource.manager,
      );
      const entries = await audit.search(
        { targetType: 'rule', targetId: 'r-1', limit: 10 },
        dataSource.manager,
      );
      expect(entries.map((e) => [e.actor, e.action])).toEqual([['e2e-roles', 'rule.update']]);
    } finally {
      await dataSource.destroy();
    }
  });

  it("writes the tables the apps change, their sequences and the rules' version trigger included", async () => {
    await asApp(
      `INSERT INTO rules (id, name, window_seconds, measure, threshold, severity, action, updated_by)
       VALUES ('e2e-rule', 'e2e', 3600, 'reports', 5, 'low', 'watch', 'e2e')`,
    );
    await asApp(`UPDATE rules SET threshold = 6, updated_by = 'e2e' WHERE id = 'e2e-rule'`);
    expect(await asApp(`SELECT version FROM rule_versions WHERE id = 'e2e-rule' ORDER BY version`)).toEqual([
      { version: 1 },
      { version: 2 },
    ]);
    const [entry] = await asApp(
      `INSERT INTO allowlist (kind, pattern, reason, owner, created_by, updated_by)
       VALUES ('number', '+84912345678', 'e2e', 'e2e', 'e2e', 'e2e') RETURNING id`,
    );
    await asApp('DELETE FROM allowlist WHERE id = $1', [entry.id]);
    await asApp(`DELETE FROM rules WHERE id = 'e2e-rule'`);
  });

  it.each([
    ['UPDATE', `UPDATE audit_log SET actor = 'nobody'`],
    ['DELETE', 'DELETE FROM audit_log'],
    ['TRUNCATE', 'TRUNCATE audit_log'],
  ])('may not %s the audit log: refused before any trigger', async (_, sql) => {
    await expect(asApp(sql)).rejects.toThrow('permission denied for table audit_log');
    expect(await db.query('SELECT count(*)::int AS n FROM audit_log')).toEqual([{ n: 1 }]);
  });

  it("cannot switch the audit log's triggers off, nor bypass them for its session", async () => {
    for (const sql of [
      'ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete',
      'ALTER TABLE audit_log DISABLE TRIGGER ALL',
      'DROP TRIGGER audit_log_no_truncate ON audit_log',
      'DROP FUNCTION audit_log_refuse_change() CASCADE',
    ]) {
      await expect(asApp(sql)).rejects.toThrow(/must be owner of (table|relation|function)/);
    }
    await expect(asApp('SET session_replication_role = replica')).rejects.toThrow(
      'permission denied to set parameter "session_replication_role"',
    );
  });

  it('cannot change the schema: no ALTER, DROP or CREATE anywhere', async () => {
    for (const sql of [
      'ALTER TABLE reports ADD COLUMN e2e text',
      'ALTER TABLE flags DROP CONSTRAINT flags_status_check',
      'DROP TABLE reports',
      'CREATE INDEX e2e_idx ON reports (content)',
    ]) {
      await expect(asApp(sql)).rejects.toThrow('must be owner of table');
    }
    await expect(asApp('CREATE TABLE e2e (id int)')).rejects.toThrow('permission denied for schema public');
    await expect(asApp('CREATE SCHEMA e2e')).rejects.toThrow(/permission denied for database/);
  });

  it('owns nothing, and holds on each table exactly what the list gives it', async () => {
    expect(
      await db.query(
        `SELECT relname FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = $1)`,
        [TEST_APP_ROLE],
      ),
    ).toEqual([]);
    const grants = await db.query<{ table_name: string; privileges: string[] }>(
      `SELECT c.relname AS table_name,
              array(SELECT p FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
                     WHERE has_table_privilege($1, c.oid, p)) AS privileges
         FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
        ORDER BY c.relname`,
      [TEST_APP_ROLE],
    );
    const expected = Object.fromEntries(
      grants.map(({ table_name }) => [table_name, [...(APP_TABLE_PRIVILEGES[table_name] ?? [])]]),
    );
    expect(Object.fromEntries(grants.map((g) => [g.table_name, g.privileges]))).toEqual(expected);
    expect(grants.find((g) => g.table_name === 'audit_log')?.privileges).toEqual(['SELECT', 'INSERT']);
    // Every table is listed: for the apps, or as the owner's own.
    expect(
      grants
        .map((g) => g.table_name)
        .filter((t) => !(t in APP_TABLE_PRIVILEGES) && !OWNER_ONLY_TABLES.includes(t)),
    ).toEqual([]);
    expect(grants.filter((g) => g.privileges.length === 0).map((g) => g.table_name)).toEqual([
      ...OWNER_ONLY_TABLES,
    ]);
  });

  it('refuses to finish migrating while a table has no privileges decided for it', async () => {
    await db.query('CREATE TABLE e2e_undecided (id int)');
    try {
      await expect(migrate(db.url)).rejects.toThrow(
        'no privileges decided for e2e_undecided: list each in APP_TABLE_PRIVILEGES or OWNER_ONLY_TABLES',
      );
    } finally {
      await db.query('DROP TABLE e2e_undecided');
    }
  });
});

describe('the migrate app, as the owner', () => {
  const role = `am_test_role_${randomBytes(3).toString('hex')}`;
  const names = [1, 2, 3].map(() => uniqueDatabaseName('roles_migrate'));
  const admin = (sql: string) => queryAs(TEST_POSTGRES_URL, sql);

  afterAll(async () => {
    for (const name of names) await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin(`DROP ROLE IF EXISTS "${role}"`);
  });

  const runMigrate = async (env: Record<string, string>) => {
    const app = new AppProcess('migrate', env);
    const { code } = await app.exited;
    return { code, logs: app.logs };
  };

  it('says so, in one line, when the role it should grant does not exist', async () => {
    const result = await runMigrate({
      DATABASE_OWNER_URL: testDatabaseUrl(names[0]),
      DATABASE_APP_ROLE: role,
      MIGRATE_CREATE_DATABASE: 'true',
    });
    expect(result.code).toBe(1);
    expect(result.logs).toContain(`migration failed: role ${role} does not exist: have it created`);
  });

  it('creates the role once while several databases are migrated at the same time, and grants it in each', async () => {
    const results = await Promise.all(
      names.map((name) =>
        runMigrate({
          DATABASE_OWNER_URL: testDatabaseUrl(name),
          DATABASE_APP_ROLE: role,
          MIGRATE_CREATE_DATABASE: 'true',
          MIGRATE_CREATE_ROLE: 'true',
        }),
      ),
    );
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    const tables = Object.keys(APP_TABLE_PRIVILEGES).length;
    for (const { logs } of results)
      expect(logs).toContain(`granted ${role} its privileges on ${tables} tables`);
    expect(results.filter((r) => r.logs.includes(`created role ${role}`)).length).toBe(1);
    for (const name of names) {
      const url = new URL(testDatabaseUrl(name));
      url.username = role;
      expect(await queryAs(url.toString(), 'SELECT count(*)::int AS n FROM rules')).toEqual([
        { n: expect.any(Number) },
      ]);
      await expect(queryAs(url.toString(), 'DELETE FROM audit_log')).rejects.toThrow('permission denied');
    }
  });

  it('refuses to finish while the role may do more than its list, whoever gave it the right', async () => {
    const env = { DATABASE_OWNER_URL: testDatabaseUrl(names[0]), DATABASE_APP_ROLE: role };
    // A membership no REVOKE of ours takes back: write access to every table, the audit log's too.
    await admin(`GRANT pg_write_all_data TO "${role}"`);
    try {
      const result = await runMigrate(env);
      expect(result.code).toBe(1);
      expect(result.logs).toMatch(
        /may do more than APP_TABLE_PRIVILEGES allows.*UPDATE, DELETE on audit_log/,
      );
    } finally {
      await admin(`REVOKE pg_write_all_data FROM "${role}"`);
    }
    // An ownership: the owner of a table may do anything with it, triggers included.
    await queryAs(testDatabaseUrl(names[1]), `ALTER TABLE flag_history OWNER TO "${role}"`);
    const owned = await runMigrate({ ...env, DATABASE_OWNER_URL: testDatabaseUrl(names[1]) });
    expect(owned.code).toBe(1);
    expect(owned.logs).toMatch(/may do more than APP_TABLE_PRIVILEGES allows.*owns flag_history/);
    await queryAs(testDatabaseUrl(names[1]), `ALTER TABLE flag_history OWNER TO CURRENT_USER`);
    expect((await runMigrate({ ...env, DATABASE_OWNER_URL: testDatabaseUrl(names[1]) })).code).toBe(0);
  });

  it('survives roles created at once from several databases in one process too', async () => {
    const sources = await Promise.all(
      names.map(async (name) => {
        await ensureDatabaseExists(testDatabaseUrl(name));
        const source = new DataSource({
          ...dataSourceOptions({ url: testDatabaseUrl(name), poolSize: 1 }),
          logging: false,
        });
        return source.initialize();
      }),
    );
    const racing = `${role}_b`;
    try {
      const results = await Promise.all(sources.map((s) => prepareAppRole(s, racing, { create: true })));
      expect(results.filter((r) => r.created).length).toBe(1);
    } finally {
      await Promise.all(sources.map((s) => s.destroy()));
      for (const name of names) await queryAs(testDatabaseUrl(name), `DROP OWNED BY "${racing}"`);
      await admin(`DROP ROLE IF EXISTS "${racing}"`);
    }
  });
});
