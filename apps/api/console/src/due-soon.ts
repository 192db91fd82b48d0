import { h, show } from './dom.ts';
import { t, tn } from './i18n.ts';
import { DEFAULT_FILTER, routeHash } from './routes.ts';
import type { DueWithin } from './routes.ts';
import type { Screen } from './screen.ts';
import type { DueSoon } from './types.ts';

/** What the warning says: the overdue flags, and the nearest wave ahead (the hour, else 4 hours). */
export interface DueSoonNotice {
  overdue: number;
  wave: { within: DueWithin; count: number } | null;
}

export function dueSoonNotice(due: Pick<DueSoon, 'overdue' | 'within1h' | 'within4h'>): DueSoonNotice | null {
  const wave =
    due.within1h > 0
      ? { within: '1h' as const, count: due.within1h }
      : due.within4h > 0
        ? { within: '4h' as const, count: due.within4h }
        : null;
  if (due.overdue === 0 && wave === null) return null;
  return { overdue: due.overdue, wave };
}

/**
 * Above the queue: how many flags are overdue and how many go overdue soon, each with a link to
 * the queue that shows them (GET /api/v1/flags/due-soon). Says nothing when nothing is due, and
 * nothing when it cannot be read: the queue below still shows the SLAs.
 */
export async function dueSoonWarning(screen: Screen, into: HTMLElement): Promise<void> {
  let due: DueSoon;
  try {
    due = await screen.session.api.get<DueSoon>('/api/v1/flags/due-soon');
  } catch {
    return;
  }
  if (!screen.current()) return;
  const notice = dueSoonNotice(due);
  if (!notice) return show(into);
  const queue = { ...DEFAULT_FILTER, severities: screen.filter.severities };
  show(
    into,
    h(
      'section',
      { class: 'notice error', attrs: { 'aria-label': t('due.region') } },
      notice.overdue > 0 &&
        h(
          'p',
          null,
          tn('due.overdue', notice.overdue),
          ' ',
          h(
            'a',
            { attrs: { href: routeHash({ page: 'queue', filter: { ...queue, overdueOnly: true } }) } },
            t('due.showOverdue'),
          ),
        ),
      notice.wave &&
        h(
          'p',
          null,
          tn(notice.wave.within === '1h' ? 'due.within1h' : 'due.within4h', notice.wave.count),
          ' ',
          h(
            'a',
            { attrs: { href: routeHash({ page: 'queue', filter: { ...queue, due: notice.wave.within } }) } },
            t('due.show'),
          ),
        ),
    ),
  );
}
