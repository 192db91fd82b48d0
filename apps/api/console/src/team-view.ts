import { h, show } from './dom.ts';
import { formatTime, nationalNumber } from './format.ts';
import { t } from './i18n.ts';
import { DEFAULT_FILTER, routeHash } from './routes.ts';
import type { Screen } from './screen.ts';
import { notOursToShow } from './screen.ts';
import type { Me, TeamView } from './types.ts';
import { label } from './vocabulary.ts';

/** GET /api/v1/team needs flags:reassign: supervisors and admins. */
export function mayLeadTeam(me: Pick<Me, 'permissions'>): boolean {
  return me.permissions.includes('flags:reassign');
}

/** The supervisor's view of the team: who holds what, their workload, and what is overdue. */
export async function renderTeam(screen: Screen): Promise<void> {
  const { view, session } = screen;
  document.title = t('title.team');
  const status = h('p', { class: 'status', attrs: { role: 'status' } }, t('team.loading'));
  show(view, h('h1', { attrs: { tabindex: -1 } }, t('team.heading')), status);
  screen.arrived();
  let team: TeamView;
  try {
    team = await session.api.get<TeamView>('/api/v1/team');
  } catch (error) {
    if (notOursToShow(screen, error)) return;
    status.textContent = t('team.failed', { detail: (error as Error).message });
    status.classList.add('error');
    return;
  }
  if (!screen.current()) return;
  const { unassigned } = team;
  const openQueue = routeHash({ page: 'queue', filter: { ...DEFAULT_FILTER, statuses: ['open'] } });
  status.remove();
  view.append(
    h(
      'p',
      { class: unassigned.overdue > 0 ? 'notice error' : 'notice done' },
      t('team.unassigned', { open: unassigned.open, overdue: unassigned.overdue }),
      unassigned.oldestSlaStartedAt &&
        ` ${t('team.unassignedOldest', { since: formatTime(unassigned.oldestSlaStartedAt) })}`,
      ' ',
      h('a', { attrs: { href: openQueue } }, t('team.showUnassigned')),
    ),
    h(
      'div',
      { class: 'scroll', attrs: { tabindex: 0, role: 'group', 'aria-label': t('team.table') } },
      h(
        'table',
        { class: 'team', attrs: { 'aria-label': t('team.table') } },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            ...(
              [
                'team.col.name',
                'team.col.inReview',
                'team.col.overdue',
                'team.col.oldest',
                'team.col.flags',
              ] as const
            ).map((key) => h('th', { attrs: { scope: 'col' } }, t(key))),
          ),
        ),
        h('tbody', null, ...team.holders.map((holder) => holderRow(holder, screen))),
      ),
    ),
  );
}

function holderRow(holder: TeamView['holders'][number], screen: Screen): HTMLTableRowElement {
  const unlisted = holder.inReview - holder.flags.length;
  return h(
    'tr',
    { attrs: { 'data-holder': holder.name } },
    h(
      'th',
      { attrs: { scope: 'row' } },
      holder.name,
      !holder.canReview && h('span', { class: 'badge overdue' }, t('team.cannotReview')),
    ),
    h('td', { class: 'number' }, holder.inReview),
    h('td', { class: 'number' }, holder.overdue),
    h('td', null, holder.oldestSlaStartedAt ? formatTime(holder.oldestSlaStartedAt) : '–'),
    h(
      'td',
      null,
      holder.flags.length === 0
        ? t('team.noFlags')
        : h(
            'ul',
            { class: 'held' },
            ...holder.flags.map((flag) =>
              h(
                'li',
                null,
                h(
                  'a',
                  {
                    attrs: { href: routeHash({ page: 'flag', id: String(flag.id), filter: screen.filter }) },
                  },
                  nationalNumber(flag.reportedNumber),
                ),
                ` ${label(flag.severity)}`,
                flag.overdueSince &&
                  h(
                    'span',
                    { class: 'badge overdue' },
                    t('queue.overdueSince', { time: formatTime(flag.overdueSince) }),
                  ),
              ),
            ),
            unlisted > 0 && h('li', null, t('team.more', { count: unlisted })),
          ),
    ),
  );
}
