import { ApiError } from './api-client.ts';
import { appealPath, appealsRequest, APPEAL_STATUSES } from './appeal-routes.ts';
import type { AppealQuery, AppealStatus } from './appeal-routes.ts';
import { h, onSubmit, show } from './dom.ts';
import { formatTime, nationalNumber } from './format.ts';
import { t } from './i18n.ts';
import { routeHash } from './routes.ts';
import type { Screen } from './screen.ts';
import { notOursToShow } from './screen.ts';
import type { Me } from './types.ts';
import { label } from './vocabulary.ts';

/**
 * The appeal pages (decision 0064): the appeal queue and one appeal with its decision, for
 * supervisors (analysts read them), and the page where an agent looks a number up and records the
 * subscriber's appeal. Each shows only what the role may do; the API checks everything again.
 */

export { APPEAL_STATUSES };
export const APPEAL_CHANNELS = ['phone_call', 'shop', 'email', 'web_form', 'letter'] as const;
const APPEAL_DECISIONS = ['uphold', 'reverse'] as const;
/** How long a reversal may allowlist the number for, offered as whole days (the API allows a year). */
const ALLOWLIST_DAYS = [30, 90, 180, 365] as const;
const PAGE_SIZE = 25;
const STATEMENT_MAX = 2000;

export interface Appeal {
  id: number;
  version: number;
  flagId: number;
  reportedNumber: string;
  statement: string;
  channel: string;
  appealedAction: string | null;
  recordedBy: string;
  receivedAt: string;
  dueAt: string;
  overdue: boolean;
  status: AppealStatus;
  decidedBy: string | null;
  decidedAt: string | null;
  note: string | null;
}

interface AppealWithFlag extends Appeal {
  flag: { id: number; version: number; status: string; takenAction: string | null };
}

interface AppealDecided {
  appeal: Appeal;
  flag: { id: number; status: string; takenAction: string | null };
  events: { eventId: string; type: string; topic: string }[];
  allowlisted: { pattern: string; until: string | null } | null;
}

interface Appealable {
  reportedNumber: string;
  flag: {
    id: number;
    takenAction: string | null;
    actionedAt: string;
    pendingAppeal: { id: number; receivedAt: string; dueAt: string } | null;
  } | null;
}

export const mayRecordAppeals = (me: Pick<Me, 'permissions'>) => me.permissions.includes('appeals:record');
export const mayReadAppeals = (me: Pick<Me, 'permissions'>) => me.permissions.includes('appeals:read');
export const mayDecideAppeals = (me: Pick<Me, 'permissions'>) => me.permissions.includes('appeals:decide');

function notice(kind: 'done' | 'error', text: string): HTMLParagraphElement {
  return h('p', { class: `notice ${kind}`, attrs: { role: kind === 'error' ? 'alert' : 'status' } }, text);
}

function failure(error: unknown): string {
  return (error as Error).message;
}

// ------------------------------------------------------------------------------------------------
// The appeal queue

