import { DEFAULT_APPEAL_QUERY, appealPath } from './appeal-routes.ts';
import {
  mayReadAppeals,
  mayRecordAppeals,
  renderAppeal,
  renderAppeals,
  renderRecordAppeal,
} from './appeal-view.ts';
import { h } from './dom.ts';
import { t } from './i18n.ts';
import type { QueueFilter, Route } from './routes.ts';
import type { Screen } from './screen.ts';
import type { Me } from './types.ts';

/** What the shell (main.ts) needs of the appeal pages: their header links and their drawing. */

/** The links to the appeal pages the role may use: a link that can only answer 403 is noise. */
export function appealHeaderLinks(me: Pick<Me, 'permissions'>, filter: QueueFilter): HTMLAnchorElement[] {
  const links: HTMLAnchorElement[] = [];
  if (mayReadAppeals(me))
    links.push(
      h(
        'a',
        {
          class: 'header-link',
          attrs: { href: appealPath({ page: 'appeals', query: DEFAULT_APPEAL_QUERY, filter }) },
        },
        t('header.appeals'),
      ),
    );
  if (mayRecordAppeals(me))
    links.push(
      h(
        'a',
        {
          class: 'header-link',
          attrs: { href: appealPath({ page: 'record-appeal', number: null, filter }) },
        },
        t('header.recordAppeal'),
      ),
    );
  return links;
}

/**
 * Draws the route if it is an appeal page, or the queue for a role that may not read it (an
 * agent, who starts on "record an appeal"); false when the route is some other page's.
 */
export async function renderAppealPage(screen: Screen, route: Route): Promise<boolean> {
  if (route.page === 'appeals') await renderAppeals(screen, route.query);
  else if (route.page === 'appeal') await renderAppeal(screen, route.id);
  else if (route.page === 'record-appeal') await renderRecordAppeal(screen, route.number);
  else if (route.page === 'queue' && !screen.session.me.permissions.includes('flags:read'))
    await renderRecordAppeal(screen, null);
  else return false;
  return true;
}
