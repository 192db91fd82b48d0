import { ApiError } from './api-client.ts';
import { offeredCommands, OfferedCommands } from './commands.ts';
import type { Child } from './dom.ts';
import { append, h, onSubmit, show } from './dom.ts';
import { flagKindBadge } from './flag-kind-badge.ts';
import { countersSection, historySection, reportsSection, summaryLine } from './evidence.ts';
import { setFlash, takeFlash } from './flash.ts';
import type { Flash } from './flash.ts';
import { formatTime, nationalNumber, ruleSentence } from './format.ts';
import { t, tn } from './i18n.ts';
import { neighbour } from './keyboard.ts';
import { flagsRequest, routeHash } from './routes.ts';
import type { Screen } from './screen.ts';
import { notOursToShow } from './screen.ts';
import type { FlagDetail, FlagSummary, Page, Sources } from './types.ts';
import { label } from './vocabulary.ts';

/**
 * One flag: the evidence on the left, the decision and the history on the right, on one screen at
 * 1280x800. A decision carries the version shown, so a flag that changed in the meantime is shown
 * again rather than overwritten; "record and open next" moves on in the analyst's queue.
 */
export async function renderFlag(screen: Screen, id: string): Promise<void> {
  document.title = t('title.loading');
  show(screen.view, h('p', { class: 'status', attrs: { role: 'status' } }, t('queue.loading')));
  screen.keys.next = () => void go(screen, id, 1);
  screen.keys.previous = () => void go(screen, id, -1);
  try {
    const flag = await screen.session.api.get<FlagDetail>(`/api/v1/flags/${id}`);
    if (screen.current()) showFlag(screen, flag, takeFlash(), '');
  } catch (error) {
    if (notOursToShow(screen, error)) return;
    const text =
      error instanceof ApiError && error.status === 404
        ? t('flag.missing', { id })
        : (error as Error).message;
    show(
      screen.view,
      backLink(screen),
      h('h1', { attrs: { tabindex: -1 } }, t('flag.heading', { id, number: '' })),
      h('p', { class: 'status error', attrs: { role: 'alert' } }, text),
    );
    screen.arrived();
  }
}

/** The flag after or before this one in the analyst's queue, as it is now; null at its end. */
async function neighbourOf(screen: Screen, id: string, step: 1 | -1): Promise<string | null> {
  // The first hundred are what an analyst works through; the claim-next endpoint will replace this.
  const page = await screen.session.api.get<Page<FlagSummary>>(
    flagsRequest(screen.filter, screen.session.me.name, null, 100),
  );
  return neighbour(
    page.items.map((flag) => String(flag.id)),
    id,
    step,
  );
}

async function go(screen: Screen, id: string, step: 1 | -1, flash: Flash | null = null): Promise<void> {
  try {
    const next = await neighbourOf(screen, id, step);
    if (!screen.current()) return;
    if (flash) setFlash(flash);
    if (next !== null) location.hash = routeHash({ page: 'flag', id: next, filter: screen.filter });
    else if (flash) location.hash = routeHash({ page: 'queue', filter: screen.filter });
    else {
      const notices = screen.view.querySelector('.notices');
      if (notices) show(notices, noticeOf({ kind: 'done', text: t('flag.noNext') }));
    }
  } catch (error) {
    if (notOursToShow(screen, error)) return;
    const notices = screen.view.querySelector('.notices');
    if (notices) show(notices, noticeOf({ kind: 'error', text: (error as Error).message }));
  }
}

function noticeOf(notice: Flash): HTMLElement {
  return h(
    'p',
    { class: `notice ${notice.kind}`, attrs: { role: notice.kind === 'error' ? 'alert' : 'status' } },
    notice.text,
  );
}

/**
 * Sends one command on the flag, with the version shown. While it runs every control of the panel
 * is disabled, so a second click sends nothing. On success the flag is drawn as the API returned
 * it, or the next flag opens; on a refusal the forms stay as the analyst filled them.
 */
type Run = (
  command: 'assign' | 'actions',
  body: object,
  done: string,
  then?: 'stay' | 'next',
) => Promise<void>;