export async function renderAppeals(screen: Screen, query: AppealQuery): Promise<void> {
  const { view, session } = screen;
  document.title = t('title.appeals');
  const status = h('p', { class: 'status', attrs: { role: 'status' } }, t('appeals.loading'));
  show(
    view,
    h('h1', { attrs: { tabindex: -1 } }, t('appeals.heading')),
    h('p', { class: 'muted' }, t('appeals.explain')),
    filterForm(screen, query),
    status,
  );
  screen.arrived();
  let page: { items: Appeal[]; nextCursor: string | null };
  try {
    page = await session.api.get(appealsRequest(query, PAGE_SIZE));
  } catch (error) {
    if (notOursToShow(screen, error)) return;
    status.replaceWith(notice('error', t('appeals.failed', { detail: failure(error) })));
    return;
  }
  if (!screen.current()) return;
  if (page.items.length === 0) {
    status.replaceWith(h('p', { class: 'notice done', attrs: { role: 'status' } }, t('appeals.none')));
    return;
  }
  status.remove();
  const nav = (cursor: string | null, text: string) =>
    h(
      'a',
      {
        class: 'header-link',
        attrs: { href: appealPath({ page: 'appeals', query: { ...query, cursor }, filter: screen.filter }) },
      },
      text,
    );
  view.append(
    h(
      'div',
      { class: 'scroll', attrs: { tabindex: 0, role: 'group', 'aria-label': t('appeals.table') } },
      h(
        'table',
        { class: 'appeals', attrs: { 'aria-label': t('appeals.table') } },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            ...(
              [
                'appeals.col.number',
                'appeals.col.action',
                'appeals.col.channel',
                'appeals.col.received',
                'appeals.col.due',
                'appeals.col.status',
              ] as const
            ).map((key) => h('th', { attrs: { scope: 'col' } }, t(key))),
          ),
        ),
        h('tbody', null, ...page.items.map((appeal) => appealRow(appeal, screen))),
      ),
    ),
    h(
      'p',
      { class: 'pager' },
      query.cursor !== null && nav(null, t('appeals.first')),
      query.cursor !== null && page.nextCursor !== null && ' ',
      page.nextCursor !== null && nav(page.nextCursor, t('appeals.next')),
    ),
  );
}

function filterForm(screen: Screen, query: AppealQuery): HTMLFormElement {
  const select = h(
    'select',
    { attrs: { id: 'appeal-status', name: 'status' } },
    ...[...APPEAL_STATUSES, 'all' as const].map((value) =>
      h(
        'option',
        { attrs: { value, selected: (query.status ?? 'all') === value } },
        value === 'all' ? t('appeals.status.all') : label(value),
      ),
    ),
  );
  const form = h(
    'form',
    { class: 'filters', attrs: { 'aria-label': t('appeals.filter') } },
    h('label', { attrs: { for: 'appeal-status' } }, t('appeals.status')),
    select,
    h(
      'label',
      null,
      h('input', { attrs: { type: 'checkbox', name: 'overdue', checked: query.overdueOnly } }),
      ` ${t('appeals.overdueOnly')}`,
    ),
    h('button', { attrs: { type: 'submit' } }, t('appeals.apply')),
  );
  return onSubmit(form, (data) => {
    const chosen = String(data.get('status') ?? 'pending');
    const next: AppealQuery = {
      status: APPEAL_STATUSES.find((s) => s === chosen) ?? null,
      overdueOnly: data.get('overdue') !== null,
      cursor: null,
    };
    location.hash = appealPath({ page: 'appeals', query: next, filter: screen.filter });
  });
}

function appealRow(appeal: Appeal, screen: Screen): HTMLTableRowElement {
  return h(
    'tr',
    { attrs: { 'data-appeal': appeal.id } },
    h(
      'th',
      { attrs: { scope: 'row' } },
      h(
        'a',
        { attrs: { href: appealPath({ page: 'appeal', id: String(appeal.id), filter: screen.filter }) } },
        nationalNumber(appeal.reportedNumber),
      ),
    ),
    h('td', null, appeal.appealedAction ? label(appeal.appealedAction) : '–'),
    h('td', null, label(appeal.channel)),
    h('td', null, formatTime(appeal.receivedAt)),
    h(
      'td',
      null,
      formatTime(appeal.dueAt),
      appeal.overdue && ' ',
      appeal.overdue && h('span', { class: 'badge overdue' }, t('appeals.overdue')),
    ),
    h('td', null, label(appeal.status)),
  );
}

// ------------------------------------------------------------------------------------------------
// One appeal, and its decision

