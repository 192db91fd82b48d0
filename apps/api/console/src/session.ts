import { Api, ApiError, send } from './api-client.ts';
import type { Me, SessionView } from './types.ts';
import { t } from './i18n.ts';
import { PERMISSIONS } from './vocabulary.ts';

/**
 * Who is signed in (decision 0052). The bearer token is sent once, to POST /api/v1/session, and
 * then forgotten: the API answers with an HttpOnly, SameSite=Strict session cookie that every tab
 * of the browser shares, and a CSRF token this page keeps in memory only (a new tab asks for it
 * again with GET /api/v1/session). Nothing of the session is in sessionStorage, localStorage or a
 * URL, where a script or a log could read it.
 */

export interface Session {
  api: Api;
  me: Me;
}

/** The API's answer to /me, or null when it is not one (the console would misbehave on it). */
export function asMe(value: unknown): Me | null {
  if (typeof value !== 'object' || value === null) return null;
  const { name, role, permissions } = value as Record<string, unknown>;
  if (typeof name !== 'string' || typeof role !== 'string' || !Array.isArray(permissions)) return null;
  const known = permissions.filter((p): p is Me['permissions'][number] =>
    (PERMISSIONS as readonly unknown[]).includes(p),
  );
  return { name, role, permissions: known };
}

/** The CSRF token of a session answer, or null when the answer holds no cookie session. */
export function csrfOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const session = (value as Partial<SessionView>).session;
  if (typeof session !== 'object' || session === null) return null;
  return typeof session.csrfToken === 'string' && session.csrfToken.length > 0 ? session.csrfToken : null;
}

function notASession(): ApiError {
  return new ApiError(200, { title: t('problem.notApi'), detail: t('problem.noMe') });
}

function sessionFrom(answer: unknown, onEnded: () => void): Session | null {
  const me = asMe(answer);
  const csrf = csrfOf(answer);
  if (!me || !csrf) return null;
  let live = true;
  const api = new Api(csrf, () => {
    // Once: several requests in flight may all come back 401.
    if (!live) return;
    live = false;
    onEnded();
  });
  return { api, me };
}

/**
 * The session this browser already has (signed in in another tab, or before a reload), or null
 * when it has none or it has ended. Throws ApiError when the API could not say (no answer, 5xx).
 */
export async function resumeSession(onEnded: () => void): Promise<Session | null> {
  let answer: unknown;
  try {
    answer = await send<unknown>('GET', '/api/v1/session');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
  const session = sessionFrom(answer, onEnded);
  if (!session) throw notASession();
  return session;
}

/**
 * Exchanges the token for a session; throws ApiError when it is refused. The cookie is checked
 * with a second request: a browser that would not keep it (the console served over plain http
 * with a Secure cookie) must be told so here, not by a 401 on the first click.
 */
export async function signIn(token: string, onEnded: () => void): Promise<Session> {
  const started = await send<unknown>('POST', '/api/v1/session', { bearer: token });
  if (!sessionFrom(started, () => undefined)) throw notASession();
  const kept = await resumeSession(onEnded);
  if (!kept) throw new ApiError(0, { title: t('signIn.noCookie'), detail: t('signIn.noCookieDetail') });
  return kept;
}

/** Ends this browser's session (every tab of it), or with `everywhere` every session of the token. */
export async function signOut(session: Session, everywhere: boolean): Promise<number> {
  const ended = await session.api.delete<{ sessionsEnded?: unknown }>(
    everywhere ? '/api/v1/sessions' : '/api/v1/session',
  );
  return typeof ended.sessionsEnded === 'number' ? ended.sessionsEnded : 0;
}
