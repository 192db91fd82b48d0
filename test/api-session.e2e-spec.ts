import { ApiClient, ApiResponse, createToken, expectProblem, Json, startApi } from './support/api';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { seedFlag } from './support/seed';

/** Sign-in across tabs (decision 0046): a session cookie issued for a bearer token, with CSRF checks. */

const COOKIE = '__Host-am_session';

let f: IngestFixture;
let api: ApiClient;

interface Session {
  cookie: string;
  csrf: string;
  expiresAt: string;
  setCookie: string;
}

async function signIn(token: string, client: ApiClient = api): Promise<Session> {
  const response = await client.post('/api/v1/session', token);
  if (response.status !== 201) throw new Error(`sign-in: ${response.status} ${response.text}`);
  const setCookie = response.headers.get('set-cookie') ?? '';
  const value = /^([^=]+)=([^;]+)/.exec(setCookie);
  if (!value) throw new Error(`no cookie in ${setCookie}`);
  return {
    cookie: `${value[1]}=${value[2]}`,
    csrf: response.body.session.csrfToken,
    expiresAt: response.body.session.expiresAt,
    setCookie,
  };
}

/** A request as a browser tab sends it: the cookie, no Authorization header. */
const asTab = (
  s: Session,
  method: string,
  path: string,
  extra: { body?: unknown; headers?: Record<string, string> } = {},
) => api.request(method, path, { body: extra.body, headers: { cookie: s.cookie, ...extra.headers } });

function expectOk(response: ApiResponse, status = 200): Json {
  if (response.status !== status)
    throw new Error(`expected ${status}, got ${response.status}: ${response.text}`);
  return response.body;
}

async function openFlag(number: string): Promise<number> {
  return Number(await seedFlag(f.db, { number, openedAt: new Date(Date.now() - 60_000) }));
}