export async function renderAppeal(
  screen: Screen,
  id: string,
  flash: HTMLElement | null = null,
): Promise<void> {
  const { view, session } = screen;
  document.title = t('title.loading');
  const status = h('p', { class: 'status', attrs: { role: 'status' } }, t('appeal.loading'));
  show(view, status);
  let appeal: AppealWithFlag;
  try {
    appeal = await session.api.get<AppealWithFlag>(`/api/v1/appeals/${id}`);
  } catch (error) {
    if (notOursToShow(screen, error)) return;
    show(
      view,
      h('h1', { attrs: { tabindex: -1 } }, t('appeals.heading')),
      notice('error', t('appeal.failed', { id, detail: failure(error) })),
    );
    screen.arrived();
    return;
  }
  if (!screen.current()) return;
  const number = nationalNumber(appeal.reportedNumber);
  document.title = t('title.appeal', { id: appeal.id, number });
  const facts: [string, Node | string][] = [
    [t('appeal.action'), appeal.appealedAction ? label(appeal.appealedAction) : '–'],
    [t('appeal.channel'), label(appeal.channel)],
    [t('appeal.recordedBy'), appeal.recordedBy],
    [t('appeal.received'), formatTime(appeal.receivedAt)],
    [
      t('appeal.due'),
      h(
        'span',
        null,
        formatTime(appeal.dueAt),
        appeal.overdue && ' ',
        appeal.overdue && h('span', { class: 'badge overdue' }, t('appeals.overdue')),
      ),
    ],
    [t('appeal.status'), label(appeal.status)],
    [
      t('appeal.flag'),
      session.me.permissions.includes('flags:read')
        ? h(
            'a',
            {
              attrs: { href: routeHash({ page: 'flag', id: String(appeal.flag.id), filter: screen.filter }) },
            },
            t('appeal.openFlag', { id: appeal.flag.id, status: label(appeal.flag.status) }),
          )
        : t('appeal.openFlag', { id: appeal.flag.id, status: label(appeal.flag.status) }),
    ],
  ];
  if (appeal.decidedBy && appeal.decidedAt)
    facts.push([
      t('appeal.decided'),
      t('appeal.decidedBy', { name: appeal.decidedBy, time: formatTime(appeal.decidedAt) }),
    ]);
  if (appeal.note !== null) facts.push([t('appeal.note'), appeal.note]);
  show(
    view,
    h('h1', { attrs: { tabindex: -1 } }, t('appeal.heading', { id: appeal.id, number })),
    flash,
    h('h2', null, t('appeal.statement')),
    h('blockquote', { class: 'statement' }, appeal.statement),
    h('h2', null, t('appeal.facts')),
    h(
      'dl',
      { class: 'facts' },
      ...facts.flatMap(([term, value]) => [h('dt', null, term), h('dd', null, value)]),
    ),
    appeal.status === 'pending' && mayDecideAppeals(session.me) && decisionForm(screen, appeal),
  );
  screen.arrived();
}

