import '../apps/api/src/api.module';
import { allEndpoints, EndpointSpec } from '../apps/api/src/http/endpoint';
import { acceptedReport, asMessage, reporterNumber } from './support/accepted-report';
import {
  ApiClient,
  ApiRequest,
  ApiResponse,
  createToken,
  expectProblem,
  Json,
  RoleTokens,
  startApi,
  tokensForEveryRole,
} from './support/api';
import { AppProcess, eventually } from './support/app-process';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { produce, readTopic } from './support/kafka';
import { seedCampaign } from './support/seed';

/**
 * The API refuses what it does not understand, before anything is written: invalid, unknown and
 * mistyped fields, oversized pages, malformed numbers and injection attempts are 400 problems
 * naming the field; broken, oversized and non-JSON bodies, unknown routes and missing or stale
 * versions have their own problems. The audit log cannot be rewritten even with the API's own
 * database connection, and the OpenAPI document describes every endpoint and every answer.
 */

const SPAMMER = '+84987000201';
const VALID_RULE = {
  id: 'silent-calls',
  name: 'Silent calls',
  windowSeconds: 86400,
  measure: 'reports',
  threshold: 50,
  severity: 'medium',
  action: 'warn',
};
const VALID_REPORT = { reporter: '0911 000 123', reportedNumber: '0987 000 999', kind: 'scam_call' };
const NOISY = reporterNumber(99);
const MAX_BODY_BYTES = 1024;

/** The tables an API call can write to; each group of refusals must leave them as they were. */
const TABLES = [
  'flags',
  'flag_history',
  'rules',
  'rule_versions',
  'allowlist',
  'protected_originators',
  'audit_log',
  'outbox',
  'api_tokens',
  'reporters',
  'appeals',
] as const;
type Table = (typeof TABLES)[number];

/** Columns that change without a write by the caller: token use and outbox relaying. */
const BOOKKEEPING = `'last_used_at' - 'published_at'`;

type Snapshot = Record<Table, { rows: number; digest: string }>;

interface FieldRef {
  in: 'path' | 'query' | 'header' | 'body';
  field: string;
  message?: string;
}

const UNKNOWN = 'unknown field';

interface Sent extends ApiResponse<Json> {
  method: string;
  path: string;
}

const KIND_OF_STATUS: Record<number, string[]> = {
  400: ['invalid-request'],
  401: ['unauthenticated'],
  403: ['forbidden'],
  404: ['not-found'],
  409: ['version-conflict', 'state-conflict', 'already-exists', 'allowlisted'],
  412: ['precondition-failed'],
  413: ['payload-too-large'],
  415: ['unsupported-media-type'],
  428: ['precondition-required'],
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

// ---------------------------------------------------------------------------------------------
// A small JSON Schema (2020-12) checker for the keywords the API's documented answers use. It
// refuses keywords it does not know rather than passing them silently.

type Schema = Record<string, Json>;
const KNOWN_KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'enum',
  'const',
  'anyOf',
  'minimum',
  'maximum',
  'description',
  'default',
  'examples',
]);

function isType(type: string, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      throw new Error(`unknown JSON Schema type ${type}`);
  }
}

