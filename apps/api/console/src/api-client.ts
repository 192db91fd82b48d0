import { t } from './i18n.ts';

/**
 * The console's only way to the server: the same REST API as every other client. The bearer token
 * is sent once, to start a session (decision 0052); after that the browser's HttpOnly session
 * cookie signs each request, and every change carries the session's CSRF token. Refusals come
 * back as RFC 9457 problems and are thrown as ApiError.
 */

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { in?: string; field?: string; message?: string }[];
  requestId?: string;
  currentVersion?: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(describeProblem(status, problem));
    this.name = 'ApiError';
  }

  /** The session was refused (ended, expired, token revoked): onRefused has already sent the analyst to sign in. */
  get tokenRefused(): boolean {
    return this.status === 401;
  }

  /** Someone changed it since it was read: a stale If-Match (412) or a stale `version` (409). */
  get isVersionConflict(): boolean {
    return (
      (this.status === 412 && this.problem?.type === 'urn:abuse-monitor:problem:precondition-failed') ||
      (this.status === 409 && this.problem?.type === 'urn:abuse-monitor:problem:version-conflict')
    );
  }
}

/** One line an analyst can act on; for a server fault, the request id that finds it in the logs. */
export function describeProblem(status: number, problem: Problem | null): string {
  if (!problem) return t('problem.bare', { status });
  // The API's detail already names each invalid field; the list is for clients that read fields.
  const fields = problem.detail
    ? []
    : (problem.errors ?? []).map((e) => [e.field, e.message].filter(Boolean).join(': ')).filter(Boolean);
  const head =
    [problem.title, problem.detail ?? (fields.length > 0 ? fields.join('; ') : undefined)]
      .filter(Boolean)
      .join(': ') || t('problem.status', { status });
  return status >= 500 && problem.requestId
    ? t('problem.requestId', { text: head, id: problem.requestId })
    : head;
}

/** What the API's token check accepts: anything else cannot be a token, so it is not sent. */
export const TOKEN_SHAPE = /^[A-Za-z0-9_-]{1,100}$/;

/** The header the API reads the session's CSRF token from (apps/api/src/auth/session-cookie.ts). */
export const CSRF_HEADER = 'x-csrf-token';

export interface SendOptions {
  body?: unknown;
  /** The version the analyst saw, as If-Match. */
  version?: number;
  /** Only to start a session: every other request is signed by the session cookie. */
  bearer?: string;
  /** The session's CSRF token, for changes. */
  csrf?: string | null;
}

/**
 * One request to the API. The cookie goes with it (same origin only); a 401 calls `onRefused`
 * before the ApiError is thrown.
 */
export async function send<T>(
  method: string,
  path: string,
  options: SendOptions = {},
  onRefused: () => void = () => undefined,
): Promise<T> {
  const { body, version, bearer, csrf } = options;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
  if (csrf) headers[CSRF_HEADER] = csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (version !== undefined) headers['if-match'] = `"${version}"`;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (error) {
    // fetch rejects with a TypeError when no answer came; anything else is ours to report as is.
    if (error instanceof TypeError)
      throw new ApiError(0, {
        title: t('problem.noAnswer'),
        detail: t('problem.checkConnection'),
      });
    throw error;
  }
  if (response.status === 401) onRefused();
  const json = (response.headers.get('content-type') ?? '').includes('json');
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = json && text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) throw new ApiError(response.status, (parsed as Problem | undefined) ?? null);
  // A page from a proxy or a sign-on portal can come back as 200: it is not the API's answer.
  if (parsed === undefined || parsed === null || typeof parsed !== 'object')
    throw new ApiError(response.status, {
      title: t('problem.notApi'),
      detail: t('problem.notJson'),
    });
  return parsed as T;
}

/** The API as one signed-in browser session sees it. */
export class Api {
  /**
   * csrf: the session's CSRF token, sent with every change (the cookie alone would let another
   * page of the same site act). onRefused: the session stopped working (signed out in another
   * tab or everywhere, expired, or its token revoked).
   */
  constructor(
    private readonly csrf: string,
    private readonly onRefused: () => void = () => undefined,
  ) {}

  get<T>(path: string): Promise<T> {
    return send<T>('GET', path, {}, this.onRefused);
  }

  /** Changes carry the version the analyst saw, so that two people never overwrite each other. */
  post<T>(path: string, body: unknown, version?: number): Promise<T> {
    return send<T>('POST', path, { body, version, csrf: this.csrf }, this.onRefused);
  }

  patch<T>(path: string, body: unknown, version?: number): Promise<T> {
    return send<T>('PATCH', path, { body, version, csrf: this.csrf }, this.onRefused);
  }

  /** With `version`, as If-Match: an entry someone changed since it was read is not removed. */
  delete<T>(path: string, version?: number): Promise<T> {
    return send<T>('DELETE', path, { version, csrf: this.csrf }, this.onRefused);
  }
}
