import { acceptedReport, asMessage, reporterNumber } from './support/accepted-report';
import { ApiClient, createToken, expectProblem, Json, startApi } from './support/api';
import { eventually } from './support/app-process';
import { runCli } from './support/cli';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { produce } from './support/kafka';

interface Tokens {
  analyst: string;
  supervisor: string;
  admin: string;
}

/** Three distinct reporters in a day open a low flag; `from` numbers the reporters. */
async function raiseFlag(f: IngestFixture, api: ApiClient, token: string, number: string, from = 1) {
  await reportAbout(f, number, [from, from + 1, from + 2]);
  const page = await eventually(
    () => api.get(`/api/v1/flags?status=open&limit=200`, token),
    (r) => r.status === 200 && r.body.items.some((flag: Json) => flag.reportedNumber === number),
  );
  return page.body.items.find((flag: Json) => flag.reportedNumber === number);
}

async function reportAbout(f: IngestFixture, number: string, reporters: number[]) {
  await produce(
    f.kafka,
    f.topics.accepted,
    reporters.map((i) => asMessage(acceptedReport(number, reporterNumber(i), i, { kind: 'scam_call' }))),
  );
}

describe('decisions keep their guard', () => {
  const harness = new Harness();
  let f: IngestFixture;
  let api: ApiClient;
  let t: Tokens;

  beforeAll(async () => {
    f = await harness.fixture('apiguards');
    harness.start('aggregator', f.env);
    api = await startApi(harness, f);
    const [analyst, supervisor, admin] = await Promise.all([
      createToken(f.db.url, 'analyst', 'analyst'),
      createToken(f.db.url, 'sup', 'supervisor'),
      createToken(f.db.url, 'root', 'admin'),
    ]);
    t = { analyst: analyst.secret, supervisor: supervisor.secret, admin: admin.secret };
  });
  afterAll(async () => {
    await harness.stopApps();
    await harness.dropDatabases();
  });

  const act = (token: string, flagId: number, action: string, version: number) =>
    api.post(`/api/v1/flags/${flagId}/actions`, token, { action, note: `${action} it`, version });

  it("lets no analyst reopen a supervisor's allowlisting dismissal, nor anyone act on the number until it leaves the allowlist", async () => {
    const number = '+84987000301';
    const flag = await raiseFlag(f, api, t.analyst, number);
    const dismissed = await api.post(`/api/v1/flags/${flag.id}/actions`, t.supervisor, {
      action: 'dismiss',
      note: 'the bank hotline',
      version: flag.version,
      allowlist: { reason: 'bank hotline', owner: 'fraud-desk' },
    });
    expect(dismissed.status).toBe(200);

    const reopenedByAnalyst = await act(t.analyst, flag.id, 'reopen', dismissed.body.version);
    expectProblem(reopenedByAnalyst, 403);
    expect(reopenedByAnalyst.body.detail).toMatch(
      /sup \(supervisor\) dismissed this flag; only a supervisor/,
    );
    expect((await api.get(`/api/v1/flags/${flag.id}`, t.analyst)).body).toMatchObject({
      status: 'dismissed',
      version: dismissed.body.version,
    });

    // A supervisor may reopen it; still nobody blocks a number the allowlist vouches for.
    const reopened = await act(t.supervisor, flag.id, 'reopen', dismissed.body.version);
    expect(reopened.body).toMatchObject({ status: 'open' });
    for (const [token, action] of [
      [t.analyst, 'block_both'],
      [t.supervisor, 'suspend'],
      [t.admin, 'warn'],
    ] as const) {
      const refused = await act(token, flag.id, action, reopened.body.version);
      expectProblem(refused, 409);
      expect(refused.body).toMatchObject({ type: 'urn:abuse-monitor:problem:allowlisted' });
      expect(refused.body.detail).toContain('remove the entry from the allowlist');
    }
    expect((await api.get(`/api/v1/flags/${flag.id}`, t.analyst)).body.version).toBe(reopened.body.version);

    // Removing the entry is a decision of its own, audited; then the number can be acted on.
    const [entry] = (await api.get('/api/v1/allowlist', t.supervisor)).body.items;
    const removed = await api.request('DELETE', `/api/v1/allowlist/${entry.id}`, {
      token: t.supervisor,
      headers: { 'if-match': `"${entry.version}"` },
    });
    expect(removed.status).toBeLessThan(300);
    const audit = await api.get(`/api/v1/audit?targetType=allowlist&targetId=${entry.id}`, t.admin);
    expect(audit.body.items.map((e: Json) => [e.action, e.actor])).toEqual([
      ['allowlist.delete', 'sup'],
      ['allowlist.create', 'sup'],
    ]);
    const blocked = await act(t.analyst, flag.id, 'block_both', reopened.body.version);
    expect(blocked.status).toBe(200);
    expect(blocked.body).toMatchObject({ status: 'actioned', takenAction: 'block_both' });
  });

  it("lets an analyst reopen an analyst's dismissal, and a supervisor reopen anyone's", async () => {
    const flag = await raiseFlag(f, api, t.analyst, '+84987000302', 11);
    const dismissed = await act(t.analyst, flag.id, 'dismiss', flag.version);
    const reopened = await act(t.analyst, flag.id, 'reopen', dismissed.body.version);
    expect(reopened.status).toBe(200);
    const byAdmin = await act(t.admin, flag.id, 'dismiss', reopened.body.version);
    expectProblem(await act(t.analyst, flag.id, 'reopen', byAdmin.body.version), 403);
    expect((await act(t.supervisor, flag.id, 'reopen', byAdmin.body.version)).status).toBe(200);
  });

  it('changes the ETag with the answer, answers 304 only to the same one, and 412 to a stale If-Match', async () => {
    const number = '+84987000303';
    const flag = await raiseFlag(f, api, t.analyst, number, 21);
    const read = await api.get(`/api/v1/flags/${flag.id}`, t.analyst);
    const etag = read.headers.get('etag') as string;
    expect(etag).toMatch(/^"1-[0-9a-f]{16}"$/);
    const unchanged = await api.get(`/api/v1/flags/${flag.id}`, t.analyst, { 'if-none-match': etag });
    expect(unchanged.status).toBe(304);
    // A supervisor sees reporters unmasked: another answer, another ETag.
    const asSupervisor = await api.get(`/api/v1/flags/${flag.id}`, t.supervisor, { 'if-none-match': etag });
    expect(asSupervisor.status).toBe(200);

    // A new report changes the answer but not the version. Wait for the report itself: the answer
    // may change before it lists it (the coordination review assessing the flag, or the detail's
    // parts, read side by side, catching the aggregator's commit between them).
    await reportAbout(f, number, [24]);
    const fresh = await eventually(
      () => api.get(`/api/v1/flags/${flag.id}`, t.analyst, { 'if-none-match': etag }),
      (r) => r.status === 200 && (r.body as { recentReports: unknown[] }).recentReports.length === 4,
    );
    expect(fresh.body.version).toBe(1);
    expect(fresh.body.recentReports).toHaveLength(4);
    expect(fresh.headers.get('etag')).not.toBe(etag);

    // The ETag goes back as If-Match; once the flag has moved on, the same one fails the precondition.
    const claimed = await api.post(`/api/v1/flags/${flag.id}/assign`, t.analyst, {}, { 'if-match': etag });
    expect(claimed.status).toBe(200);
    const stale = await api.post(
      `/api/v1/flags/${flag.id}/actions`,
      t.analyst,
      { action: 'warn', note: 'warned' },
      { 'if-match': etag },
    );
    expectProblem(stale, 412);
    expect(stale.body).toMatchObject({
      type: 'urn:abuse-monitor:problem:precondition-failed',
      currentVersion: 2,
    });
    // The same stale version in the body is a conflict, as before.
    expectProblem(await act(t.analyst, flag.id, 'warn', 1), 409);
  });

  it('marks API answers nosniff and no-store, while the console keeps its own caching', async () => {
    for (const response of [
      await api.get('/api/v1/flags', t.analyst),
      await api.get('/api/v1/flags', null),
      await api.get('/health/live'),
    ]) {
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
    const page = await api.get('/console/');
    expect(page.status).toBe(200);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('cache-control')).not.toBe('no-store');
  });

  it('keeps a harmless X-Request-Id and replaces any other before the audit log sees it', async () => {
    const flag = await raiseFlag(f, api, t.analyst, '+84987000304', 31);
    const hostile = `x${'y'.repeat(100)}<script>`;
    const claimed = await api.post(
      `/api/v1/flags/${flag.id}/assign`,
      t.analyst,
      { version: flag.version },
      { 'x-request-id': hostile },
    );
    const replaced = claimed.headers.get('x-request-id');
    expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await api.post(
      `/api/v1/flags/${flag.id}/actions`,
      t.analyst,
      { action: 'dismiss', note: 'x', version: claimed.body.version },
      { 'x-request-id': 'desk-7.call:42' },
    );
    expect(kept.headers.get('x-request-id')).toBe('desk-7.call:42');
    const audit = await api.get(`/api/v1/audit?targetType=flag&targetId=${flag.id}`, t.admin);
    expect(audit.body.items.map((e: Json) => e.requestId)).toEqual(['desk-7.call:42', replaced]);
    expect(audit.text).not.toContain('<script>');
  });
});