function runner(screen: Screen, flag: FlagDetail, panel: HTMLElement, notices: HTMLElement): Run {
  return async (command, body, done, then = 'stay') => {
    const enabled = [
      ...panel.querySelectorAll<
        HTMLButtonElement | HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement
      >('button, input, select, textarea'),
    ].filter((c) => !c.disabled);
    const draft = panel.querySelector<HTMLTextAreaElement>('textarea[name="note"]')?.value ?? '';
    for (const c of enabled) c.disabled = true;
    try {
      const after = await screen.session.api.post<FlagDetail>(
        `/api/v1/flags/${flag.id}/${command}`,
        body,
        flag.version,
      );
      if (!screen.current()) return;
      if (then === 'next')
        return go(screen, String(flag.id), 1, {
          kind: 'done',
          text: t('decide.recordedOn', { id: flag.id, action: done }),
        });
      showFlag(
        screen,
        after,
        { kind: 'done', text: command === 'actions' ? t('decide.recorded', { action: done }) : done },
        '',
      );
    } catch (error) {
      if (notOursToShow(screen, error)) return;
      if (error instanceof ApiError && error.isVersionConflict)
        return showChangedMeanwhile(screen, flag, draft);
      for (const c of enabled) c.disabled = false;
      show(
        notices,
        noticeOf({ kind: 'error', text: t('decide.refused', { detail: (error as Error).message }) }),
      );
      notices.querySelector<HTMLElement>('[role="alert"]')?.focus();
    }
  };
}

/** The analyst decided on a version that has changed since: show what it is now, who changed it, and keep the note. */
async function showChangedMeanwhile(screen: Screen, seen: FlagDetail, draft: string): Promise<void> {
  try {
    const now = await screen.session.api.get<FlagDetail>(`/api/v1/flags/${seen.id}`);
    if (!screen.current()) return;
    const who = now.history[now.history.length - 1]?.actor ?? t('decide.someone');
    const text = who === screen.session.me.name ? t('decide.changedByYou') : t('decide.changedBy', { who });
    showFlag(screen, now, { kind: 'error', text }, draft);
  } catch (error) {
    if (notOursToShow(screen, error)) return;
    showFlag(
      screen,
      seen,
      { kind: 'error', text: t('decide.changedUnread', { detail: (error as Error).message }) },
      draft,
    );
  }
}

function showFlag(screen: Screen, flag: FlagDetail, notice: Flash | null, draft: string): void {
  const number = nationalNumber(flag.reportedNumber);
  document.title = t('title.flag', { id: flag.id, number });
  const notices = h('div', { class: 'notices' }, notice && noticeOf(notice));
  const panel = commandsPanel(screen, flag, notices, draft);
  show(
    screen.view,
    h(
      'nav',
      { class: 'flag-nav', attrs: { 'aria-label': t('queue.heading') } },
      backLink(screen),
      h(
        'button',
        { attrs: { type: 'button' }, on: { click: () => void go(screen, String(flag.id), -1) } },
        t('flag.previous'),
      ),
      h(
        'button',
        { attrs: { type: 'button' }, on: { click: () => void go(screen, String(flag.id), 1) } },
        t('flag.next'),
      ),
    ),
    h(
      'h1',
      { attrs: { tabindex: -1 } },
      t('flag.heading', { id: flag.id, number }),
      ' ',
      h('span', { class: `badge severity-${flag.severity}` }, label(flag.severity)),
      flagKindBadge(flag),
    ),
    summaryLine(flag.counters),
    notices,
    h(
      'div',
      { class: 'flag-layout' },
      h(
        'div',
        { class: 'evidence' },
        whyFlagged(flag),
        reportsSection(flag.recentReports),
        flag.counters && countersSection(flag.counters),
        facts(flag),
      ),
      h('div', { class: 'side' }, panel, historySection(flag.history)),
    ),
  );
  // The decision first; where there is none, what the panel offers instead (reopen, claim).
  screen.keys.decide = () =>
    ['select', 'textarea', 'button']
      .map((tag) => panel.querySelector<HTMLElement>(`${tag}:not(:disabled)`))
      .find(Boolean)
      ?.focus();
  screen.arrived();
}

function backLink(screen: Screen): HTMLElement {
  return h('a', { attrs: { href: routeHash({ page: 'queue', filter: screen.filter }) } }, t('flag.back'));
}

