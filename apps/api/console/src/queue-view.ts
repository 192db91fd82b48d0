import type { Screen } from './screen.ts';
import { notOursToShow } from './screen.ts';
import { h, onSubmit, show } from './dom.ts';
import { formatTime, nationalNumber, timeAgo } from './format.ts';
import { flagsRequest, routeHash } from './routes.ts';
import type { QueueFilter } from './routes.ts';
import type { FlagSummary, Page } from './types.ts';
import { FLAG_SORTS, FLAG_STATUSES, label, SEVERITIES } from './vocabulary.ts';

const PAGE_SIZE = 50;

/** The review queue: flags filtered as the fragment says, a page at a time. */
export async function renderQueue(screen: Screen, filter: QueueFilter): Promise<void> {
  const { view, session } = screen;
  const rows = h('tbody');
  const status = h('p', { class: 'status', attrs: { role: 'status' } }, 'Loading…');
  const more = h('button', { attrs: { type: 'button', hidden: true } }, 'Load more');
  show(
    view,
    h('h1', null, 'Review queue'),
    filterForm(filter),
    h(
      'table',
      { class: 'queue', attrs: { 'aria-label': 'Flags' } },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ...[
            'Severity',
            'Number',
            'Status',
            'Recommended',
            'Reporters 24 h',
            'Opened',
            'Assignee',
            'Notes',
          ].map((title) => h('th', { attrs: { scope: 'col' } }, title)),
        ),
      ),
      rows,
    ),
    status,
    more,
  );

  let shown = 0;
  const load = async (cursor: string | null) => {
    more.hidden = true;
    try {
      const page = await session.api.get<Page<FlagSummary>>(
        flagsRequest(filter, session.me.name, cursor, PAGE_SIZE),
      );
      if (!screen.current()) return;
      const now = Date.now();
      for (const flag of page.items) rows.appendChild(flagRow(flag, now));
      shown += page.items.length;
      status.textContent = shown === 0 ? 'No flags match.' : `${shown} flag${shown === 1 ? '' : 's'} shown.`;
      if (page.nextCursor !== null) {
        more.hidden = false;
        more.onclick = () => void load(page.nextCursor);
      }
    } catch (error) {
      if (notOursToShow(screen, error)) return;
      status.textContent = `Could not load the queue. ${(error as Error).message}`;
      status.classList.add('error');
    }
  };
  await load(null);
}

function flagRow(flag: FlagSummary, now: number): HTMLTableRowElement {
  const notes = [
    flag.overdueSince &&
      h('span', { class: 'badge overdue' }, `Overdue since ${formatTime(flag.overdueSince)}`),
    flag.possiblyCoordinated && h('span', { class: 'badge coordinated' }, 'Possibly coordinated'),
    flag.takenAction && h('span', { class: 'badge' }, `Action: ${label(flag.takenAction)}`),
  ];
  return h(
    'tr',
    { attrs: { 'data-flag-id': flag.id } },
    h('td', null, h('span', { class: `badge severity-${flag.severity}` }, label(flag.severity))),
    h(
      'td',
      null,
      h(
        'a',
        { attrs: { href: `#/flags/${flag.id}`, title: flag.reportedNumber } },
        nationalNumber(flag.reportedNumber),
      ),
      flag.carrier && h('span', { class: 'muted' }, ` ${label(flag.carrier)}`),
    ),
    h('td', null, label(flag.status)),
    h('td', null, label(flag.recommendedAction)),
    h('td', { class: 'number' }, flag.distinctReporters24h ?? '–'),
    h(
      'td',
      null,
      h(
        'time',
        { attrs: { datetime: flag.openedAt, title: formatTime(flag.openedAt) } },
        timeAgo(flag.openedAt, now),
      ),
    ),
    h('td', null, flag.assignee ?? '–'),
    h('td', null, ...notes),
  );
}

function checkbox(name: string, value: string, checked: boolean, text: string): HTMLLabelElement {
  return h('label', null, h('input', { attrs: { type: 'checkbox', name, value, checked } }), ` ${text}`);
}

function filterForm(filter: QueueFilter): HTMLFormElement {
  const form = h(
    'form',
    { class: 'filters', attrs: { 'aria-label': 'Filter the queue' } },
    h(
      'fieldset',
      null,
      h('legend', null, 'Status (none ticked: all)'),
      ...FLAG_STATUSES.map((s) => checkbox('status', s, filter.statuses.includes(s), label(s))),
    ),
    h(
      'fieldset',
      null,
      h('legend', null, 'Severity'),
      ...SEVERITIES.map((s) => checkbox('severity', s, filter.severities.includes(s), label(s))),
    ),
    h(
      'fieldset',
      null,
      h('legend', null, 'Only'),
      checkbox('overdue', 'true', filter.overdueOnly, 'Overdue'),
      checkbox('mine', 'true', filter.mineOnly, 'Assigned to me'),
    ),
    h(
      'label',
      null,
      'Order ',
      h(
        'select',
        { attrs: { name: 'sort' } },
        ...FLAG_SORTS.map((s) => h('option', { attrs: { value: s, selected: s === filter.sort } }, label(s))),
      ),
    ),
    h('button', { attrs: { type: 'submit' } }, 'Show / refresh'),
  );
  return onSubmit(form, (data) => {
    const values = (name: string) => data.getAll(name).map(String);
    const hash = routeHash({
      page: 'queue',
      filter: {
        statuses: FLAG_STATUSES.filter((s) => values('status').includes(s)),
        severities: SEVERITIES.filter((s) => values('severity').includes(s)),
        overdueOnly: data.has('overdue'),
        mineOnly: data.has('mine'),
        sort: FLAG_SORTS.find((s) => s === data.get('sort')) ?? 'severity',
      },
    });
    // The same filter again is a refresh: the address does not change, so nothing else would reload.
    if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else location.hash = hash;
  });
}
