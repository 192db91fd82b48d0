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