function facts(flag: FlagDetail): HTMLElement {
  const item = (term: string, value: Child) => [h('dt', null, term), h('dd', null, value ?? '–')];
  const kind = [flag.numberType && label(flag.numberType), flag.carrier && label(flag.carrier)].filter(
    Boolean,
  );
  return h(
    'section',
    { attrs: { 'aria-labelledby': 'facts-heading' } },
    h('h2', { attrs: { id: 'facts-heading' } }, t('flag.facts')),
    h(
      'dl',
      { class: 'summary' },
      ...item(t('fact.number'), `${flag.reportedNumber} (${kind.join(', ') || t('fact.unknownType')})`),
      ...item(t('fact.status'), label(flag.status)),
      ...item(t('fact.assignee'), flag.assignee),
      ...item(t('fact.recommended'), label(flag.recommendedAction)),
      ...item(t('fact.taken'), flag.takenAction && label(flag.takenAction)),
      ...item(t('fact.opened'), formatTime(flag.openedAt)),
      ...item(t('fact.lastChange'), formatTime(flag.lastChangeAt)),
      ...item(
        t('fact.overdue'),
        flag.overdueSince && t('fact.overdueSince', { time: formatTime(flag.overdueSince) }),
      ),
      ...item(t('fact.version'), flag.version),
    ),
  );
}

function commandsPanel(screen: Screen, flag: FlagDetail, notices: HTMLElement, draft: string): HTMLElement {
  const offered = offeredCommands(flag, screen.session.me);
  const panel = h(
    'section',
    { class: 'commands', attrs: { 'aria-labelledby': 'decide-heading' } },
    h('h2', { attrs: { id: 'decide-heading' } }, t('decide.heading')),
  );
  const run = runner(screen, flag, panel, notices);
  const forms: Child[] = [offered.why && h('p', { class: 'muted' }, offered.why)];
  if (offered.claim)
    forms.push(
      h(
        'button',
        { attrs: { type: 'button' }, on: { click: () => void run('assign', {}, t('decide.claimed')) } },
        flag.status === 'in_review' ? t('decide.takeOver') : t('decide.claim'),
      ),
    );
  if (offered.assignToOthers) forms.push(assignForm(run));
  if (offered.actions.length > 0 || offered.dismiss) forms.push(decisionForm(flag, run, offered, draft));
  if (offered.reopen) forms.push(reopenForm(run));
  append(panel, forms);
  return panel;
}

function noteField(name: string, text: string, draft: string): HTMLLabelElement {
  const field = h('textarea', { attrs: { name, required: true, maxlength: 2000, rows: 2 } });
  // Kept after a conflict: the analyst reads the flag again, not retypes the reasoning.
  field.value = draft;
  return h('label', { class: 'block' }, text, field);
}

function assignForm(run: Run): HTMLFormElement {
  const form = h(
    'form',
    { class: 'inline', attrs: { 'aria-label': t('decide.assignForm') } },
    h(
      'label',
      null,
      `${t('decide.assignTo')} `,
      h('input', { attrs: { name: 'assignee', required: true, maxlength: 64, autocomplete: 'off' } }),
    ),
    h('button', { attrs: { type: 'submit' } }, t('decide.assign')),
  );
  return onSubmit(form, (data) => {
    const assignee = String(data.get('assignee') ?? '').trim();
    void run('assign', { assignee }, t('decide.assigned', { name: assignee }));
  });
}