describe('sign-in across tabs: sessions for a bearer token', () => {
  const harness = new Harness();
  let lan: { id: string; secret: string };
  let agent: string;

  beforeAll(async () => {
    f = await harness.fixture('apisession');
    api = await startApi(harness, f);
    lan = await createToken(f.db.url, 'lan', 'analyst');
    agent = (await createToken(f.db.url, 'agent-3', 'agent')).secret;
  });
  afterAll(async () => {
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it('sets an HttpOnly, Secure, SameSite=Strict __Host- cookie and stores only its hash', async () => {
    const s = await signIn(lan.secret);
    expect(s.setCookie).toMatch(
      new RegExp(`^${COOKIE}=ams_[A-Za-z0-9_-]{43}; Path=/; HttpOnly; Secure; SameSite=Strict$`),
    );
    // No Expires: the browser forgets the cookie when it closes; the server ends the session after
    // 12 hours by default.
    expect(Date.parse(s.expiresAt) - Date.now()).toBeGreaterThan(11.9 * 3_600_000);
    const secret = s.cookie.split('=')[1];
    const rows = await f.db.query<{ session_hash: string }>(`SELECT session_hash FROM api_sessions`);
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(secret);
    const audit = await f.db.query<{ actor_session_id: string }>(
      `SELECT actor_session_id FROM audit_log WHERE action = 'token.sign_in' AND actor = 'lan'`,
    );
    expect(audit.length).toBeGreaterThan(0);
    const [session] = await f.db.query<{ id: string }>(
      `SELECT id FROM api_sessions WHERE session_hash = encode(sha256($1::bytea), 'hex')`,
      [secret],
    );
    expect(audit.map((a) => a.actor_session_id)).toContain(session.id);
  });

  it('names the session in the audit log when a tab acts, and none when the token itself does', async () => {
    const s = await signIn(lan.secret);
    const [session] = await f.db.query<{ id: string }>(
      `SELECT id FROM api_sessions WHERE session_hash = encode(sha256($1::bytea), 'hex')`,
      [s.cookie.split('=')[1]],
    );
    const byTab = await openFlag('+84987002101');
    const byScript = await openFlag('+84987002102');
    expectOk(
      await asTab(s, 'POST', `/api/v1/flags/${byTab}/assign`, {
        body: { version: 1 },
        headers: { 'x-csrf-token': s.csrf },
      }),
    );
    expectOk(await api.post(`/api/v1/flags/${byScript}/assign`, lan.secret, { version: 1 }));
    const rows = await f.db.query<{ target_id: string; actor_session_id: string | null }>(
      `SELECT target_id, actor_session_id FROM audit_log WHERE action = 'flag.assign' AND target_id = ANY($1)`,
      [[String(byTab), String(byScript)]],
    );
    expect(Object.fromEntries(rows.map((r) => [r.target_id, r.actor_session_id]))).toEqual({
      [String(byTab)]: session.id,
      [String(byScript)]: null,
    });
    const admin = await createToken(f.db.url, 'auditor', 'admin');
    const listed = expectOk(
      await api.get(`/api/v1/audit?action=flag.assign&targetId=${byTab}`, admin.secret),
    );
    expect(listed.items[0].sessionId).toBe(session.id);
  });

  it('ends a session left unused for the idle timeout, while the token still works', async () => {
    const s = await signIn(lan.secret);
    expect(expectOk(await asTab(s, 'GET', '/api/v1/me')).name).toBe('lan');
    await f.db.query(
      `UPDATE api_sessions SET last_seen_at = now() - interval '31 minutes' WHERE session_hash = encode(sha256($1::bytea), 'hex')`,
      [s.cookie.split('=')[1]],
    );
    const idle = await asTab(s, 'GET', '/api/v1/me');
    expectProblem(idle, 401);
    expect(idle.body.detail).toContain('session has ended');
    expect(expectOk(await api.get('/api/v1/me', lan.secret)).name).toBe('lan');
  });

  it('keeps at most 10 live sessions per token, ending the oldest', async () => {
    const busy = await createToken(f.db.url, 'busy', 'analyst');
    const sessions: Session[] = [];
    for (let i = 0; i < 11; i += 1) sessions.push(await signIn(busy.secret));
    expectProblem(await asTab(sessions[0], 'GET', '/api/v1/me'), 401);
    for (const s of sessions.slice(1))
      expect(expectOk(await asTab(s, 'GET', '/api/v1/me')).name).toBe('busy');
    const rows = await f.db.query<{ ended_by: string | null }>(
      `SELECT ended_by FROM api_sessions WHERE token_id = $1 ORDER BY created_at`,
      [busy.id],
    );
    expect(rows.map((r) => r.ended_by)).toEqual(['session limit', ...Array(10).fill(null)]);
  });

  it('lets the cookie decide when the Authorization header is not a bearer token', async () => {
    const s = await signIn(lan.secret);
    const viaProxy = await asTab(s, 'GET', '/api/v1/session', {
      headers: { authorization: 'Basic cHJveHk6cHJveHk=' },
    });
    expect(expectOk(viaProxy).session).toMatchObject({ csrfToken: s.csrf });
  });

  it('acts as the token in another tab: same name and role, reads without CSRF, its CSRF token again', async () => {
    const s = await signIn(lan.secret);
    expect(expectOk(await asTab(s, 'GET', '/api/v1/me'))).toMatchObject({ name: 'lan', role: 'analyst' });
    const session = expectOk(await asTab(s, 'GET', '/api/v1/session'));
    expect(session).toMatchObject({
      name: 'lan',
      role: 'analyst',
      session: { csrfToken: s.csrf, expiresAt: s.expiresAt },
    });
    // A bearer request has no session; a bearer token wins over a cookie sent with it.
    expect(expectOk(await api.get('/api/v1/session', lan.secret)).session).toBeNull();
    expect(expectOk(await api.get('/api/v1/session', lan.secret, { cookie: s.cookie })).session).toBeNull();
  });

  it('refuses a cookie-signed change without the CSRF token, with a wrong one, or from another origin', async () => {
    const s = await signIn(lan.secret);
    const id = await openFlag('+84987002001');
    const claim = (headers: Record<string, string>) =>
      asTab(s, 'POST', `/api/v1/flags/${id}/assign`, { body: { version: 1 }, headers });
    const own = api.baseUrl;
    for (const [what, headers] of [
      ['no CSRF token', { origin: own }],
      ['a wrong CSRF token', { 'x-csrf-token': `${s.csrf.slice(0, -2)}xx`, origin: own }],
      ['another origin', { 'x-csrf-token': s.csrf, origin: 'https://evil.example' }],
      ['a cross-site fetch', { 'x-csrf-token': s.csrf, 'sec-fetch-site': 'cross-site' }],
    ] as const) {
      const refused = await claim(headers);
      try {
        expectProblem(refused, 403);
      } catch (error) {
        throw new Error(`${what}: ${(error as Error).message}`);
      }
      expect(refused.body.type).toBe('urn:abuse-monitor:problem:csrf-refused');
    }
    expect(expectOk(await api.get(`/api/v1/flags/${id}`, lan.secret))).toMatchObject({
      status: 'open',
      version: 1,
    });
    const claimed = expectOk(
      await claim({ 'x-csrf-token': s.csrf, origin: own, 'sec-fetch-site': 'same-origin' }),
    );
    expect(claimed).toMatchObject({ status: 'in_review', assignee: 'lan', version: 2 });
  });

  it('signs out this session for every tab that shares it, and leaves other sessions signed in', async () => {
    const s = await signIn(lan.secret);
    const other = await signIn(lan.secret);
    const out = await asTab(s, 'DELETE', '/api/v1/session', { headers: { 'x-csrf-token': s.csrf } });
    expect(expectOk(out)).toEqual({ sessionsEnded: 1 });
    expect(out.headers.get('set-cookie')).toMatch(new RegExp(`^${COOKIE}=;.*Expires=Thu, 01 Jan 1970`));
    // The second tab sends the same cookie: signed out too.
    const tab2 = await asTab(s, 'GET', '/api/v1/me');
    expectProblem(tab2, 401);
    expect(tab2.body.detail).toContain('session has ended');
    expect(expectOk(await asTab(other, 'GET', '/api/v1/me')).name).toBe('lan');
    // Signing out needs the CSRF token too: another site cannot sign anyone out.
    expectProblem(await asTab(other, 'DELETE', '/api/v1/session'), 403);
  });

  it('signs out everywhere at once, and the token still works', async () => {
    const sessions = [await signIn(lan.secret), await signIn(lan.secret)];
    const out = await asTab(sessions[0], 'DELETE', '/api/v1/sessions', {
      headers: { 'x-csrf-token': sessions[0].csrf },
    });
    expect(expectOk(out).sessionsEnded).toBeGreaterThanOrEqual(2);
    for (const s of sessions) expectProblem(await asTab(s, 'GET', '/api/v1/me'), 401);
    expect(expectOk(await api.get('/api/v1/me', lan.secret)).name).toBe('lan');
  });

  it('issues no token from a session: an admin must use the bearer token itself', async () => {
    const admin = await createToken(f.db.url, 'ops-admin', 'admin');
    const s = await signIn(admin.secret);
    const body = { name: 'from-a-tab', role: 'admin' };
    const refused = await asTab(s, 'POST', '/api/v1/tokens', { body, headers: { 'x-csrf-token': s.csrf } });
    expectProblem(refused, 403);
    expect(refused.text).toMatch(/bearer token itself/);
    const [{ n }] = await f.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM api_tokens WHERE name = 'from-a-tab'`,
    );
    expect(Number(n)).toBe(0);
    expectOk(await api.post('/api/v1/tokens', admin.secret, body), 201);
  });

  it('ends every session of a token when the token is revoked', async () => {
    const kim = await createToken(f.db.url, 'kim', 'supervisor');
    const admin = await createToken(f.db.url, 'root', 'admin');
    const s = await signIn(kim.secret);
    expect(expectOk(await asTab(s, 'GET', '/api/v1/me')).name).toBe('kim');
    expectOk(await api.post(`/api/v1/tokens/${kim.id}/revoke`, admin.secret));
    expectProblem(await asTab(s, 'GET', '/api/v1/me'), 401);
    const [row] = await f.db.query<{ ended_by: string }>(
      `SELECT ended_by FROM api_sessions WHERE token_id = $1`,
      [kim.id],
    );
    expect(row.ended_by).toBe('root');
  });

  it('refuses an expired session, and never lets a session outlive its token', async () => {
    const s = await signIn(lan.secret);
    await f.db.query(
      `UPDATE api_sessions SET expires_at = now() - interval '1 second', created_at = now() - interval '1 day' WHERE session_hash = encode(sha256($1::bytea), 'hex')`,
      [s.cookie.split('=')[1]],
    );
    expectProblem(await asTab(s, 'GET', '/api/v1/me'), 401);

    const brief = await createToken(f.db.url, 'brief', 'analyst');
    await f.db.query(`UPDATE api_tokens SET expires_at = now() + interval '5 minutes' WHERE id = $1`, [
      brief.id,
    ]);
    const short = await signIn(brief.secret);
    expect(Date.parse(short.expiresAt) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
  });

  it('gives agents a session (decision 0064), and refuses one to a request already signed in by cookie, and an unknown cookie', async () => {
    const agentSession = await api.post('/api/v1/session', agent);
    expect(agentSession.status).toBe(201);
    expect(agentSession.body).toMatchObject({ name: 'agent-3', role: 'agent' });
    const s = await signIn(lan.secret);
    expectProblem(await asTab(s, 'POST', '/api/v1/session', { headers: { 'x-csrf-token': s.csrf } }), 403);
    const forged = await api.get('/api/v1/me', null, { cookie: `${COOKIE}=ams_${'A'.repeat(43)}` });
    expectProblem(forged, 401);
    expect(forged.headers.get('set-cookie')).toMatch(new RegExp(`^${COOKIE}=;`));
  });

  it('counts cookie requests towards the same rate limit as the token', async () => {
    const s = await signIn(lan.secret);
    const first = await api.get('/api/v1/me', lan.secret);
    const second = await asTab(s, 'GET', '/api/v1/me');
    const remaining = (r: ApiResponse) => Number(r.headers.get('x-ratelimit-remaining'));
    expect(remaining(second)).toBe(remaining(first) - 1);
  });
});

describe('sign-in over plain http for local development', () => {
  const harness = new Harness();
  let plain: ApiClient;

  beforeAll(async () => {
    const fixture = await harness.fixture('apisessionhttp');
    plain = await startApi(harness, fixture, {
      API_SESSION_COOKIE_SECURE: 'false',
      API_SESSION_TTL: '90m',
      API_FAILED_AUTH_PER_MINUTE: '5',
    });
    f = fixture;
  });
  afterAll(async () => {
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it('drops Secure and the __Host- prefix, and lasts API_SESSION_TTL', async () => {
    const token = await createToken(f.db.url, 'dev', 'admin');
    const s = await signIn(token.secret, plain);
    expect(s.setCookie).toMatch(/^am_session=ams_[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    const lasts = Date.parse(s.expiresAt) - Date.now();
    expect(lasts).toBeGreaterThan(89 * 60_000);
    expect(lasts).toBeLessThanOrEqual(90 * 60_000);
    const me = await plain.request('GET', '/api/v1/me', { headers: { cookie: s.cookie } });
    expect(me.status).toBe(200);
  });

  it('lets live sessions through an address that keeps failing, and answers guessed cookies from memory', async () => {
    const token = await createToken(f.db.url, 'colleague', 'analyst');
    const s = await signIn(token.secret, plain);
    for (let i = 0; i < 5; i += 1)
      expectProblem(
        await plain.get('/api/v1/me', null, { cookie: `am_session=ams_${'B'.repeat(42)}${i}` }),
        401,
      );
    const guessed = await plain.get('/api/v1/me', null, { cookie: `am_session=ams_${'C'.repeat(43)}` });
    expectProblem(guessed, 429);
    const me = await plain.request('GET', '/api/v1/me', { headers: { cookie: s.cookie } });
    expect(me.status).toBe(200);
    expect(me.body.name).toBe('colleague');
  });
});
