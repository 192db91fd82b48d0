import { ApiError } from './api-client.ts';
import type { Session } from './session.ts';

/**
 * Where a page draws, for whom, and whether it still should: an answer that arrives after the
 * analyst moved to another page or signed out must not draw over what is there now.
 */
export interface Screen {
  view: HTMLElement;
  session: Session;
  current(): boolean;
}

/**
 * A failure the page must not show: the analyst has moved on, or the token was refused and the
 * session has already sent them to sign in.
 */
export function notOursToShow(screen: Screen, error: unknown): boolean {
  return !screen.current() || (error instanceof ApiError && error.tokenRefused);
}