function decisionForm(flag: FlagDetail, run: Run, offered: OfferedCommands, draft: string): HTMLFormElement {
  const choices = [...offered.actions, ...(offered.dismiss ? ['dismiss'] : [])];
  const mayAllowlist = offered.allowlistOnDismiss;
  const reason = h('input', { attrs: { name: 'allowlistReason', maxlength: 500 } });
  const owner = h('input', { attrs: { name: 'allowlistOwner', maxlength: 100 } });
  const allowlist = h('input', { attrs: { type: 'checkbox', name: 'allowlist' } });
  const allowlistFields = h(
    'fieldset',
    { attrs: { hidden: true } },
    h('legend', null, t('decide.allowlistLegend')),
    h('label', null, allowlist, ` ${t('decide.allowlist')}`),
    h('label', { class: 'block' }, t('decide.reason'), reason),
    h('label', { class: 'block' }, t('decide.owner'), owner),
  );
  // Nothing is chosen for the analyst: every choice but dismissal is enforced on a subscriber.
  const select = h(
    'select',
    { attrs: { name: 'action', required: true } },
    h('option', { attrs: { value: '', disabled: true, selected: true } }, t('decide.choose')),
    ...choices.map((a) =>
      h(
        'option',
        { attrs: { value: a } },
        a === flag.recommendedAction ? t('decide.recommended', { label: label(a) }) : label(a),
      ),
    ),
  );
  const sync = () => {
    allowlistFields.hidden = !(mayAllowlist && select.value === 'dismiss');
    const needed = !allowlistFields.hidden && allowlist.checked;
    reason.required = needed;
    owner.required = needed;
  };
  select.addEventListener('change', sync);
  allowlist.addEventListener('change', sync);
  const next = h('button', { attrs: { type: 'submit', value: 'next' } }, t('decide.recordNext'));
  const note = noteField('note', t('decide.note'), draft);
  note.querySelector('textarea')?.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit(next);
    }
  });
  const form = h(
    'form',
    { attrs: { 'aria-label': t('decide.form') } },
    h('label', { class: 'block' }, t('decide.decision'), select),
    note,
    allowlistFields,
    h(
      'div',
      { class: 'buttons' },
      next,
      h('button', { attrs: { type: 'submit', value: 'stay' } }, t('decide.record')),
    ),
  );
  sync();
  return onSubmit(form, (data, submitter) => {
    const action = String(data.get('action'));
    const body: Record<string, unknown> = { action, note: String(data.get('note') ?? '') };
    if (action === 'dismiss' && mayAllowlist && allowlist.checked)
      body.allowlist = { reason: reason.value, owner: owner.value };
    void run('actions', body, label(action), submitter === next ? 'next' : 'stay');
  });
}

function reopenForm(run: Run): HTMLFormElement {
  const form = h(
    'form',
    { attrs: { 'aria-label': t('decide.reopenForm') } },
    noteField('note', t('decide.reopenNote'), ''),
    h('button', { attrs: { type: 'submit' } }, t('decide.reopen')),
  );
  return onSubmit(
    form,
    (data) =>
      void run('actions', { action: 'reopen', note: String(data.get('note') ?? '') }, t('decide.reopened')),
  );
}

function whyFlagged(flag: FlagDetail): HTMLElement {
  const rule = flag.rule;
  const evidence = flag.evidence;
  return h(
    'section',
    { attrs: { 'aria-labelledby': 'why-heading' } },
    h('h2', { attrs: { id: 'why-heading' } }, t('why.heading')),
    rule
      ? h(
          'p',
          null,
          t('why.rule', {
            id: rule.id,
            version: rule.version,
            name: rule.name,
            sentence: ruleSentence(rule),
            severity: label(rule.severity),
            action: label(rule.action),
          }),
          !rule.enabled && t('why.ruleDisabled'),
        )
      : h('p', null, t('why.ruleOnly', { id: flag.ruleId, version: flag.ruleVersion })),
    evidence &&
      h(
        'p',
        null,
        tn('why.fired', evidence.reportsBehind, {
          measured: evidence.measured,
          threshold: evidence.threshold,
        }),
      ),
    evidence?.cap && h('p', { class: 'warning' }, `${evidence.cap.explanation}.`),
    sourcesParagraph(flag.sources),
    flag.possiblyCoordinated &&
      h(
        'p',
        { class: 'warning' },
        t('why.coordinated', {
          share:
            flag.coordinationShare === null
              ? t('why.coordinatedMuch')
              : `${Math.round(flag.coordinationShare * 100)} %`,
        }),
      ),
    flag.countsReportsAfter &&
      h('p', { class: 'muted' }, t('why.countsAfter', { time: formatTime(flag.countsReportsAfter) })),
  );
}

/** Agents are named: the reviewer must see when one person's typing is all the evidence. */
function sourcesParagraph(sources: Sources): HTMLElement {
  const agents = sources.agents.map((a) => tn('why.agent', a.reports, { agent: a.agentId }));
  return h(
    'p',
    null,
    t('why.sources', {
      sms: tn('why.smsReporters', sources.smsReporters),
      agents: agents.length === 0 ? t('why.noAgent') : t('why.agents', { agents: agents.join(', ') }),
    }),
    sources.singleSource && h('span', { class: 'warning' }, ` ${sources.singleSource}.`),
  );
}
