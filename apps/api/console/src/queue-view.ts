import { fillTrends, trendSlot } from './queue-trend.ts';
import type { Screen } from './screen.ts';
import { notOursToShow } from './screen.ts';
import { h, show } from './dom.ts';
import { takeFlash } from './flash.ts';
import { appealBadge } from './appeal-badge.ts';
import { flagKindBadge } from './flag-kind-badge.ts';
import { formatTime, nationalNumber, timeAgo } from './format.ts';
import { t, tn } from './i18n.ts';
import type { MessageKey } from './i18n.ts';
import { bulkPanel } from './bulk-decisions.ts';
import type { Selection } from './bulk-decisions.ts';
import { dueSoonWarning } from './due-soon.ts';
import { DEFAULT_FILTER, dueCutoff, flagsRequest, routeHash } from './routes.ts';
import type { QueueFilter } from './routes.ts';
import type { FlagPage, FlagSummary, Page } from './types.ts';
import { FLAG_SORTS, FLAG_STATUSES, label, SEVERITIES } from './vocabulary.ts';

const PAGE_SIZE = 50;

/** How often the queue asks for new flags. It announces them; it never moves the rows under the analyst's eyes. */
export const REFRESH_MS = 30_000;

/** Where the focus goes after a filter changes: the control the analyst just ticked, not the top of the page. */
let refocus: { name: string; value: string } | null = null;

/** The review queue: flags filtered as the fragment says, a page at a time. */
export async function renderQueue(screen: Screen): Promise<void> {
  const { view, session, filter } = screen;
  document.title = t('title.queue');
  const mayAct = session.me.permissions.includes('flags:act');
  const rows = h('tbody');
  const selection: Selection = new Map();
  const bulk = mayAct ? bulkPanel(screen, rows, selection) : null;
  const selectAll = h('input', {
    attrs: { type: 'checkbox', 'aria-label': t('bulk.selectAll'), 'data-select-all': true },
  });
  selectAll.addEventListener('change', () => {
    for (const box of rows.querySelectorAll<HTMLInputElement>('input[data-select]:not(:disabled)'))
      if (box.checked !== selectAll.checked) box.click();
  });
  const warning = h('div', { class: 'due-soon' });
  const status = h('p', { class: 'status', attrs: { role: 'status' } }, t('queue.loading'));
  const more = h('button', { attrs: { type: 'button', hidden: true } }, t('queue.more'));
  const fresh = h('div', { class: 'fresh', attrs: { 'aria-live': 'polite' } });
  const flash = takeFlash();
  const notice =
    flash &&
    h(
      'p',
      {
        class: `notice ${flash.kind}`,
        attrs: { role: flash.kind === 'error' ? 'alert' : 'status', tabindex: flash.focus ? -1 : null },
      },
      flash.text,
    );
  show(
    view,
    h('h1', { attrs: { tabindex: -1 } }, t('queue.heading')),
    notice,
    warning,
    h(
      'div',
      { class: 'queue-tools' },
      mayAct &&
        h(
          'button',
          { attrs: { type: 'button', 'aria-keyshortcuts': 'n' }, on: { click: () => screen.claimNext() } },
          t('claim.button'),
        ),
      viewsNav(filter),
    ),
    filter.due &&
      h(
        'p',
        { class: 'notice' },
        t(filter.due === '1h' ? 'due.viewing1h' : 'due.viewing4h'),
        ' ',
        h(
          'a',
          { attrs: { href: routeHash({ page: 'queue', filter: { ...filter, due: null } }) } },
          t('due.all'),
        ),
      ),
    filterForm(filter),
    fresh,
    h(
      'div',
      // Wide tables scroll on their own at 400 % zoom; the page does not. Focusable, so the keyboard can scroll it.
      { class: 'scroll', attrs: { tabindex: 0, role: 'group', 'aria-label': t('queue.table') } },
      h(
        'table',
        { class: 'queue', attrs: { 'aria-label': t('queue.table') } },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            mayAct &&
              h(
                'th',
                { attrs: { scope: 'col' } },
                h('span', { class: 'visually-hidden' }, t('bulk.col')),
                selectAll,
              ),
            ...(
              [
                'queue.col.severity',
                'queue.col.number',
                'queue.col.status',
                'queue.col.recommended',
                'queue.col.reporters',
                'queue.col.opened',
                'queue.col.assignee',
                'queue.col.notes',
              ] as const
            ).map((key) => h('th', { attrs: { scope: 'col' } }, t(key))),
          ),
        ),
        rows,
      ),
    ),
    status,
    more,
    bulk?.element,
  );
  const links = () => [...rows.querySelectorAll<HTMLAnchorElement>('a[data-flag-link]')];
  const move = (step: 1 | -1) => {
    const all = links();
    const at = all.findIndex((link) => link === document.activeElement);
    const next = at === -1 ? (step === 1 ? all[0] : all[all.length - 1]) : all[at + step];
    next?.focus();
  };
  screen.keys.next = () => move(1);
  screen.keys.previous = () => move(-1);
  screen.keys.open = () => {
    const focused = links().find((link) => link === document.activeElement) ?? links()[0];
    focused?.click();
  };

  const seen = new Set<number>();
  let shown = 0;
  // Counted on the first page only; later pages answer null.
  let total: number | null = null;
  // The due-soon view is the queue cut where the SLAs end later than the horizon. In urgency
  // order (the API's for waiting flags) the SLA ends ascend, so the first flag past it ends the view.
  const due = filter.due === null ? null : dueCutoff(filter.due, Date.now());
  const inView = (flag: FlagSummary) => due === null || (!!flag.slaDueAt && Date.parse(flag.slaDueAt) <= due);
  const load = async (cursor: string | null) => {
    more.hidden = true;
    try {
      const page = await session.api.get<FlagPage>(flagsRequest(filter, session.me.name, cursor, PAGE_SIZE));
      if (!screen.current()) return;
      const now = Date.now();
      const wanted = page.items.filter(inView);
      const cut = page.sort === 'urgency' && wanted.length < page.items.length;
      for (const flag of wanted) {
        seen.add(flag.id);
        rows.appendChild(flagRow(flag, filter, now, mayAct ? selection : null, bulk?.changed));
      }
      shown += wanted.length;
      void fillTrends(
        screen,
        wanted.map((flag) => flag.reportedNumber),
        rows,
      );
      // The API's total counts the whole filter, not the cut.
      if (cursor === null) total = due === null ? page.total : null;
      status.textContent =
        shown === 0
          ? t('queue.none')
          : total !== null && total > shown
            ? tn('queue.shownOf', shown, { total })
            : tn('queue.shown', shown);
      if (page.nextCursor !== null && !cut) {
        more.hidden = false;
        more.onclick = () => void load(page.nextCursor);
      }
    } catch (error) {
      if (notOursToShow(screen, error)) return;
      status.textContent = t('queue.failed', { detail: (error as Error).message });
      status.classList.add('error');
    }
  };
  const pending = refocus;
  refocus = null;
  const control =
    pending &&
    view.querySelector<HTMLElement>(
      `[name="${pending.name}"]${pending.value ? `[value="${pending.value}"]` : ''}`,
    );
  if (control) control.focus();
  else if (notice && flash?.focus) notice.focus();
  else screen.arrived();
  void dueSoonWarning(screen, warning);
  await load(null);
  watchForNew(screen, seen, fresh, inView);
}