describe('token names and lifetimes', () => {
  const harness = new Harness();
  let f: IngestFixture;
  let api: ApiClient;
  let admin: string;
  const adminCli = (args: string[]) => runCli('admin', args, { DATABASE_URL: f.db.appUrl });

  beforeAll(async () => {
    f = await harness.fixture('apitokens');
    api = await startApi(harness, f);
    admin = (await createToken(f.db.url, 'root', 'admin')).secret;
  });
  afterAll(async () => {
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it("never gives a revoked token's name to a new one, through the API or the CLI", async () => {
    const first = await api.post('/api/v1/tokens', admin, { name: 'lan.nguyen', role: 'analyst' });
    expect(first.status).toBe(201);
    expect((await api.post(`/api/v1/tokens/${first.body.id}/revoke`, admin)).status).toBe(200);
    const again = await api.post('/api/v1/tokens', admin, { name: 'lan.nguyen', role: 'analyst' });
    expectProblem(again, 409);
    expect(again.body.detail).toContain('never reused');
    const fromCli = await adminCli(['create-token', '--name', 'lan.nguyen', '--role', 'analyst']);
    expect(fromCli.code).toBe(1);
    expect(fromCli.stdout).toBe('');
    const lookAlike = await adminCli(['create-token', '--name', 'lаn.nguyen', '--role', 'analyst']);
    expect(lookAlike.code).toBe(2);
    expect(lookAlike.stderr).toContain('--name: 1 to 64 of a-z, 0-9');
    expect(
      await f.db.query(`SELECT count(*)::int AS n FROM api_tokens WHERE name LIKE 'l%n.nguyen'`),
    ).toEqual([{ n: 1 }]);
  });

  it('refuses an expired token like a revoked one and shows every expiry', async () => {
    const created = await api.post('/api/v1/tokens', admin, {
      name: 'contractor',
      role: 'analyst',
      expiresIn: '90m',
    });
    expect(created.status).toBe(201);
    const expiresIn = Date.parse(created.body.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(89 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(90 * 60_000);
    expect((await api.get('/api/v1/flags', created.body.secret)).status).toBe(200);

    await f.db.query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      created.body.id,
    ]);
    const refused = await api.get('/api/v1/flags', created.body.secret);
    expectProblem(refused, 401);
    const listed = await api.get('/api/v1/tokens', admin);
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({ name: 'contractor', revokedAt: null, expiresAt: expect.any(String) }),
    );
    expect(listed.body.items).toContainEqual(expect.objectContaining({ name: 'root', expiresAt: null }));
  });

  it('issues a token with --expires-in from the CLI, lists its expiry, and revokes it by name', async () => {
    const created = await adminCli([
      'create-token',
      '--name',
      'local-admin-1',
      '--role',
      'admin',
      '--expires-in',
      '30d',
    ]);
    expect(created.code).toBe(0);
    expect(created.stderr).toMatch(/\(admin\), expires \d{4}-\d{2}-\d{2}T/);
    const secret = created.stdout.trim();
    expect((await api.get('/api/v1/tokens', secret)).status).toBe(200);
    const [row] = await f.db.query<{ days: number }>(
      `SELECT round(extract(epoch FROM expires_at - now()) / 86400)::int AS days FROM api_tokens WHERE name = 'local-admin-1'`,
    );
    expect(row.days).toBe(30);

    const listed = await adminCli(['list-tokens']);
    expect(listed.stdout).toMatch(/live +local-admin-1 +last used \S+ +expires \d{4}-\d{2}-\d{2}T/);
    expect(listed.stdout).toMatch(/root +last used \S+ +expires never/);

    const badLifetime = await adminCli([
      'create-token',
      '--name',
      'x',
      '--role',
      'admin',
      '--expires-in',
      'forever',
    ]);
    expect(badLifetime.code).toBe(2);
    expect(badLifetime.stderr).toContain('--expires-in');

    const revoked = await adminCli(['revoke-token', '--name', 'local-admin-1']);
    expect(revoked.code).toBe(0);
    expectProblem(await api.get('/api/v1/tokens', secret), 401);
  });
});