function decisionForm(screen: Screen, appeal: AppealWithFlag): HTMLFormElement {
  const result = h('div', { attrs: { 'aria-live': 'polite' } });
  const allowlistFields = h(
    'fieldset',
    { class: 'allowlist' },
    h('legend', null, t('appeal.allowlist')),
    h(
      'label',
      { class: 'block' },
      t('appeal.allowlistDays'),
      h(
        'select',
        { attrs: { name: 'days' } },
        h('option', { attrs: { value: '' } }, '–'),
        ...ALLOWLIST_DAYS.map((days) => h('option', { attrs: { value: days } }, String(days))),
      ),
    ),
    h(
      'label',
      { class: 'block' },
      t('appeal.allowlistReason'),
      h('input', { attrs: { name: 'allowlistReason', maxlength: 500, autocomplete: 'off' } }),
    ),
    h(
      'label',
      { class: 'block' },
      t('appeal.allowlistOwner'),
      h('input', { attrs: { name: 'allowlistOwner', maxlength: 100, autocomplete: 'off' } }),
    ),
  );
  const form = h(
    'form',
    { class: 'appeal-decision', attrs: { 'aria-labelledby': 'appeal-decide-heading' } },
    h('h2', { attrs: { id: 'appeal-decide-heading' } }, t('appeal.decide')),
    h(
      'fieldset',
      null,
      h('legend', null, t('appeal.decision')),
      ...APPEAL_DECISIONS.map((decision) =>
        h(
          'label',
          { class: 'choice' },
          h('input', { attrs: { type: 'radio', name: 'decision', value: decision, required: true } }),
          ` ${t(decision === 'uphold' ? 'appeal.uphold' : 'appeal.reverse')}`,
        ),
      ),
    ),
    h(
      'label',
      { class: 'block' },
      t('appeal.noteLabel'),
      h('textarea', { attrs: { name: 'note', required: true, maxlength: 2000, rows: 3 } }),
    ),
    allowlistFields,
    h('button', { attrs: { type: 'submit' } }, t('appeal.submit')),
    result,
  );
  return onSubmit(form, (data, submitter) => {
    const decision = String(data.get('decision') ?? '');
    const days = Number(data.get('days') || 0);
    const body: Record<string, unknown> = { decision, note: String(data.get('note') ?? '') };
    if (decision === 'reverse' && days > 0)
      body.allowlist = {
        reason: String(data.get('allowlistReason') ?? ''),
        owner: String(data.get('allowlistOwner') ?? ''),
        until: new Date(Date.now() + days * 86_400_000).toISOString(),
      };
    if (submitter instanceof HTMLButtonElement) submitter.disabled = true;
    show(result, h('p', { class: 'status', attrs: { role: 'status' } }, t('appeal.deciding')));
    screen.session.api
      .post<AppealDecided>(`/api/v1/appeals/${appeal.id}/decisions`, body, appeal.version)
      .then(
        (done) => {
          if (!screen.current()) return;
          const event = done.events[0];
          const said =
            done.appeal.status === 'reversed' && event
              ? t('appeal.reversed', {
                  action: label(appeal.appealedAction ?? ''),
                  event: `${event.type} (${event.eventId})`,
                  topic: event.topic,
                })
              : t('appeal.upheld');
          const flash = h(
            'div',
            { class: 'notice done', attrs: { role: 'status' } },
            h('p', null, said),
            done.allowlisted?.until &&
              h('p', null, t('appeal.allowlisted', { until: formatTime(done.allowlisted.until) })),
          );
          void renderAppeal(screen, String(appeal.id), flash);
        },
        (error: unknown) => {
          if (notOursToShow(screen, error)) return;
          if (error instanceof ApiError && error.isVersionConflict) {
            void renderAppeal(screen, String(appeal.id), notice('error', t('appeal.stale')));
            return;
          }
          if (submitter instanceof HTMLButtonElement) submitter.disabled = false;
          show(result, notice('error', t('appeal.refused', { detail: failure(error) })));
        },
      );
  });
}

// ------------------------------------------------------------------------------------------------
// Recording an appeal (agents)