function schemaErrors(schema: Schema, value: unknown, at = '$'): string[] {
  const unknown = Object.keys(schema).filter((k) => !KNOWN_KEYWORDS.has(k));
  if (unknown.length > 0) return [`${at}: the checker does not know ${unknown.join(', ')}`];
  if (schema.anyOf) {
    const tried = (schema.anyOf as Schema[]).map((s) => schemaErrors(s, value, at));
    return tried.some((e) => e.length === 0)
      ? []
      : [`${at}: matches no alternative (${tried.flat().join('; ')})`];
  }
  const errors: string[] = [];
  if ('const' in schema && value !== schema.const)
    errors.push(`${at}: expected ${JSON.stringify(schema.const)}`);
  if (schema.enum && !(schema.enum as unknown[]).includes(value))
    errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (schema.type !== undefined) {
    const types = [schema.type].flat() as string[];
    if (!types.some((t) => isType(t, value)))
      return [...errors, `${at}: expected ${types.join(' or ')}, got ${JSON.stringify(value)}`];
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${at}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${at}: above ${schema.maximum}`);
  }
  if (Array.isArray(value) && schema.items)
    value.forEach((item, i) => errors.push(...schemaErrors(schema.items, item, `${at}[${i}]`)));
  if (isType('object', value)) {
    const object = value as Record<string, unknown>;
    for (const key of (schema.required as string[] | undefined) ?? [])
      if (!(key in object)) errors.push(`${at}.${key}: required but missing`);
    for (const [key, item] of Object.entries(object)) {
      const declared = (schema.properties as Record<string, Schema> | undefined)?.[key];
      if (declared) errors.push(...schemaErrors(declared, item, `${at}.${key}`));
      else if (schema.additionalProperties === false) errors.push(`${at}.${key}: not documented`);
      else if (typeof schema.additionalProperties === 'object')
        errors.push(...schemaErrors(schema.additionalProperties, item, `${at}.${key}`));
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------

describe('API validation, problems and contract', () => {
  const harness = new Harness();
  let f: IngestFixture;
  let api: ApiClient;
  let t: RoleTokens;
  let doc: Json;
  let flagId: number;
  /** A token for the revoke endpoint: refused revocations must leave it live. */
  let victim: { id: string; secret: string };
  const ruleId = 'night-scam-calls';
  let allowlistId: number;
  /** An actioned flag with no appeal, and another with a pending appeal (issue 21), made once asked. */
  let appealFixture: Promise<{ appealableFlagId: number; appealId: number }> | null = null;

  /** Straight in the database, so the tests that count flags and audit entries before never see them. */
  function appealed(): Promise<{ appealableFlagId: number; appealId: number }> {
    const actioned = async (number: string) =>
      Number(
        (
          await f.db.query<{ id: string }>(
            `INSERT INTO flags (reported_number, status, severity, rule_id, rule_version, recommended_action,
                                taken_action, opened_at, last_change_at, counts_reports_after, sequence, sla_started_at)
             VALUES ($1, 'actioned', 'high', 'distinct-3-24h', 1, 'block_outgoing', 'block_outgoing', now(), now(),
                     now(), 1, now()) RETURNING id`,
            [number],
          )
        )[0].id,
      );
    appealFixture ??= (async () => {
      const appealableFlagId = await actioned('+84987000777');
      const [{ id }] = await f.db.query<{ id: string }>(
        `INSERT INTO appeals (flag_id, reported_number, statement, channel, appealed_action, recorded_by,
                              received_at, due_at)
         VALUES ($1, '+84987000778', 'blocked by mistake', 'phone_call', 'block_outgoing', 'agent', now(),
                 now() + interval '2 days') RETURNING id`,
        [await actioned('+84987000778')],
      );
      return { appealableFlagId, appealId: Number(id) };
    })();
    return appealFixture;
  }
  let protectedId: number;
  let allowlistRequestId: string | null;

  /** Every request of this file goes through here: 2xx JSON answers are checked against the document. */
  async function send(method: string, path: string, options: ApiRequest = {}): Promise<Sent> {
    const response = await api.request<Json>(method, path, options);
    if (doc && response.status >= 200 && response.status < 300 && response.contentType.includes('json')) {
      const errors = schemaErrors(documentedSchema(method, path, response.status), response.body);
      if (errors.length > 0)
        throw new Error(`${method} ${path} answered outside its documented schema:\n${errors.join('\n')}`);
    }
    return { ...response, method, path };
  }

  function documentedSchema(method: string, path: string, status: number): Schema {
    const pathname = new URL(api.baseUrl + path).pathname;
    const template = Object.keys(doc.paths).find((p) =>
      new RegExp(`^${p.replace(/\{\w+\}/g, '[^/]+')}$`).test(pathname),
    );
    const operation = template ? doc.paths[template][method.toLowerCase()] : undefined;
    const schema = operation?.responses[String(status)]?.content?.['application/json']?.schema;
    if (!schema)
      throw new Error(`${method} ${path} answered ${status}, which the document does not describe`);
    return schema;
  }

  /** The response is a problem document of this status, complete and tied to the request. */
  function problem(response: Sent, status: number): Json {
    expectProblem(response, status);
    const body = response.body;
    expect(response.contentType).toMatch(/^application\/problem\+json/);
    expect(body.type).toMatch(/^urn:abuse-monitor:problem:[a-z-]+$/);
    expect(KIND_OF_STATUS[status]).toContain(body.type.replace('urn:abuse-monitor:problem:', ''));
    expect(body.title).toEqual(expect.any(String));
    expect(body.title.length).toBeGreaterThan(0);
    expect(body.detail).toEqual(expect.any(String));
    expect(body.instance).toBe(new URL(api.baseUrl + response.path).pathname);
    expect(body.requestId).toEqual(expect.any(String));
    expect(body.requestId).toBe(response.headers.get('x-request-id'));
    return body;
  }

  /** A 400 whose errors name at least these fields (and every entry is complete). */
  function invalid(response: Sent, ...fields: FieldRef[]): Json {
    const body = problem(response, 400);
    expect(Array.isArray(body.errors)).toBe(true);
    expect(body.errors.length).toBeGreaterThan(0);
    for (const error of body.errors) {
      expect(['path', 'query', 'header', 'body']).toContain(error.in);
      expect(error.field).toEqual(expect.any(String));
      expect(error.message).toEqual(expect.any(String));
    }
    for (const field of fields) expect(body.errors).toContainEqual(expect.objectContaining(field));
    return body;
  }

  async function snapshot(): Promise<Snapshot> {
    const rows = await f.db.query<{ t: Table; rows: number; digest: string }>(
      TABLES.map(
        (table) =>
          `SELECT '${table}' AS t, count(*)::int AS rows,
                  md5(coalesce(string_agg((to_jsonb(x) - ${BOOKKEEPING})::text, '|'
                                          ORDER BY (to_jsonb(x) - ${BOOKKEEPING})::text), '')) AS digest
             FROM ${table} x`,
      ).join(' UNION ALL '),
    );
    return Object.fromEntries(rows.map((r) => [r.t, { rows: r.rows, digest: r.digest }])) as Snapshot;
  }

  /** Runs the refusals and checks that no table gained, lost or changed a row. */
  async function nothingWritten(refusals: () => Promise<void>): Promise<void> {
    const before = await snapshot();
    await refusals();
    const after = await snapshot();
    for (const table of TABLES) expect({ table, ...after[table] }).toEqual({ table, ...before[table] });
  }

  async function messagesIn(topic: string): Promise<number> {
    const admin = f.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
    } finally {
      await admin.disconnect();
    }
  }

  const version = async (table: 'rules' | 'allowlist' | 'protected_originators', id: string | number) =>
    (await f.db.query<{ version: number }>(`SELECT version FROM ${table} WHERE id = $1`, [String(id)]))[0]
      .version;
  const flagVersion = async () =>
    (await f.db.query<{ sequence: number }>('SELECT sequence FROM flags WHERE id = $1', [flagId]))[0]
      .sequence;

  beforeAll(async () => {
    f = await harness.fixture('apivalid');
    // The pipeline raises a real flag and marks a reporter suspicious; no rows are forged.
    const aggregator: AppProcess = harness.start('aggregator', { ...f.env, REPORTER_DAILY_LIMIT: '3' });
    const [client, tokens, spare] = await Promise.all([
      startApi(harness, f, {
        API_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
        API_RATE_LIMIT_PER_MINUTE: '100000',
      }),
      tokensForEveryRole(f.db.url),
      createToken(f.db.url, 'victim', 'analyst'),
      produce(f.kafka, f.topics.accepted, [
        ...[1, 2, 3].map((i) =>
          asMessage(acceptedReport(SPAMMER, reporterNumber(i), i, { kind: 'scam_call' })),
        ),
        // Four reports in a day, on one partition: the fourth makes the reporter suspicious.
        ...[1, 2, 3, 4].map((i) => asMessage(acceptedReport('+84987000301', NOISY, 10 + i))),
      ]),
    ]);
    [api, t, victim] = [client, tokens, spare];
    const seeded = await eventually(
      () =>
        f.db.query<{ flags: number; suspicious: number }>(
          `SELECT (SELECT count(*)::int FROM flags WHERE reported_number = $1) AS flags,
                  (SELECT count(*)::int FROM reporters WHERE reporter = $2 AND standing = 'suspicious') AS suspicious`,
          [SPAMMER, NOISY],
        ),
      ([row]) => row.flags === 1 && row.suspicious === 1,
    );
    expect(seeded).toEqual([{ flags: 1, suspicious: 1 }]);
    // Nothing but the API writes from here on, so every change is the API's doing.
    await aggregator.stop();
    flagId = Number((await f.db.query<{ id: string }>('SELECT id FROM flags')).at(0)?.id);

    const docs = await api.get('/docs-json');
    expect(docs.status).toBe(200);
    doc = docs.body;

    const rule = await send('POST', '/api/v1/rules', {
      token: t.supervisor,
      body: {
        id: ruleId,
        name: 'Scam calls at night',
        windowSeconds: 3600,
        measure: 'reports',
        kind: 'scam_call',
        threshold: 40,
        severity: 'medium',
        action: 'warn',
      },
    });
    expect(rule.status).toBe(201);
    expect(rule.body).toMatchObject({ id: ruleId, version: 1 });
    const entry = await send('POST', '/api/v1/allowlist', {
      token: t.supervisor,
      body: { kind: 'number', pattern: '1800 1090', reason: 'bank hotline', owner: 'fraud-team' },
    });
    expect(entry.status).toBe(201);
    expect(entry.body).toMatchObject({ kind: 'number', pattern: '+8418001090', version: 1 });
    allowlistId = entry.body.id;
    const originator = await send('POST', '/api/v1/protected-originators', {
      token: t.supervisor,
      body: {
        number: '1900 545 413',
        name: 'Vietcombank hotline',
        kind: 'bank',
        reason: 'spoofed in scam calls',
      },
    });
    expect(originator.status).toBe(201);
    expect(originator.body).toMatchObject({ number: '+841900545413', version: 1 });
    protectedId = originator.body.id;
    allowlistRequestId = entry.headers.get('x-request-id');
  });

  afterAll(async () => {
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it("keeps the audit log append-only in the database, even for the schema owner's connection", async () => {
    // The API runs as the apps' role, which may not even try (test/database-roles.e2e-spec.ts);
    // the test's connection is the owner's, whom only the triggers stop.
    expect(f.env.DATABASE_URL).toBe(f.db.appUrl);
    const rows = await f.db.query('SELECT * FROM audit_log ORDER BY id');
    expect(rows.map((r) => [r.action, r.actor])).toEqual([
      ['rule.create', 'supervisor'],
      ['allowlist.create', 'supervisor'],
      ['protected_originator.create', 'supervisor'],
    ]);
    expect(rows[1].request_id).toBe(allowlistRequestId);
    expect(rows[1].target_id).toBe(String(allowlistId));

    await expect(f.db.query(`UPDATE audit_log SET actor = 'nobody'`)).rejects.toThrow(/append-only/);
    await expect(f.db.query(`UPDATE audit_log SET after = NULL WHERE id = $1`, [rows[1].id])).rejects.toThrow(
      /append-only/,
    );
    await expect(f.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(f.db.query('DELETE FROM audit_log WHERE id = $1', [rows[0].id])).rejects.toThrow(
      /append-only/,
    );
    await expect(f.db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    expect(await f.db.query('SELECT * FROM audit_log ORDER BY id')).toEqual(rows);
  });

  it('refuses oversized, empty and non-numeric pages with 400 naming the limit', async () => {
    await nothingWritten(async () => {
      for (const path of ['/api/v1/flags', '/api/v1/reporters', '/api/v1/audit'])
        for (const limit of ['201', '0', 'abc', '-1', '1.5', '1e2', '9999999'])
          invalid(await send('GET', `${path}?limit=${limit}`, { token: t.admin }), {
            in: 'query',
            field: 'limit',
          });
      // The edges are accepted.
      for (const limit of ['1', '200'])
        expect((await send('GET', `/api/v1/flags?limit=${limit}`, { token: t.admin })).status).toBe(200);
    });
  });

  it('refuses unknown, repeated and mistyped query parameters', async () => {
    await nothingWritten(async () => {
      invalid(await send('GET', '/api/v1/flags?page=2', { token: t.admin }), { in: 'query', field: 'page' });
      invalid(await send('GET', '/api/v1/rules?enabled=true', { token: t.admin }), {
        in: 'query',
        field: 'enabled',
      });
      invalid(await send('GET', '/api/v1/flags?status=open&status=dismissed', { token: t.admin }), {
        in: 'query',
        field: 'status',
      });
      invalid(await send('GET', '/api/v1/flags?severity=critical', { token: t.admin }), {
        in: 'query',
        field: 'severity',
      });
      invalid(await send('GET', '/api/v1/reporters?standing=banned', { token: t.supervisor }), {
        in: 'query',
        field: 'standing',
      });
      invalid(await send('GET', '/api/v1/audit?targetType=database', { token: t.admin }), {
        in: 'query',
        field: 'targetType',
      });
      // Several problems at once: one entry each.
      const many = invalid(
        await send('GET', '/api/v1/flags?limit=0&sort=random&carrier=att&openedUntil=tomorrow', {
          token: t.admin,
        }),
        { in: 'query', field: 'limit' },
        { in: 'query', field: 'sort' },
        { in: 'query', field: 'carrier' },
        { in: 'query', field: 'openedUntil' },
      );
      expect(many.errors).toHaveLength(4);
    });
  });

  it('refuses injection attempts in filters and cursors with 400, and the tables survive them', async () => {
    const q = encodeURIComponent;
    await nothingWritten(async () => {
      const attempts: [string, string, FieldRef][] = [
        ['/api/v1/flags', `status=${q("open' OR 1=1--")}`, { in: 'query', field: 'status' }],
        ['/api/v1/flags', `assignee=${q("x'; DROP TABLE flags;--")}`, { in: 'query', field: 'assignee' }],
        ['/api/v1/flags', `sort=${q('opened_at;DELETE')}`, { in: 'query', field: 'sort' }],
        ['/api/v1/flags', `sort=${q('severity DESC; DROP TABLE flags')}`, { in: 'query', field: 'sort' }],
        ['/api/v1/flags', `openedSince=${q("2026-01-01' OR '1'='1")}`, { in: 'query', field: 'openedSince' }],
        ['/api/v1/flags', `carrier=${q('viettel,vinaphone) OR (1=1')}`, { in: 'query', field: 'carrier' }],
        ['/api/v1/flags', `cursor=${q('garbage!!')}`, { in: 'query', field: 'cursor' }],
        ['/api/v1/campaigns', `status=${q("open' OR 1=1--")}`, { in: 'query', field: 'status' }],
        [
          '/api/v1/campaigns',
          `sort=${q('member_count; DROP TABLE campaigns')}`,
          { in: 'query', field: 'sort' },
        ],
        ['/api/v1/campaigns', `carrier=${q("viettel' OR '1'='1")}`, { in: 'query', field: 'carrier' }],
        ['/api/v1/campaigns', `cursor=${base64url('just a string')}`, { in: 'query', field: 'cursor' }],
        ['/api/v1/flags', `cursor=${'A'.repeat(600)}`, { in: 'query', field: 'cursor' }],
        ['/api/v1/flags', `cursor=${base64url('just a string')}`, { in: 'query', field: 'cursor' }],
        [
          '/api/v1/flags',
          `cursor=${base64url({ sort: 'severity', rank: 1, openedAt: "x'; DROP TABLE flags;--", id: '1' })}`,
          { in: 'query', field: 'cursor' },
        ],
        [
          '/api/v1/flags',
          `cursor=${base64url({ sort: 'severity', rank: 1, openedAt: '2026-01-01T00:00:00Z', id: '1 OR 1=1' })}`,
          { in: 'query', field: 'cursor' },
        ],
        // Valid JSON, plausible types, values PostgreSQL would refuse: still the client's mistake.
        [
          '/api/v1/flags',
          `cursor=${base64url({ sort: 'severity', rank: 99_999_999_999, openedAt: '2026-01-01T00:00:00Z', id: '1' })}`,
          { in: 'query', field: 'cursor' },
        ],
        ['/api/v1/flags', `openedSince=${q('0000-01-01T00:00:00Z')}`, { in: 'query', field: 'openedSince' }],
        [
          '/api/v1/flags',
          `openedUntil=${q('2026-01-01T00:00:00+23:59')}`,
          { in: 'query', field: 'openedUntil' },
        ],
        ['/api/v1/audit', `since=${q('0000-06-01T00:00:00Z')}`, { in: 'query', field: 'since' }],
        // Dates PostgreSQL fails on (a fraction of 128 digits or more) or that no record can have.
        ...[
          `2026-01-01T00:00:00.${'1'.repeat(130)}Z`,
          '9999-12-31T23:59:59Z',
          '9999-12-31T23:59:59-14:00',
        ].flatMap((date): [string, string, FieldRef][] => [
          ['/api/v1/flags', `openedSince=${q(date)}`, { in: 'query', field: 'openedSince' }],
          ['/api/v1/flags', `openedUntil=${q(date)}`, { in: 'query', field: 'openedUntil' }],
          ['/api/v1/audit', `since=${q(date)}`, { in: 'query', field: 'since' }],
          [
            '/api/v1/flags',
            `cursor=${base64url({ sort: 'severity', rank: 1, openedAt: date, id: '1' })}`,
            { in: 'query', field: 'cursor' },
          ],
        ]),
        ['/api/v1/summaries/daily', `date=${q('9999-12-31')}`, { in: 'query', field: 'date' }],
        ['/api/v1/audit', `actor=${q("admin' OR '1'='1")}`, { in: 'query', field: 'actor' }],
        [
          '/api/v1/audit',
          `action=${q('rule.update; DELETE FROM audit_log')}`,
          { in: 'query', field: 'action' },
        ],
        [
          '/api/v1/audit',
          `cursor=${base64url({ beforeId: '1); DELETE FROM audit_log;--' })}`,
          {
            in: 'query',
            field: 'cursor',
          },
        ],
        [
          '/api/v1/reporters',
          `cursor=${base64url({ reporter: "' OR ''='" + 'x'.repeat(30) })}`,
          {
            in: 'query',
            field: 'cursor',
          },
        ],
        [
          '/api/v1/reporters',
          `cursor=${base64url({ reporter: 'a\u0000b' })}`,
          { in: 'query', field: 'cursor.reporter' },
        ],
        [
          '/api/v1/allowlist',
          `cursor=${base64url({ pattern: '+84', kind: 'all' })}`,
          { in: 'query', field: 'cursor' },
        ],
        [
          '/api/v1/allowlist',
          `cursor=${base64url({ pattern: '+84', kind: 'number', id: '1 OR 1=1' })}`,
          { in: 'query', field: 'cursor' },
        ],
        ['/api/v1/allowlist', `limit=0`, { in: 'query', field: 'limit' }],
      ];
      for (const [path, query, field] of attempts)
        invalid(await send('GET', `${path}?${query}`, { token: t.admin }), field);
      // A cursor of another sort order is refused too.
      invalid(
        await send(
          'GET',
          `/api/v1/flags?sort=newest&cursor=${base64url({ sort: 'severity', rank: 1, openedAt: '2026-01-01T00:00:00Z', id: '1' })}`,
          { token: t.admin },
        ),
        { in: 'query', field: 'cursor' },
      );
    });
    const [table] = await f.db.query<{ flags: string | null }>(
      `SELECT to_regclass('public.flags')::text AS flags`,
    );
    expect(table.flags).toBe('flags');
    expect(await f.db.query('SELECT reported_number FROM flags')).toEqual([{ reported_number: SPAMMER }]);
    // And the filters still work for what they are meant for.
    const listed = await send(
      'GET',
      `/api/v1/flags?status=open&openedSince=${q('2026-01-01T00:00:00+07:00')}`,
      {
        token: t.analyst,
      },
    );
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((i: { reportedNumber: string }) => i.reportedNumber)).toEqual([SPAMMER]);
  });

  it('refuses malformed numbers and ids in paths and bodies, naming the field', async () => {
    await nothingWritten(async () => {
      for (const number of [
        'abc',
        '0912',
        '0912345678'.repeat(7),
        '113',
        "0912345678' OR 1=1--",
        '+1 202 555 0100',
      ])
        invalid(
          await send('GET', `/api/v1/subscribers/${encodeURIComponent(number)}`, { token: t.analyst }),
          {
            in: 'path',
            field: 'number',
          },
        );
      // Not even decodable: still a problem, not a crash.
      problem(await send('GET', '/api/v1/subscribers/%E0%A4%A', { token: t.analyst }), 400);
      for (const id of ['abc', '0', '-1', '1.5', '1e3', '9'.repeat(19), '1 OR 1=1'])
        invalid(await send('GET', `/api/v1/flags/${encodeURIComponent(id)}`, { token: t.analyst }), {
          in: 'path',
          field: 'id',
        });
      invalid(await send('GET', '/api/v1/rules/Not%20A%20Rule', { token: t.analyst }), {
        in: 'path',
        field: 'id',
      });
      invalid(await send('POST', '/api/v1/tokens/not-a-uuid/revoke', { token: t.admin }), {
        in: 'path',
        field: 'id',
      });

      for (const reportedNumber of ['12345', '113', 'call me', '+1 202 555 0100'])
        invalid(
          await send('POST', '/api/v1/reports', {
            token: t.agent,
            body: { reporter: '0911 000 123', reportedNumber, kind: 'scam_call' },
          }),
          { in: 'body', field: 'reportedNumber' },
        );
      invalid(
        await send('POST', '/api/v1/reports', {
          token: t.agent,
          body: { reporter: 'anonymous', reportedNumber: '0987 000 999', kind: 'scam_call' },
        }),
        { in: 'body', field: 'reporter' },
      );

      for (const [kind, pattern] of [
        ['number', '0912'],
        ['number', 'not a number'],
        ['number', '113'],
        ['prefix', '+84'],
        ['prefix', '+1800'],
        ['prefix', "+84'; DROP TABLE allowlist;--"],
      ])
        invalid(
          await send('POST', '/api/v1/allowlist', {
            token: t.supervisor,
            body: { kind, pattern, reason: 'test', owner: 'qa' },
          }),
          { in: 'body', field: 'pattern' },
        );
      invalid(
        await send('POST', `/api/v1/reporters/${encodeURIComponent('not-a-number')}/clear`, {
          token: t.supervisor,
          body: { note: 'vouched' },
        }),
        { in: 'path', field: 'number' },
      );
    });
    // None of them reached the broker either.
    expect(await messagesIn(f.topics.submitted)).toBe(0);
  });

  it('refuses an unknown field and a wrong type on every mutating endpoint, and writes nothing', async () => {
    const { appealableFlagId, appealId } = await appealed();
    const flagIfMatch = { 'if-match': `"${await flagVersion()}"` };
    const ruleIfMatch = { 'if-match': `"${await version('rules', ruleId)}"` };
    const entryIfMatch = { 'if-match': `"${await version('allowlist', allowlistId)}"` };
    const protectedIfMatch = { 'if-match': `"${await version('protected_originators', protectedId)}"` };
    const body = (field: string): FieldRef => ({ in: 'body', field });
    const unknown = (field: string, where: FieldRef['in'] = 'body'): FieldRef => ({
      in: where,
      field,
      message: UNKNOWN,
    });

    interface Case {
      operationId: string;
      method: string;
      path: string;
      token: string;
      headers?: Record<string, string>;
      /** Each body (or query) with what it must be refused for. */
      refusals: {
        body?: unknown;
        query?: string;
        headers?: Record<string, string>;
        path?: string;
        fields: FieldRef[];
      }[];
    }
    const cases: Case[] = [
      {
        operationId: 'assignFlag',
        method: 'POST',
        path: `/api/v1/flags/${flagId}/assign`,
        token: t.analyst,
        headers: flagIfMatch,
        refusals: [
          { body: { note: 'mine', priority: 'high' }, fields: [unknown('priority')] },
          { body: { assignee: 42 }, fields: [body('assignee')] },
          { body: { note: ['mine'] }, fields: [body('note')] },
          { body: { assignee: "analyst'; --" }, fields: [body('assignee')] },
        ],
      },
      {
        operationId: 'actOnFlag',
        method: 'POST',
        path: `/api/v1/flags/${flagId}/actions`,
        token: t.supervisor,
        headers: flagIfMatch,
        refusals: [
          { body: { action: 'warn', note: 'warned', notify: true }, fields: [unknown('notify')] },
          {
            body: {
              action: 'dismiss',
              note: 'ok',
              allowlist: { reason: 'bank', owner: 'qa', until: '2027' },
            },
            fields: [unknown('allowlist.until')],
          },
          { body: { action: 'warn', note: 7 }, fields: [body('note')] },
          { body: { action: 1, note: 'warned' }, fields: [body('action')] },
          { body: { action: 'delete', note: 'warned' }, fields: [body('action')] },
          { body: { action: 'warn', note: 'x', version: '1' }, fields: [body('version')] },
        ],
      },
      {
        operationId: 'decideOnFlag',
        method: 'POST',
        path: `/api/v1/flags/${flagId}/decisions`,
        token: t.supervisor,
        headers: flagIfMatch,
        refusals: [
          {
            body: { decision: 'warn', reasonCode: 'confirmed_scam', notify: true },
            fields: [unknown('notify')],
          },
          { body: { decision: 'ban', reasonCode: 'confirmed_scam' }, fields: [body('decision')] },
          { body: { decision: 'warn', reasonCode: 7 }, fields: [body('reasonCode')] },
          { body: { decision: 'warn', reasonCode: 'not_abuse' }, fields: [body('reasonCode')] },
          {
            body: { decision: 'watch', reasonCode: 'too_few_reports', watchUntil: 'next week' },
            fields: [body('watchUntil')],
          },
          {
            body: {
              decision: 'watch',
              reasonCode: 'too_few_reports',
              allowlist: { reason: 'bank', owner: 'qa' },
            },
            fields: [body('allowlist')],
          },
        ],
      },
      {
        operationId: 'updateCampaignRules',
        method: 'PATCH',
        path: '/api/v1/campaign-rules',
        token: t.supervisor,
        headers: { 'if-match': '"1"' },
        refusals: [
          { body: { minMembers: 3, maxMembers: 9 }, fields: [unknown('maxMembers')] },
          { body: { minMembers: '3' }, fields: [body('minMembers')] },
          { body: { contentSimilarity: 0.3 }, fields: [body('contentSimilarity')] },
          { body: { numberBlockWeight: 2 }, fields: [body('numberBlockWeight')] },
        ],
      },
      {
        operationId: 'claimCampaign',
        method: 'POST',
        path: '/api/v1/campaigns/1/claim',
        token: t.analyst,
        headers: { 'if-match': '"1"' },
        refusals: [
          { body: { assignee: 'me' }, fields: [unknown('assignee')] },
          { body: { version: 'one' }, fields: [body('version')] },
          { path: '/api/v1/campaigns/abc/claim', body: {}, fields: [{ in: 'path', field: 'id' }] },
        ],
      },
      {
        operationId: 'decideOnCampaign',
        method: 'POST',
        path: '/api/v1/campaigns/1/decisions',
        token: t.supervisor,
        headers: { 'if-match': '"1"' },
        refusals: [
          {
            body: { decision: 'warn', reasonCode: 'confirmed_scam', members: ['+84987000001'] },
            fields: [unknown('members')],
          },
          { body: { decision: 'watch', reasonCode: 'too_few_reports' }, fields: [body('decision')] },
          { body: { decision: 'warn', reasonCode: 7 }, fields: [body('reasonCode')] },
          { body: { decision: 'warn', reasonCode: 'not_abuse' }, fields: [body('reasonCode')] },
        ],
      },
      {
        operationId: 'mergeCampaigns',
        method: 'POST',
        path: '/api/v1/campaigns/1/merge',
        token: t.supervisor,
        headers: { 'if-match': '"1"' },
        refusals: [
          { body: { campaigns: ['2'], into: '3' }, fields: [unknown('into')] },
          { body: { campaigns: [] }, fields: [body('campaigns')] },
          { body: { campaigns: ["2'; DROP TABLE campaigns;--"] }, fields: [body('campaigns.0')] },
          { body: { campaigns: ['1'] }, fields: [body('campaigns')] },
        ],
      },
      {
        operationId: 'splitCampaign',
        method: 'POST',
        path: '/api/v1/campaigns/1/split',
        token: t.supervisor,
        headers: { 'if-match': '"1"' },
        refusals: [
          { body: { numbers: ['+84987000001'], name: 'b' }, fields: [unknown('name')] },
          { body: { numbers: ['0987 000 001'] }, fields: [body('numbers.0')] },
          { body: { numbers: '+84987000001' }, fields: [body('numbers')] },
        ],
      },
      {
        operationId: 'reopenCampaign',
        method: 'POST',
        path: '/api/v1/campaigns/1/reopen',
        token: t.supervisor,
        headers: { 'if-match': '"1"' },
        refusals: [
          { body: { reasonCode: 'new_evidence', members: ['+84987000001'] }, fields: [unknown('members')] },
          { body: { reasonCode: 7 }, fields: [body('reasonCode')] },
          { body: { reasonCode: 'x'.repeat(41) }, fields: [body('reasonCode')] },
        ],
      },
      {
        operationId: 'removeCampaignMember',
        method: 'POST',
        path: '/api/v1/campaigns/1/remove-member',
        token: t.supervisor,
        headers: { 'if-match': '"1"' },
        refusals: [
          { body: { number: '+84987000001', reason: 'x' }, fields: [unknown('reason')] },
          { body: { number: 84987000001 }, fields: [body('number')] },
        ],
      },
      {
        operationId: 'claimNextFlag',
        method: 'POST',
        path: '/api/v1/flags/claim-next',
        token: t.analyst,
        refusals: [
          { body: { severity: 'high' }, fields: [unknown('severity')] },
          { body: ['next'], fields: [body('')] },
          { query: 'severity=high', fields: [unknown('severity', 'query')] },
        ],
      },
      {
        operationId: 'bulkDecisions',
        method: 'POST',
        path: '/api/v1/flags/bulk-decisions',
        token: t.supervisor,
        refusals: [
          {
            body: { flags: [{ flagId: String(flagId), version: 1 }], action: 'warn', note: 'x', force: true },
            fields: [unknown('force')],
          },
          { body: { flags: 'all', action: 'warn', note: 'x' }, fields: [body('flags')] },
          {
            body: { flags: [{ flagId: String(flagId), version: '1' }], action: 'warn', note: 'x' },
            fields: [body('flags.0.version')],
          },
          { body: { flags: [], action: 'warn', note: 'x' }, fields: [body('flags')] },
          {
            body: { flags: [{ flagId: String(flagId), version: 1 }], action: 'delete', note: 'x' },
            fields: [body('action')],
          },
        ],
      },
      {
        operationId: 'startSession',
        method: 'POST',
        path: '/api/v1/session',
        token: t.analyst,
        refusals: [
          { body: { remember: true }, fields: [unknown('remember')] },
          { body: ['forever'], fields: [body('')] },
        ],
      },
      {
        operationId: 'endSession',
        method: 'DELETE',
        path: '/api/v1/session',
        token: t.analyst,
        refusals: [
          { body: { everywhere: true }, fields: [unknown('everywhere')] },
          { body: ['x'], fields: [body('')] },
        ],
      },
      {
        operationId: 'endAllSessions',
        method: 'DELETE',
        path: '/api/v1/sessions',
        token: t.analyst,
        refusals: [
          { query: 'keep=mine', fields: [unknown('keep', 'query')] },
          { body: [1], fields: [body('')] },
        ],
      },
      {
        operationId: 'createRule',
        method: 'POST',
        path: '/api/v1/rules',
        token: t.supervisor,
        refusals: [
          { body: { ...VALID_RULE, sql: 'DROP TABLE rules' }, fields: [unknown('sql')] },
          { body: { ...VALID_RULE, version: 3 }, fields: [unknown('version')] },
          { body: { ...VALID_RULE, threshold: '50' }, fields: [body('threshold')] },
          { body: { ...VALID_RULE, enabled: 'yes' }, fields: [body('enabled')] },
          { body: { ...VALID_RULE, windowSeconds: 5 }, fields: [body('windowSeconds')] },
          { body: { ...VALID_RULE, id: 'Silent Calls!' }, fields: [body('id')] },
          {
            body: { ...VALID_RULE, threshold: 1.5, severity: 'extreme' },
            fields: [body('threshold'), body('severity')],
          },
        ],
      },
      {
        operationId: 'updateRule',
        method: 'PATCH',
        path: `/api/v1/rules/${ruleId}`,
        token: t.supervisor,
        headers: ruleIfMatch,
        refusals: [
          { body: { threshold: 9, owner: 'qa' }, fields: [unknown('owner')] },
          { body: { id: 'renamed' }, fields: [unknown('id')] },
          { body: { threshold: 'nine' }, fields: [body('threshold')] },
          { body: { kind: 5 }, fields: [body('kind')] },
          { body: { threshold: 9 }, query: 'dryRun=true', fields: [unknown('dryRun', 'query')] },
        ],
      },
      {
        operationId: 'previewRules',
        method: 'POST',
        path: '/api/v1/rules/what-if',
        token: t.supervisor,
        refusals: [
          { body: { changes: [{ op: 'delete', id: ruleId }] }, fields: [body('from')] },
          {
            body: { from: '2026-11-01T00:00:00Z', changes: [{ op: 'rename', id: ruleId }] },
            fields: [body('changes.0.op')],
          },
          {
            body: { from: '2026-11-01T00:00:00Z', changes: [{ op: 'update', id: ruleId, sql: 'x' }] },
            fields: [unknown('changes.0.sql')],
          },
          { body: { from: 'yesterday', changes: [{ op: 'delete', id: ruleId }] }, fields: [body('from')] },
        ],
      },
      {
        operationId: 'deleteRule',
        method: 'DELETE',
        path: `/api/v1/rules/${ruleId}`,
        token: t.supervisor,
        headers: ruleIfMatch,
        refusals: [
          { body: { cascade: true }, fields: [unknown('cascade')] },
          { query: 'force=true', fields: [unknown('force', 'query')] },
          { body: { version: '1' }, headers: {}, fields: [body('version')] },
          { path: '/api/v1/rules/NO%20SUCH', fields: [{ in: 'path', field: 'id' }] },
        ],
      },
      {
        operationId: 'createAllowlistEntry',
        method: 'POST',
        path: '/api/v1/allowlist',
        token: t.supervisor,
        refusals: [
          {
            body: { kind: 'prefix', pattern: '+841900', reason: 'r', owner: 'o', validUntil: '2027-01-01' },
            fields: [unknown('validUntil')],
          },
          {
            body: { kind: 'prefix', pattern: '+841900', reason: 'r', owner: 'o', expiresAt: '2027-01-01' },
            fields: [body('expiresAt')],
          },
          {
            body: {
              kind: 'prefix',
              pattern: '+841900',
              reason: 'r',
              owner: 'o',
              expiresAt: '2020-01-01T00:00:00Z',
            },
            fields: [body('expiresAt')],
          },
          {
            body: { kind: 'number', pattern: 912345678, reason: 'r', owner: 'o' },
            fields: [body('pattern')],
          },
          {
            body: { kind: 'number', pattern: '0912345678', reason: 1, owner: 'o' },
            fields: [body('reason')],
          },
          { body: { kind: 'range', pattern: '0912345678', reason: 'r', owner: 'o' }, fields: [body('kind')] },
          { body: { kind: 'number', pattern: '0912345678' }, fields: [body('reason'), body('owner')] },
        ],
      },
      {
        operationId: 'updateAllowlistEntry',
        method: 'PATCH',
        path: `/api/v1/allowlist/${allowlistId}`,
        token: t.supervisor,
        headers: entryIfMatch,
        refusals: [
          { body: { reason: 'changed', pattern: '+84900000000' }, fields: [unknown('pattern')] },
          { body: { owner: ['a', 'b'] }, fields: [body('owner')] },
          { body: { reason: '   ' }, fields: [body('reason')] },
        ],
      },
      {
        operationId: 'deleteAllowlistEntry',
        method: 'DELETE',
        path: `/api/v1/allowlist/${allowlistId}`,
        token: t.supervisor,
        headers: entryIfMatch,
        refusals: [
          { body: { reason: 'cleanup' }, fields: [unknown('reason')] },
          { query: 'cascade=1', fields: [unknown('cascade', 'query')] },
          { body: { version: true }, headers: {}, fields: [body('version')] },
          { path: '/api/v1/allowlist/abc', fields: [{ in: 'path', field: 'id' }] },
        ],
      },
      {
        operationId: 'createProtectedOriginator',
        method: 'POST',
        path: '/api/v1/protected-originators',
        token: t.supervisor,
        refusals: [
          {
            body: { number: '0912345678', name: 'n', kind: 'bank', reason: 'r', owner: 'o' },
            fields: [unknown('owner')],
          },
          { body: { number: '12345', name: 'n', kind: 'bank', reason: 'r' }, fields: [body('number')] },
          { body: { number: '0912345678', name: 'n', kind: 'telco', reason: 'r' }, fields: [body('kind')] },
          { body: { number: '0912345678' }, fields: [body('name'), body('kind'), body('reason')] },
        ],
      },
      {
        operationId: 'deleteProtectedOriginator',
        method: 'DELETE',
        path: `/api/v1/protected-originators/${protectedId}`,
        token: t.supervisor,
        headers: protectedIfMatch,
        refusals: [
          { body: { reason: 'cleanup' }, fields: [unknown('reason')] },
          { query: 'force=1', fields: [unknown('force', 'query')] },
          { path: '/api/v1/protected-originators/abc', fields: [{ in: 'path', field: 'id' }] },
        ],
      },
      {
        operationId: 'clearReporter',
        method: 'POST',
        path: `/api/v1/reporters/${encodeURIComponent(NOISY)}/clear`,
        token: t.supervisor,
        refusals: [
          { body: { note: 'vouched', standing: 'normal' }, fields: [unknown('standing')] },
          { body: { note: {} }, fields: [body('note')] },
          { body: { note: '' }, fields: [body('note')] },
          { body: {}, fields: [body('note')] },
        ],
      },
      {
        operationId: 'createToken',
        method: 'POST',
        path: '/api/v1/tokens',
        token: t.admin,
        refusals: [
          { body: { name: 'new-agent', role: 'agent', secret: 'chosen-by-me' }, fields: [unknown('secret')] },
          { body: { name: 7, role: 'agent' }, fields: [body('name')] },
          { body: { name: 'new-agent', role: ['admin'] }, fields: [body('role')] },
          { body: { name: 'new-agent', role: 'root' }, fields: [body('role')] },
          { body: { name: "x'); DROP TABLE api_tokens;--", role: 'agent' }, fields: [body('name')] },
          // A Cyrillic а and an upper-case letter would read as someone else in the audit log.
          { body: { name: 'аnalyst', role: 'agent' }, fields: [body('name')] },
          { body: { name: 'Analyst', role: 'agent' }, fields: [body('name')] },
          { body: { name: 'new-agent', role: 'agent', expiresIn: '30' }, fields: [body('expiresIn')] },
          { body: { name: 'new-agent', role: 'agent', expiresIn: '9999d' }, fields: [body('expiresIn')] },
        ],
      },
      {
        operationId: 'revokeToken',
        method: 'POST',
        path: `/api/v1/tokens/${victim.id}/revoke`,
        token: t.admin,
        refusals: [
          { body: { reason: 'left the team' }, fields: [unknown('reason')] },
          { body: [victim.id], fields: [body('')] },
          { query: 'now=1', fields: [unknown('now', 'query')] },
          { path: '/api/v1/tokens/12345/revoke', fields: [{ in: 'path', field: 'id' }] },
        ],
      },
      {
        operationId: 'submitReport',
        method: 'POST',
        path: '/api/v1/reports',
        token: t.agent,
        refusals: [
          { body: { ...VALID_REPORT, agentId: 'someone-else' }, fields: [unknown('agentId')] },
          { body: { ...VALID_REPORT, kind: 3 }, fields: [body('kind')] },
          { body: { ...VALID_REPORT, submittedAt: 1_700_000_000 }, fields: [body('submittedAt')] },
          { body: { ...VALID_REPORT, submittedAt: '2026-11-29 08:00' }, fields: [body('submittedAt')] },
          {
            body: { ...VALID_REPORT, submittedAt: `2026-11-29T08:00:00.${'1'.repeat(130)}+07:00` },
            fields: [body('submittedAt')],
          },
          { body: { ...VALID_REPORT, submittedAt: '9999-12-31T23:59:59Z' }, fields: [body('submittedAt')] },
          { body: { ...VALID_REPORT, description: { text: 'x' } }, fields: [body('description')] },
        ],
      },
      {
        operationId: 'releaseHeldSubmission',
        method: 'POST',
        path: '/api/v1/held-submissions/1/release',
        token: t.supervisor,
        refusals: [
          { body: { note: 'called back', status: 'queued' }, fields: [unknown('status')] },
          { body: { note: 5 }, fields: [body('note')] },
          { path: '/api/v1/held-submissions/abc/release', body: {}, fields: [{ in: 'path', field: 'id' }] },
        ],
      },
      {
        operationId: 'refuseHeldSubmission',
        method: 'POST',
        path: '/api/v1/held-submissions/1/refuse',
        token: t.supervisor,
        refusals: [
          { body: { note: 'made up', release: false }, fields: [unknown('release')] },
          { body: {}, fields: [body('note')] },
          { body: { note: '  ' }, fields: [body('note')] },
        ],
      },
      {
        operationId: 'recordAppeal',
        method: 'POST',
        path: `/api/v1/flags/${appealableFlagId}/appeals`,
        token: t.supervisor,
        refusals: [
          {
            body: { statement: 'mistake', channel: 'shop', status: 'reversed' },
            fields: [unknown('status')],
          },
          { body: { statement: 7, channel: 'shop' }, fields: [body('statement')] },
          { body: { statement: 'mistake', channel: 'carrier_pigeon' }, fields: [body('channel')] },
          { body: { statement: 'bell \u0007 rings', channel: 'shop' }, fields: [body('statement')] },
          { path: '/api/v1/flags/abc/appeals', body: {}, fields: [{ in: 'path', field: 'id' }] },
        ],
      },
      {
        operationId: 'decideOnAppeal',
        method: 'POST',
        path: `/api/v1/appeals/${appealId}/decisions`,
        token: t.supervisor,
        headers: { 'if-match': '"1"' },
        refusals: [
          { body: { decision: 'uphold', note: 'ok', notify: true }, fields: [unknown('notify')] },
          { body: { decision: 'delete', note: 'ok' }, fields: [body('decision')] },
          { body: { decision: 'uphold', note: 7 }, fields: [body('note')] },
          {
            body: {
              decision: 'uphold',
              note: 'ok',
              allowlist: { reason: 'r', owner: 'o', until: '2999-01-01T00:00:00Z' },
            },
            fields: [body('allowlist')],
          },
          {
            body: {
              decision: 'reverse',
              note: 'ok',
              allowlist: { reason: 'r', owner: 'o', until: '2999-01-01T00:00:00Z' },
            },
            fields: [body('allowlist.until')],
          },
        ],
      },
    ];

    // Every mutating endpoint of the API is here.
    const mutating = allEndpoints()
      .filter((e) => e.method !== 'get')
      .map((e) => e.operationId)
      .sort();
    expect(cases.map((c) => c.operationId).sort()).toEqual(mutating);

    await nothingWritten(async () => {
      for (const c of cases) {
        const spec = allEndpoints().find((e) => e.operationId === c.operationId) as EndpointSpec;
        expect({ operationId: c.operationId, method: spec.method.toUpperCase() }).toEqual({
          operationId: c.operationId,
          method: c.method,
        });
        expect(new URL(api.baseUrl + c.path).pathname).toMatch(
          new RegExp(`^${spec.path.replace(/\{\w+\}/g, '[^/]+')}$`),
        );
        // At least one unknown field and one wrong value or type.
        expect(c.refusals.some((r) => r.fields.some((x) => x.message === UNKNOWN))).toBe(true);
        expect(c.refusals.some((r) => r.fields.some((x) => x.message !== UNKNOWN))).toBe(true);
        for (const refusal of c.refusals) {
          const path = (refusal.path ?? c.path) + (refusal.query ? `?${refusal.query}` : '');
          const response = await send(c.method, path, {
            token: c.token,
            body: refusal.body,
            headers: refusal.headers ?? c.headers,
          });
          invalid(response, ...refusal.fields);
        }
      }
    });
    expect(await messagesIn(f.topics.submitted)).toBe(0);
    const [token] = await f.db.query<{ revoked_at: Date | null }>(
      'SELECT revoked_at FROM api_tokens WHERE id = $1',
      [victim.id],
    );
    expect(token.revoked_at).toBeNull();
  });

  it('refuses text PostgreSQL cannot store (NUL, broken Unicode) with 400, not a failure', async () => {
    const ifMatch = { 'if-match': `"${await flagVersion()}"` };
    await nothingWritten(async () => {
      invalid(
        await send('POST', '/api/v1/allowlist', {
          token: t.supervisor,
          body: { kind: 'number', pattern: '0912345678', reason: 'bank\u0000hotline', owner: 'qa' },
        }),
        { in: 'body', field: 'reason' },
      );
      invalid(
        await send('POST', '/api/v1/rules', {
          token: t.supervisor,
          body: { ...VALID_RULE, name: 'Silent\u0000calls' },
        }),
        { in: 'body', field: 'name' },
      );
      invalid(
        await send('POST', `/api/v1/reporters/${encodeURIComponent(NOISY)}/clear`, {
          token: t.supervisor,
          body: { note: 'vouched \ud800' },
        }),
        { in: 'body', field: 'note' },
      );
      invalid(
        await send('POST', `/api/v1/flags/${flagId}/actions`, {
          token: t.supervisor,
          body: { action: 'warn', note: 'warned\u0000' },
          headers: ifMatch,
        }),
        { in: 'body', field: 'note' },
      );
      invalid(
        await send('POST', '/api/v1/reports', {
          token: t.agent,
          body: { ...VALID_REPORT, description: 'goi \udfff lua dao' },
        }),
        { in: 'body', field: 'description' },
      );
    });
    expect(await messagesIn(f.topics.submitted)).toBe(0);
  });

  it('answers broken, oversized and non-JSON bodies and unknown routes with problems', async () => {
    await nothingWritten(async () => {
      for (const rawBody of [
        '{"kind": "number", "pattern": ',
        "{'kind': 'number'}",
        '"just a string"',
        'null',
      ])
        expect(
          problem(await send('POST', '/api/v1/allowlist', { token: t.supervisor, rawBody }), 400).detail,
        ).toMatch(/not valid JSON/);

      const tooLarge = {
        kind: 'number',
        pattern: '0912345678',
        reason: 'x'.repeat(MAX_BODY_BYTES),
        owner: 'qa',
      };
      expect(JSON.stringify(tooLarge).length).toBeGreaterThan(MAX_BODY_BYTES);
      problem(await send('POST', '/api/v1/allowlist', { token: t.supervisor, body: tooLarge }), 413);
      problem(
        await send('POST', '/api/v1/reports', {
          token: t.agent,
          body: { ...VALID_REPORT, description: 'spam '.repeat(300) },
        }),
        413,
      );
      // Just under API_MAX_BODY_BYTES the body is read, and refused for what it says.
      const underLimit = { kind: 'number', pattern: '0912345678', reason: 'x'.repeat(900), owner: 'qa' };
      expect(JSON.stringify(underLimit).length).toBeLessThan(MAX_BODY_BYTES);
      invalid(await send('POST', '/api/v1/allowlist', { token: t.supervisor, body: underLimit }), {
        in: 'body',
        field: 'reason',
      });

      const json = JSON.stringify({ kind: 'number', pattern: '0912345678', reason: 'r', owner: 'o' });
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])
        problem(
          await send('POST', '/api/v1/allowlist', {
            token: t.supervisor,
            rawBody: json,
            headers: { 'content-type': contentType },
          }),
          415,
        );
      problem(
        await send('PATCH', `/api/v1/rules/${ruleId}`, {
          token: t.supervisor,
          rawBody: '{"threshold": 9}',
          headers: { 'content-type': 'text/plain', 'if-match': '"1"' },
        }),
        415,
      );

      for (const [method, path] of [
        ['GET', '/api/v1/nope'],
        ['GET', '/api/v2/flags'],
        ['DELETE', '/api/v1/flags'],
        ['PUT', `/api/v1/rules/${ruleId}`],
        ['POST', '/api/v1/audit'],
      ]) {
        const notFound = problem(await send(method, path, { token: t.admin }), 404);
        expect(notFound.type).toBe('urn:abuse-monitor:problem:not-found');
      }
    });
  });

  it('requires the version read on versioned endpoints: 428 without, 412 or 409 when stale, 400 when contradictory', async () => {
    const { appealId } = await appealed();
    const [flagV, ruleV, entryV, protectedV] = [
      await flagVersion(),
      await version('rules', ruleId),
      await version('allowlist', allowlistId),
      await version('protected_originators', protectedId),
    ];
    // Two campaigns of one flagged number each, as the grouping stores them.
    const [member, other] = ['+84987000791', '+84987000792'];
    const campaigns: number[] = [];
    for (const number of [member, other]) {
      const [flag] = await f.db.query<{ id: string }>(
        `INSERT INTO flags (reported_number, status, severity, rule_id, rule_version, recommended_action, opened_at,
                            last_change_at, sequence, sla_started_at)
         VALUES ($1, 'open', 'low', 'distinct-3-24h', 1, 'watch', now(), now(), 1, now()) RETURNING id`,
        [number],
      );
      campaigns.push(await seedCampaign(f.db, [{ number, flagId: flag!.id }]));
    }
    const campaignPath = `/api/v1/campaigns/${campaigns[0]}`;
    const versioned = [
      {
        op: 'updateCampaignRules',
        method: 'PATCH',
        path: '/api/v1/campaign-rules',
        body: { highSeverityMembers: 12 },
        current: 1,
      },
      { op: 'claimCampaign', method: 'POST', path: `${campaignPath}/claim`, body: {}, current: 1 },
      {
        op: 'decideOnCampaign',
        method: 'POST',
        path: `${campaignPath}/decisions`,
        body: { decision: 'dismiss', reasonCode: 'not_abuse' },
        current: 1,
      },
      {
        op: 'mergeCampaigns',
        method: 'POST',
        path: `${campaignPath}/merge`,
        body: { campaigns: [String(campaigns[1])] },
        current: 1,
      },
      {
        op: 'splitCampaign',
        method: 'POST',
        path: `${campaignPath}/split`,
        body: { numbers: [member] },
        current: 1,
      },
      {
        op: 'reopenCampaign',
        method: 'POST',
        path: `${campaignPath}/reopen`,
        body: { reasonCode: 'new_evidence' },
        current: 1,
      },
      {
        op: 'removeCampaignMember',
        method: 'POST',
        path: `${campaignPath}/remove-member`,
        body: { number: member },
        current: 1,
      },
      { op: 'assignFlag', method: 'POST', path: `/api/v1/flags/${flagId}/assign`, body: {}, current: flagV },
      {
        op: 'actOnFlag',
        method: 'POST',
        path: `/api/v1/flags/${flagId}/actions`,
        body: { action: 'warn', note: 'warned' },
        current: flagV,
      },
      {
        op: 'decideOnFlag',
        method: 'POST',
        path: `/api/v1/flags/${flagId}/decisions`,
        body: { decision: 'warn', reasonCode: 'confirmed_scam' },
        current: flagV,
      },
      {
        op: 'updateRule',
        method: 'PATCH',
        path: `/api/v1/rules/${ruleId}`,
        body: { threshold: 41 },
        current: ruleV,
      },
      {
        op: 'deleteRule',
        method: 'DELETE',
        path: `/api/v1/rules/${ruleId}`,
        body: undefined,
        current: ruleV,
      },
      {
        op: 'updateAllowlistEntry',
        method: 'PATCH',
        path: `/api/v1/allowlist/${allowlistId}`,
        body: { owner: 'payments-team' },
        current: entryV,
      },
      {
        op: 'deleteAllowlistEntry',
        method: 'DELETE',
        path: `/api/v1/allowlist/${allowlistId}`,
        body: undefined,
        current: entryV,
      },
      {
        op: 'deleteProtectedOriginator',
        method: 'DELETE',
        path: `/api/v1/protected-originators/${protectedId}`,
        body: undefined,
        current: protectedV,
      },
      {
        op: 'decideOnAppeal',
        method: 'POST',
        path: `/api/v1/appeals/${appealId}/decisions`,
        body: { decision: 'uphold', note: 'the reports stand' },
        current: 1,
      },
    ];
    expect(versioned.map((v) => v.op).sort()).toEqual(
      allEndpoints()
        .filter((e) => e.versioned)
        .map((e) => e.operationId)
        .sort(),
    );

    await nothingWritten(async () => {
      for (const v of versioned) {
        const token = t.supervisor;
        const required = problem(await send(v.method, v.path, { token, body: v.body }), 428);
        expect(required.type).toBe('urn:abuse-monitor:problem:precondition-required');

        const stale = problem(
          await send(v.method, v.path, {
            token,
            body: v.body,
            headers: { 'if-match': `"${v.current + 5}"` },
          }),
          412,
        );
        expect(stale).toMatchObject({
          type: 'urn:abuse-monitor:problem:precondition-failed',
          currentVersion: v.current,
        });
        const staleInBody = problem(
          await send(v.method, v.path, { token, body: { ...(v.body ?? {}), version: v.current + 5 } }),
          409,
        );
        expect(staleInBody.currentVersion).toBe(v.current);

        invalid(
          await send(v.method, v.path, {
            token,
            body: { ...(v.body ?? {}), version: v.current + 1 },
            headers: { 'if-match': `"${v.current}"` },
          }),
          { in: 'header', field: 'If-Match' },
        );
        for (const ifMatch of ['latest', '*', '"1", "2"', '"-1"'])
          invalid(await send(v.method, v.path, { token, body: v.body, headers: { 'if-match': ifMatch } }), {
            in: 'header',
            field: 'If-Match',
          });
      }
    });
  });

  it('answers GET endpoints with exactly the documented fields', async () => {
    const reads: { path: string; token: string; items?: boolean }[] = [
      { path: '/api/v1/flags', token: t.analyst, items: true },
      { path: `/api/v1/flags/${flagId}`, token: t.analyst },
      { path: `/api/v1/subscribers/${encodeURIComponent('0987 000 201')}`, token: t.analyst },
      { path: '/api/v1/rules', token: t.analyst, items: true },
      { path: `/api/v1/rules/${ruleId}`, token: t.analyst },
      { path: '/api/v1/allowlist', token: t.analyst, items: true },
      { path: '/api/v1/protected-originators', token: t.analyst, items: true },
      { path: '/api/v1/reporters', token: t.supervisor, items: true },
      { path: '/api/v1/audit', token: t.admin, items: true },
      { path: '/api/v1/tokens', token: t.admin, items: true },
      { path: '/health/live', token: '' },
      { path: '/health/ready', token: '' },
    ];
    const keys = (o: object) => Object.keys(o).sort();
    for (const read of reads) {
      const response = await send('GET', read.path, { token: read.token || null });
      expect({ path: read.path, status: response.status }).toEqual({ path: read.path, status: 200 });
      const schema = documentedSchema('GET', read.path, 200);
      expect({ path: read.path, keys: keys(response.body) }).toEqual({
        path: read.path,
        keys: keys(schema.properties),
      });
      if (read.items) {
        expect({ path: read.path, items: response.body.items.length }).not.toEqual({
          path: read.path,
          items: 0,
        });
        const itemSchema = schema.properties.items.items;
        for (const item of response.body.items)
          expect({ path: read.path, keys: keys(item) }).toEqual({
            path: read.path,
            keys: keys(itemSchema.properties),
          });
      }
    }
    // The pipeline's data is what the answers show.
    const subscriber = await send('GET', `/api/v1/subscribers/${encodeURIComponent('0987 000 201')}`, {
      token: t.analyst,
    });
    expect(subscriber.body).toMatchObject({ reportedNumber: SPAMMER, nationalNumber: '0987000201' });
    expect(subscriber.body.flag).toMatchObject({ id: flagId, status: 'open', ruleId: 'distinct-3-24h' });
    expect(subscriber.body.recentReports).toHaveLength(3);
    expect((await send('GET', '/health/ready')).body.status).toBe('ready');
  });

  it('applies a change once the version is the one stored, and refuses that version afterwards', async () => {
    const read = await send('GET', `/api/v1/flags/${flagId}`, { token: t.analyst });
    const etag = read.headers.get('etag') as string;
    expect(etag).toMatch(new RegExp(`^"${read.body.version}-[0-9a-f]{16}"$`));
    const claimed = await send('POST', `/api/v1/flags/${flagId}/assign`, {
      token: t.analyst,
      body: { note: 'looking into it' },
      headers: { 'if-match': etag },
    });
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({
      status: 'in_review',
      assignee: 'analyst',
      version: read.body.version + 1,
    });
    expect(claimed.headers.get('etag')).toMatch(new RegExp(`^"${read.body.version + 1}-[0-9a-f]{16}"$`));
    const replayed = problem(
      await send('POST', `/api/v1/flags/${flagId}/assign`, {
        token: t.analyst,
        body: {},
        headers: { 'if-match': etag },
      }),
      412,
    );
    expect(replayed.currentVersion).toBe(read.body.version + 1);

    const patched = await send('PATCH', `/api/v1/rules/${ruleId}`, {
      token: t.supervisor,
      body: { threshold: 41, version: 1 },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: ruleId, threshold: 41, version: 2, updatedBy: 'supervisor' });
    expect(
      problem(
        await send('PATCH', `/api/v1/rules/${ruleId}`, {
          token: t.supervisor,
          body: { threshold: 42 },
          headers: { 'if-match': '"1"' },
        }),
        412,
      ).currentVersion,
    ).toBe(2);

    const updated = await send('PATCH', `/api/v1/allowlist/${allowlistId}`, {
      token: t.supervisor,
      body: { owner: 'payments-team' },
      headers: { 'if-match': 'W/"1"' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: allowlistId, owner: 'payments-team', version: 2 });
    const deleted = await send('DELETE', `/api/v1/allowlist/${allowlistId}`, {
      token: t.supervisor,
      body: { version: 2 },
    });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ id: allowlistId, version: 2 });
    problem(
      await send('DELETE', `/api/v1/allowlist/${allowlistId}`, {
        token: t.supervisor,
        headers: { 'if-match': '"2"' },
      }),
      404,
    );
    const unprotected = await send('DELETE', `/api/v1/protected-originators/${protectedId}`, {
      token: t.supervisor,
      headers: { 'if-match': '"1"' },
    });
    expect(unprotected.status).toBe(200);
    expect(unprotected.body).toMatchObject({ id: protectedId, number: '+841900545413' });
    problem(
      await send('DELETE', `/api/v1/protected-originators/${protectedId}`, {
        token: t.supervisor,
        headers: { 'if-match': '"1"' },
      }),
      404,
    );

    const cleared = await send('POST', `/api/v1/reporters/${encodeURIComponent(NOISY)}/clear`, {
      token: t.supervisor,
      body: { note: 'a real person, called back' },
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ reporter: NOISY, standing: 'cleared', clearedBy: 'supervisor' });
    problem(
      await send('POST', `/api/v1/reporters/${encodeURIComponent(NOISY)}/clear`, {
        token: t.supervisor,
        body: { note: 'again' },
      }),
      409,
    );

    const revoked = await send('POST', `/api/v1/tokens/${victim.id}/revoke`, { token: t.admin });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: victim.id, name: 'victim', revokedBy: 'admin' });
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    problem(await send('POST', `/api/v1/tokens/${victim.id}/revoke`, { token: t.admin }), 409);
    problem(await send('GET', '/api/v1/rules', { token: victim.secret }), 401);

    const audit = await f.db.query<{ action: string; actor: string }>(
      'SELECT action, actor FROM audit_log ORDER BY id',
    );
    expect(audit.map((a) => `${a.action} by ${a.actor}`)).toEqual([
      'rule.create by supervisor',
      'allowlist.create by supervisor',
      'protected_originator.create by supervisor',
      'flag.assign by analyst',
      'rule.update by supervisor',
      'allowlist.update by supervisor',
      'allowlist.delete by supervisor',
      'protected_originator.delete by supervisor',
      'reporter.clear by supervisor',
      'token.revoke by admin',
    ]);
  });

  it('queues a valid hotline report on the broker, and nothing of the refused ones', async () => {
    expect(await messagesIn(f.topics.submitted)).toBe(0);
    const queued = await send('POST', '/api/v1/reports', {
      token: t.agent,
      body: VALID_REPORT,
      headers: { 'idempotency-key': 'hotline-call-1' },
    });
    expect(queued.status).toBe(202);
    expect(queued.body).toMatchObject({ idempotencyKey: 'hotline-call-1', status: 'queued' });
    const messages = await readTopic(f.kafka, f.topics.submitted, 1);
    // Keys are the agent's own: scoped by the agent on the topic.
    expect(messages.map((m) => m.key)).toEqual(['agent:hotline-call-1']);
    expect(JSON.parse(messages[0].value ?? '{}')).toMatchObject({
      reportedNumber: '0987 000 999',
      agentId: 'agent',
      idempotencyKey: 'agent:hotline-call-1',
    });
    expect(await messagesIn(f.topics.submitted)).toBe(1);
  });

  it('publishes an OpenAPI 3.1 document describing every endpoint, who may call it and its problems', async () => {
    const response = await send('GET', '/docs-json');
    expect(response.status).toBe(200);
    expect(response.contentType).toMatch(/^application\/json/);
    const document = response.body;
    expect(document.openapi).toBe('3.1.0');
    expect(document.security).toEqual([{ bearer: [] }]);
    expect(document.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
    expect(document.components.schemas.Problem.required).toEqual(['type', 'title', 'status', 'detail']);

    const endpoints = allEndpoints();
    expect(endpoints.length).toBeGreaterThanOrEqual(20);
    const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`))
      .sort();
    expect(documented).toEqual(endpoints.map((e) => `${e.method} ${e.path}`).sort());

    const problemContent = {
      'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
    };
    const statusesOf = (operation: Json) => Object.keys(operation.responses).sort();
    for (const spec of endpoints) {
      const operation = document.paths[spec.path][spec.method];
      const where = `${spec.method} ${spec.path}`;
      expect({ where, operationId: operation.operationId }).toEqual({ where, operationId: spec.operationId });
      expect({ where, success: operation.responses[String(spec.status ?? 200)]?.content }).toEqual({
        where,
        success: expect.objectContaining({ 'application/json': expect.anything() }),
      });
      const problems = statusesOf(operation).filter((s) => Number(s) >= 400);
      for (const status of problems)
        expect({ where, status, content: operation.responses[status].content }).toEqual({
          where,
          status,
          content: problemContent,
        });
      const expected = ['400'];
      if (spec.permission !== null) expected.push('401', '403');
      if (spec.versioned) expected.push('409', '412', '428');
      if (spec.body) expected.push('413', '415');
      expect({ where, missing: expected.filter((s) => !problems.includes(s)) }).toEqual({
        where,
        missing: [],
      });

      if (spec.permission === null)
        expect({ where, security: operation.security }).toEqual({ where, security: [] });
      else {
        expect({ where, security: operation.security }).toEqual({ where, security: undefined });
        expect(operation.description).toContain(spec.permission);
      }
      const header = (operation.parameters as Json[]).find((p) => p.in === 'header' && p.name === 'If-Match');
      expect({ where, ifMatch: Boolean(header) }).toEqual({ where, ifMatch: Boolean(spec.versioned) });
      for (const name of [...spec.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))
        expect(operation.parameters).toContainEqual(
          expect.objectContaining({ name, in: 'path', required: true }),
        );
      // A versioned operation without a body of its own (a deletion) documents the optional version.
      expect({ where, requestBody: Boolean(operation.requestBody) }).toEqual({
        where,
        requestBody: Boolean(spec.body) || Boolean(spec.versioned),
      });
      if (spec.body) expect(operation.requestBody.content['application/json'].schema).toBeDefined();
      else if (spec.versioned)
        expect(operation.requestBody).toMatchObject({
          required: false,
          content: { 'application/json': { schema: { properties: { version: { type: 'integer' } } } } },
        });
    }
  });

  it('serves Swagger UI on /docs from its own assets', async () => {
    const page = await send('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.contentType).toMatch(/^text\/html/);
    expect(page.text).toContain('<script src="/docs/assets/swagger-ui-bundle.js"></script>');
    expect(page.text).toContain('<script src="/docs/init.js"></script>');
    const bundle = await send('GET', '/docs/assets/swagger-ui-bundle.js');
    const init = await send('GET', '/docs/init.js');
    for (const script of [bundle, init]) {
      expect(script.status).toBe(200);
      expect(script.contentType).toMatch(/^(text|application)\/javascript/);
    }
    expect(bundle.text).toContain('SwaggerUIBundle');
    expect(init.text).toContain("url: '/docs-json'");
  });

  it('ties every problem to its request id, keeping a safe caller id and replacing an unsafe one', async () => {
    const safe = await send('GET', '/api/v1/nope', { headers: { 'x-request-id': 'trace-42.a:b_c' } });
    expect(problem(safe, 404).requestId).toBe('trace-42.a:b_c');
    const answered = await send('GET', '/health/live', { headers: { 'x-request-id': 'trace-43' } });
    expect(answered.headers.get('x-request-id')).toBe('trace-43');
    const refused = await send('GET', '/api/v1/rules', { headers: { 'x-request-id': 'trace-44' } });
    expect(problem(refused, 401).requestId).toBe('trace-44');

    for (const unsafe of ['has spaces in it', 'a'.repeat(200), 'semi;colon', '<script>alert(1)</script>']) {
      const response = await send('GET', '/api/v1/rules', { headers: { 'x-request-id': unsafe } });
      const body = problem(response, 401);
      expect(body.requestId).not.toBe(unsafe);
      expect(body.requestId).toMatch(UUID);
    }
    const [a, b] = await Promise.all([send('GET', '/api/v1/nope'), send('GET', '/api/v1/nope')]);
    expect(problem(a, 404).requestId).toMatch(UUID);
    expect(problem(b, 404).requestId).not.toBe(a.body.requestId);
  });

  it('pages the allowlist by pattern: each entry once, and no cursor after the last page', async () => {
    for (const pattern of ['0912 000 003', '0912 000 001', '0912 000 002']) {
      const body = { kind: 'number', pattern, reason: 'bank hotline', owner: 'fraud-team' };
      expect((await send('POST', '/api/v1/allowlist', { token: t.supervisor, body })).status).toBe(201);
    }
    const stored = await f.db.query<{ pattern: string }>(
      'SELECT pattern FROM allowlist ORDER BY pattern, kind',
    );
    expect(stored.length).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await send('GET', `/api/v1/allowlist?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
        token: t.analyst,
      });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((entry: { pattern: string }) => entry.pattern));
      cursor = page.body.nextCursor;
    } while (cursor !== null && seen.length <= stored.length);
    expect(seen).toEqual(stored.map((row) => row.pattern));
    // Without a limit, a list shorter than a page comes whole, as before pages existed.
    const whole = await send('GET', '/api/v1/allowlist', { token: t.analyst });
    expect(whole.body.items.map((entry: { pattern: string }) => entry.pattern)).toEqual(seen);
    expect(whole.body.nextCursor).toBeNull();
  });
});
