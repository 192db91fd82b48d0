import { DataSource } from 'typeorm';
import type { Role } from '@abuse-monitor/domain';
import { dataSourceOptions, TokensRepository } from '@abuse-monitor/persistence';
import { AppProcess } from './app-process';
import { Harness, IngestFixture } from './ingest-fixture';
import { freePort } from './tcp-proxy';

/** Response bodies as tests read them: by path, after the API validated them against its schemas. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type Json = any;

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  contentType: string;
  body: T;
  text: string;
}

export interface ApiRequest {
  token?: string | null;
  body?: unknown;
  /** Sent as is, for broken JSON and other bytes. */
  rawBody?: string;
  headers?: Record<string, string>;
}

/** A running API process and a small HTTP client for it. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly process: AppProcess,
  ) {}

  async request<T = Json>(method: string, path: string, options: ApiRequest = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      headers['content-type'] = 'application/json';
    const response = await fetch(this.baseUrl + path, { method, headers, body });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    let parsed: unknown = text;
    if (contentType.includes('json') && text) parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, contentType, body: parsed as T, text };
  }

  get<T = Json>(path: string, token?: string | null, headers?: Record<string, string>) {
    return this.request<T>('GET', path, { token, headers });
  }

  post<T = Json>(path: string, token: string | null, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, { token, body, headers });
  }
}

/** Starts the compiled API on a free port against the fixture's database and topics. */
export async function startApi(
  harness: Harness,
  fixture: IngestFixture,
  env: Record<string, string> = {},
): Promise<ApiClient> {
  const port = await freePort();
  const process = harness.start('api', {
    ...fixture.env,
    API_PORT: String(port),
    API_HOST: '127.0.0.1',
    // Tests send many refused requests from one address on purpose; the limit has its own test.
    API_FAILED_AUTH_PER_MINUTE: '100000',
    ...env,
  });
  await process.waitForLog(/listening on http/);
  return new ApiClient(`http://127.0.0.1:${port}`, process);
}

/** Issues a token straight in the database (the admin CLI and the tokens API have their own tests). */
export async function createToken(
  databaseUrl: string,
  name: string,
  role: Role,
): Promise<{ id: string; secret: string }> {
  const dataSource = new DataSource({
    ...dataSourceOptions({ url: databaseUrl, poolSize: 1 }),
    logging: false,
  });
  await dataSource.initialize();
  try {
    const { token, secret } = await new TokensRepository().create(
      { name, role, createdBy: 'test' },
      dataSource.manager,
    );
    return { id: token.id, secret };
  } finally {
    await dataSource.destroy();
  }
}

export type RoleTokens = Record<Role, string>;

/** One live token per role, named after the role. */
export async function tokensForEveryRole(databaseUrl: string): Promise<RoleTokens> {
  const entries = await Promise.all(
    (['agent', 'analyst', 'supervisor', 'admin'] as const).map(
      async (role) => [role, (await createToken(databaseUrl, role, role)).secret] as const,
    ),
  );
  return Object.fromEntries(entries) as RoleTokens;
}

/** Expects an RFC 9457 problem with this status. */
export function expectProblem(response: ApiResponse, status: number): void {
  if (response.status !== status || !response.contentType.startsWith('application/problem+json'))
    throw new Error(
      `expected a ${status} problem, got ${response.status} ${response.contentType}: ${response.text}`,
    );
  const body = response.body as Record<string, unknown>;
  if (
    body.status !== status ||
    typeof body.title !== 'string' ||
    typeof body.detail !== 'string' ||
    typeof body.type !== 'string'
  )
    throw new Error(`not a problem document: ${response.text}`);
}