export async function renderRecordAppeal(screen: Screen, number: string | null): Promise<void> {
  const { view, session } = screen;
  document.title = t('title.recordAppeal');
  const lookup = h(
    'form',
    { class: 'search', attrs: { role: 'search', 'aria-label': t('record.lookup') } },
    h('label', { attrs: { for: 'appeal-number' } }, t('record.number')),
    h('input', {
      attrs: {
        id: 'appeal-number',
        name: 'number',
        type: 'search',
        required: true,
        maxlength: 40,
        autocomplete: 'off',
        value: number ?? '',
      },
    }),
    h('button', { attrs: { type: 'submit' } }, t('record.lookUp')),
  );
  onSubmit(lookup, (data) => {
    const typed = String(data.get('number') ?? '').trim();
    if (typed) location.hash = appealPath({ page: 'record-appeal', number: typed, filter: screen.filter });
  });
  const below = h('div', null);
  show(
    view,
    h('h1', { attrs: { tabindex: -1 } }, t('record.heading')),
    h('p', { class: 'muted' }, t('record.explain')),
    lookup,
    below,
  );
  screen.arrived();
  if (number === null) return;
  show(below, h('p', { class: 'status', attrs: { role: 'status' } }, t('record.looking')));
  let found: Appealable;
  try {
    found = await session.api.get<Appealable>(
      `/api/v1/appealable-flags?number=${encodeURIComponent(number)}`,
    );
  } catch (error) {
    if (notOursToShow(screen, error)) return;
    show(below, notice('error', t('record.lookupFailed', { detail: failure(error) })));
    return;
  }
  if (!screen.current()) return;
  const shown = nationalNumber(found.reportedNumber);
  const flag = found.flag;
  if (flag === null) return show(below, notice('done', t('record.noAction', { number: shown })));
  const action = h(
    'p',
    { class: 'notice error' },
    t('record.action', {
      number: shown,
      action: label(flag.takenAction ?? ''),
      since: formatTime(flag.actionedAt),
    }),
  );
  if (flag.pendingAppeal !== null) {
    const pending = flag.pendingAppeal;
    return show(
      below,
      action,
      h(
        'p',
        { class: 'notice done' },
        t('record.pending', { received: formatTime(pending.receivedAt), due: formatTime(pending.dueAt) }),
        mayReadAppeals(session.me) && ' ',
        mayReadAppeals(session.me) &&
          h(
            'a',
            {
              attrs: { href: appealPath({ page: 'appeal', id: String(pending.id), filter: screen.filter }) },
            },
            `#${pending.id}`,
          ),
      ),
    );
  }
  show(below, action, recordForm(screen, flag.id));
}

function recordForm(screen: Screen, flagId: number): HTMLFormElement {
  const result = h('div', { attrs: { 'aria-live': 'polite' } });
  const form = h(
    'form',
    { class: 'appeal-record', attrs: { 'aria-labelledby': 'appeal-record-heading' } },
    h('h2', { attrs: { id: 'appeal-record-heading' } }, t('record.form')),
    h(
      'label',
      { class: 'block' },
      t('record.statement'),
      h('textarea', { attrs: { name: 'statement', required: true, maxlength: STATEMENT_MAX, rows: 5 } }),
    ),
    h(
      'label',
      { class: 'block' },
      t('record.channel'),
      h(
        'select',
        { attrs: { name: 'channel', required: true } },
        ...APPEAL_CHANNELS.map((channel) => h('option', { attrs: { value: channel } }, label(channel))),
      ),
    ),
    h('button', { attrs: { type: 'submit' } }, t('record.submit')),
    result,
  );
  return onSubmit(form, (data, submitter) => {
    const body = {
      statement: String(data.get('statement') ?? ''),
      channel: String(data.get('channel') ?? ''),
    };
    if (submitter instanceof HTMLButtonElement) submitter.disabled = true;
    show(result, h('p', { class: 'status', attrs: { role: 'status' } }, t('record.recording')));
    screen.session.api.post<Appeal>(`/api/v1/flags/${flagId}/appeals`, body).then(
      (appeal) => {
        if (!screen.current()) return;
        const said = t('record.recorded', { id: appeal.id, due: formatTime(appeal.dueAt) });
        form.replaceWith(
          h(
            'p',
            { class: 'notice done', attrs: { role: 'status' } },
            said,
            mayReadAppeals(screen.session.me) && ' ',
            mayReadAppeals(screen.session.me) &&
              h(
                'a',
                {
                  attrs: {
                    href: appealPath({ page: 'appeal', id: String(appeal.id), filter: screen.filter }),
                  },
                },
                `#${appeal.id}`,
              ),
          ),
        );
      },
      (error: unknown) => {
        if (notOursToShow(screen, error)) return;
        if (submitter instanceof HTMLButtonElement) submitter.disabled = false;
        show(result, notice('error', t('record.refused', { detail: failure(error) })));
      },
    );
  });
}
