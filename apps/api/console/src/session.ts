import { Api } from './api-client.ts';
import type { Me } from './types.ts';

/**
 * Who is signed in. The token lives in sessionStorage: it survives a reload of the tab and is gone
 * when the tab closes; it is never put in a URL, where logs and browser history would keep it.
 */

const TOKEN_KEY = 'abuse-monitor.console.token';

export interface Session {
  api: Api;
  me: Me;
}

/** Checks the token with the API; throws ApiError when it is refused. onRevoked: refused later. */
export async function signIn(token: string, onRevoked: () => void): Promise<Session> {
  let signedIn = false;
  const api = new Api(token, () => {
    if (signedIn) onRevoked();
  });
  const me = await api.get<Me>('/api/v1/me');
  signedIn = true;
  sessionStorage.setItem(TOKEN_KEY, token);
  return { api, me };
}

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function signOut(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}
