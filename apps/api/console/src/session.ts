import { Api, ApiError } from './api-client.ts';
import type { Me } from './types.ts';
import { t } from './i18n.ts';
import { PERMISSIONS } from './vocabulary.ts';

/**
 * Who is signed in. The token lives in sessionStorage: it survives a reload of the tab and is gone
 * when the tab closes; it is never put in a URL, where logs and browser history would keep it.
 */

const TOKEN_KEY = 'abuse-monitor.console.token';

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

/** Checks the token with the API, then keeps it; throws ApiError when it is refused. */
export async function signIn(token: string, onRevoked: () => void): Promise<Session> {
  let signedIn = false;
  const api = new Api(token, () => {
    if (signedIn) onRevoked();
  });
  const me = asMe(await api.get<unknown>('/api/v1/me'));
  if (!me)
    throw new ApiError(200, {
      title: t('problem.notApi'),
      detail: t('problem.noMe'),
    });
  sessionStorage.setItem(TOKEN_KEY, token);
  signedIn = true;
  return { api, me };
}

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function signOut(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}
