import { ApiError } from './api-client.ts';
import type { QueueFilter } from './routes.ts';
import type { Session } from './session.ts';

/** What the page-specific shortcuts do on the page on screen; a page leaves out what it has not. */
export interface PageKeys {
  next?: () => void;
  previous?: () => void;
  open?: () => void;
  decide?: () => void;
}

/**
 * Where a page draws, for whom, and whether it still should: an answer that arrives after the
 * analyst moved to another page or signed out must not draw over what is there now.
 */
export interface Screen {
  view: HTMLElement;
  session: Session;
  current(): boolean;
  /** The queue the analyst works in, kept through every page. */
  filter: QueueFilter;
  /** Filled by the page for the keyboard shortcuts. */
  keys: PageKeys;
  /** Puts the focus on the page's heading, for keyboard and screen-reader users, after it is drawn. */
  arrived(): void;
  /** Claims the most urgent open flag and opens it (the shell's, shared by the button and the key). */
  claimNext(): void;
}

/**
 * A failure the page must not show: the analyst has moved on, or the token was refused and the
 * session has already sent them to sign in.
 */
export function notOursToShow(screen: Screen, error: unknown): boolean {
  return !screen.current() || (error instanceof ApiError && error.tokenRefused);
}
