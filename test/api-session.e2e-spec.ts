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
      new RegExp(
        `^${COOKIE}=ams_[A-Za-z0-9_-]{43}; Path=/; Expires=[^;]+; HttpOnly; Secure; SameSite=Strict$`,
      ),
    );
    const expires = Date.parse(/Expires=([^;]+)/.exec(s.setCookie)?.[1] ?? '');
    // The cookie ends with the session (to the second), 12 hours by default.
    expect(Math.abs(expires - Date.parse(s.expiresAt))).toBeLessThan(1000);
    expect(Date.parse(s.expiresAt) - Date.now()).toBeGreaterThan(11.9 * 3_600_000);
    const secret = s.cookie.split('=')[1];
    const rows = await f.db.query<{ session_hash: string }>(`SELECT session_hash FROM api_sessions`);
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(secret);
    const audit = await f.db.query(
      `SELECT 1 FROM audit_log WHERE action = 'token.sign_in' AND actor = 'lan'`,
    );
    expect(audit.length).toBeGreaterThan(0);
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

  it('refuses a session to agents and to a request already signed in by cookie, and an unknown cookie', async () => {
    expectProblem(await api.post('/api/v1/session', agent), 403);
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
    plain = await startApi(harness, fixture, { API_SESSION_COOKIE_SECURE: 'false', API_SESSION_TTL: '90m' });
    f = fixture;
  });
  afterAll(async () => {
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it('drops Secure and the __Host- prefix, and lasts API_SESSION_TTL', async () => {
    const token = await createToken(f.db.url, 'dev', 'admin');
    const s = await signIn(token.secret, plain);
    expect(s.setCookie).toMatch(
      /^am_session=ams_[A-Za-z0-9_-]{43}; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Strict$/,
    );
    const lasts = Date.parse(s.expiresAt) - Date.now();
    expect(lasts).toBeGreaterThan(89 * 60_000);
    expect(lasts).toBeLessThanOrEqual(90 * 60_000);
    const me = await plain.request('GET', '/api/v1/me', { headers: { cookie: s.cookie } });
    expect(me.status).toBe(200);
  });
});