/** Asks now and then for the first page again and says how many flags arrived since; "Show them" redraws. */
function watchForNew(
  screen: Screen,
  seen: Set<number>,
  fresh: HTMLElement,
  inView: (flag: FlagSummary) => boolean,
): void {
  const { session, filter } = screen;
  const timer = window.setInterval(async () => {
    if (!screen.current()) return window.clearInterval(timer);
    try {
      const page = await session.api.get<Page<FlagSummary>>(
        flagsRequest(filter, session.me.name, null, PAGE_SIZE),
      );
      if (!screen.current()) return window.clearInterval(timer);
      const arrived = page.items.filter((flag) => inView(flag) && !seen.has(flag.id)).length;
      if (arrived === 0) return;
      show(
        fresh,
        h(
          'p',
          { class: 'notice done' },
          tn('queue.new', arrived),
          ' ',
          h(
            'button',
            {
              attrs: { type: 'button' },
              on: { click: () => window.dispatchEvent(new HashChangeEvent('hashchange')) },
            },
            t('queue.showNew'),
          ),
        ),
      );
    } catch {
      // A missed refresh says nothing: the next one, or the analyst's own navigation, will.
    }
  }, REFRESH_MS);
}

function flagRow(
  flag: FlagSummary,
  filter: QueueFilter,
  now: number,
  selection: Selection | null,
  changed: (() => void) | undefined,
): HTMLTableRowElement {
  const select =
    selection &&
    h(
      'td',
      null,
      h('input', {
        attrs: {
          type: 'checkbox',
          'data-select': flag.id,
          'aria-label': t('bulk.select', { id: flag.id, number: nationalNumber(flag.reportedNumber) }),
        },
        on: {
          change: (event) => {
            const box = event.target as HTMLInputElement;
            if (box.checked) selection.set(flag.id, flag);
            else selection.delete(flag.id);
            changed?.();
          },
        },
      }),
    );
  const notes = [
    flagKindBadge(flag),
    flag.overdueSince &&
      h('span', { class: 'badge overdue' }, t('queue.overdueSince', { time: formatTime(flag.overdueSince) })),
    flag.possiblyCoordinated && h('span', { class: 'badge coordinated' }, t('queue.coordinated')),
    flag.takenAction && h('span', { class: 'badge' }, t('queue.action', { action: label(flag.takenAction) })),
    appealBadge(flag),
  ];
  return h(
    'tr',
    { attrs: { 'data-flag-id': flag.id } },
    select,
    h('td', null, h('span', { class: `badge severity-${flag.severity}` }, label(flag.severity))),
    h(
      'td',
      null,
      h(
        'a',
        {
          attrs: {
            href: routeHash({ page: 'flag', id: String(flag.id), filter }),
            title: flag.reportedNumber,
            'data-flag-link': true,
          },
        },
        nationalNumber(flag.reportedNumber),
      ),
      flag.carrier && h('span', { class: 'muted' }, ` ${label(flag.carrier)}`),
    ),
    h('td', null, label(flag.status)),
    h('td', null, label(flag.recommendedAction)),
    h('td', { class: 'number' }, flag.distinctReporters24h ?? '–', trendSlot(flag.reportedNumber)),
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

/** Three queues an analyst often wants, one click away; each is an ordinary filter in the address. */
function viewsNav(filter: QueueFilter): HTMLElement {
  const views: [MessageKey, QueueFilter][] = [
    ['views.waiting', DEFAULT_FILTER],
    ['views.mine', { ...DEFAULT_FILTER, mineOnly: true }],
    // Decided flags have left the open statuses: every status, the latest first.
    ['views.decided', { ...DEFAULT_FILTER, statuses: [], decidedByMe: true, sort: 'newest' }],
  ];
  const here = routeHash({ page: 'queue', filter });
  return h(
    'nav',
    { class: 'views', attrs: { 'aria-label': t('views.nav') } },
    ...views.map(([key, view]) => {
      const href = routeHash({ page: 'queue', filter: view });
      return h('a', { attrs: { href, 'aria-current': href === here ? 'page' : null } }, t(key));
    }),
  );
}

/** Every change applies at once and goes into the address, so that the way back and a shared link keep it. */
function filterForm(filter: QueueFilter): HTMLFormElement {
  const form = h(
    'form',
    { class: 'filters', attrs: { 'aria-label': t('filter.form') } },
    h(
      'fieldset',
      null,
      h('legend', null, t('filter.status')),
      ...FLAG_STATUSES.map((s) => checkbox('status', s, filter.statuses.includes(s), label(s))),
    ),
    h(
      'fieldset',
      null,
      h('legend', null, t('filter.severity')),
      ...SEVERITIES.map((s) => checkbox('severity', s, filter.severities.includes(s), label(s))),
    ),
    h(
      'fieldset',
      null,
      h('legend', null, t('filter.only')),
      checkbox('overdue', 'true', filter.overdueOnly, t('filter.overdue')),
      checkbox('mine', 'true', filter.mineOnly, t('filter.mine')),
      checkbox('decided', 'me', filter.decidedByMe, t('filter.decidedByMe')),
      checkbox('coordinated', 'true', filter.coordinatedOnly, t('filter.coordinated')),
    ),
    h(
      'label',
      null,
      `${t('filter.order')} `,
      h(
        'select',
        { attrs: { name: 'sort' } },
        ...FLAG_SORTS.map((s) => h('option', { attrs: { value: s, selected: s === filter.sort } }, label(s))),
      ),
    ),
  );
  const apply = (changed: EventTarget | null) => {
    const data = new FormData(form);
    const values = (name: string) => data.getAll(name).map(String);
    const hash = routeHash({
      page: 'queue',
      filter: {
        statuses: FLAG_STATUSES.filter((s) => values('status').includes(s)),
        severities: SEVERITIES.filter((s) => values('severity').includes(s)),
        overdueOnly: data.has('overdue'),
        mineOnly: data.has('mine'),
        decidedByMe: data.has('decided'),
        coordinatedOnly: data.has('coordinated'),
        due: filter.due,
        sort: FLAG_SORTS.find((s) => s === data.get('sort')) ?? 'severity',
      },
    });
    if (changed instanceof HTMLInputElement || changed instanceof HTMLSelectElement)
      refocus = { name: changed.name, value: changed instanceof HTMLInputElement ? changed.value : '' };
    // The same filter again is a refresh: the address does not change, so nothing else would reload.
    if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else location.hash = hash;
  };
  form.addEventListener('change', (event) => apply(event.target));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply(null);
  });
  return form;
}
