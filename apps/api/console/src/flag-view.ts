import { ApiError } from './api-client.ts';
import { offeredCommands } from './commands.ts';
import type { Child } from './dom.ts';
import { h, show } from './dom.ts';
import { formatTime, nationalNumber, ruleSentence } from './format.ts';
import type { Session } from './session.ts';
import type { Counters, FlagDetail, HistoryEntry, Report } from './types.ts';
import { label } from './vocabulary.ts';

/**
 * One flag: why it was raised, the reports behind it, everything that happened to it, and the
 * decisions the analyst may take. A decision carries the version shown, so a flag that changed in
 * the meantime is shown again rather than overwritten.
 */
export async function renderFlag(view: HTMLElement, session: Session, id: string): Promise<void> {
  show(view, h('p', { class: 'status', attrs: { role: 'status' } }, 'Loading…'));
  try {
    const flag = await session.api.get<FlagDetail>(`/api/v1/flags/${id}`);
    showFlag(view, session, flag, null);
  } catch (error) {
    if (error instanceof ApiError && error.tokenRefused) return;
    const text =
      error instanceof ApiError && error.status === 404
        ? `There is no flag ${id}.`
        : (error as Error).message;
    show(view, backLink(), h('p', { class: 'status error', attrs: { role: 'alert' } }, text));
  }
}

type Notice = { kind: 'done' | 'error'; text: string } | null;

function showFlag(view: HTMLElement, session: Session, flag: FlagDetail, notice: Notice): void {
  const run = async (request: () => Promise<FlagDetail>, done: string) => {
    try {
      const after = await request();
      showFlag(view, session, after, { kind: 'done', text: done });
    } catch (error) {
      if (error instanceof ApiError && error.tokenRefused) return;
      if (error instanceof ApiError && error.isVersionConflict)
        return showChangedMeanwhile(view, session, flag);
      showFlag(view, session, flag, { kind: 'error', text: (error as Error).message });
    }
  };
  show(
    view,
    backLink(),
    h(
      'h1',
      null,
      `Flag ${flag.id}: ${nationalNumber(flag.reportedNumber)} `,
      h('span', { class: `badge severity-${flag.severity}` }, label(flag.severity)),
    ),
    summary(flag),
    notice &&
      h(
        'p',
        { class: `notice ${notice.kind}`, attrs: { role: notice.kind === 'error' ? 'alert' : 'status' } },
        notice.text,
      ),
    commandsPanel(session, flag, run),
    whyFlagged(flag),
    flag.counters && countersSection(flag.counters),
    reportsSection(flag.recentReports),
    historySection(flag.history),
  );
}

/** The analyst decided on a version someone else has since changed: show what it is now, and who. */
async function showChangedMeanwhile(view: HTMLElement, session: Session, seen: FlagDetail): Promise<void> {
  try {
    const now = await session.api.get<FlagDetail>(`/api/v1/flags/${seen.id}`);
    const who = now.history[now.history.length - 1]?.actor ?? 'someone';
    showFlag(view, session, now, {
      kind: 'error',
      text: `Nothing was changed: ${who} changed this flag while you were deciding. It is shown again as it is now; read it and decide again.`,
    });
  } catch (error) {
    if (error instanceof ApiError && error.tokenRefused) return;
    showFlag(view, session, seen, {
      kind: 'error',
      text: `Nothing was changed: someone changed this flag meanwhile, and reading it again failed. ${(error as Error).message}`,
    });
  }
}

function backLink(): HTMLElement {
  return h('p', null, h('a', { attrs: { href: '#/queue' } }, '← Review queue'));
}

function summary(flag: FlagDetail): HTMLElement {
  const item = (term: string, value: Child) => [h('dt', null, term), h('dd', null, value ?? '–')];
  return h(
    'dl',
    { class: 'summary' },
    ...item(
      'Number',
      `${flag.reportedNumber} (${[flag.numberType, flag.carrier].filter(Boolean).join(', ') || 'unknown type'})`,
    ),
    ...item('Status', label(flag.status)),
    ...item('Assignee', flag.assignee),
    ...item('Recommended', label(flag.recommendedAction)),
    ...item('Action taken', flag.takenAction && label(flag.takenAction)),
    ...item('Opened', formatTime(flag.openedAt)),
    ...item('Last change', formatTime(flag.lastChangeAt)),
    ...item('Overdue', flag.overdueSince && `since ${formatTime(flag.overdueSince)}`),
    ...item('Version', flag.version),
  );
}

type Run = (request: () => Promise<FlagDetail>, done: string) => Promise<void>;

function commandsPanel(session: Session, flag: FlagDetail, run: Run): HTMLElement {
  const offered = offeredCommands(flag, session.me);
  const flagPath = `/api/v1/flags/${flag.id}`;
  const forms: Child[] = [];
  if (offered.claim)
    forms.push(
      h(
        'button',
        {
          attrs: { type: 'button' },
          on: {
            click: () =>
              void run(
                () => session.api.post<FlagDetail>(`${flagPath}/assign`, {}, flag.version),
                'You are now reviewing this flag.',
              ),
          },
        },
        flag.status === 'in_review' ? 'Take over the review' : 'Claim for review',
      ),
    );
  if (offered.assignToOthers) forms.push(assignForm(session, flag, run));
  if (offered.actions.length > 0 || offered.dismiss)
    forms.push(decisionForm(session, flag, run, offered.allowlistOnDismiss));
  if (offered.reopen) forms.push(reopenForm(session, flag, run));
  return h(
    'section',
    { class: 'commands', attrs: { 'aria-label': 'Decide' } },
    h('h2', null, 'Decide'),
    offered.why && h('p', { class: 'muted' }, offered.why),
    ...forms,
  );
}

function noteField(name: string, text: string): HTMLLabelElement {
  return h(
    'label',
    { class: 'block' },
    text,
    h('textarea', { attrs: { name, required: true, maxlength: 2000, rows: 2 } }),
  );
}

function assignForm(session: Session, flag: FlagDetail, run: Run): HTMLFormElement {
  const form = h(
    'form',
    { class: 'inline', attrs: { 'aria-label': 'Assign' } },
    h(
      'label',
      null,
      'Assign to ',
      h('input', { attrs: { name: 'assignee', required: true, maxlength: 64, autocomplete: 'off' } }),
    ),
    h('button', { attrs: { type: 'submit' } }, 'Assign'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const assignee = String(new FormData(form).get('assignee') ?? '').trim();
    void run(
      () => session.api.post<FlagDetail>(`/api/v1/flags/${flag.id}/assign`, { assignee }, flag.version),
      `Assigned to ${assignee}.`,
    );
  });
  return form;
}

function decisionForm(session: Session, flag: FlagDetail, run: Run, mayAllowlist: boolean): HTMLFormElement {
  const offered = offeredCommands(flag, session.me);
  const choices = [...offered.actions, ...(offered.dismiss ? ['dismiss'] : [])];
  const preselected = choices.includes(flag.recommendedAction) ? flag.recommendedAction : choices[0];
  const allowlistFields = h(
    'fieldset',
    { attrs: { hidden: true } },
    h('legend', null, 'Also allowlist the number (never flag it again)'),
    h('label', null, h('input', { attrs: { type: 'checkbox', name: 'allowlist' } }), ' Allowlist'),
    h(
      'label',
      { class: 'block' },
      'Reason',
      h('input', { attrs: { name: 'allowlistReason', maxlength: 500 } }),
    ),
    h(
      'label',
      { class: 'block' },
      'Owner of the number',
      h('input', { attrs: { name: 'allowlistOwner', maxlength: 100 } }),
    ),
  );
  const select = h(
    'select',
    { attrs: { name: 'action', required: true } },
    ...choices.map((a) => h('option', { attrs: { value: a, selected: a === preselected } }, label(a))),
  );
  const syncAllowlist = () => (allowlistFields.hidden = !(mayAllowlist && select.value === 'dismiss'));
  select.addEventListener('change', syncAllowlist);
  const form = h(
    'form',
    { attrs: { 'aria-label': 'Decision' } },
    h('label', { class: 'block' }, 'Decision', select),
    noteField('note', 'Note for the audit trail (required)'),
    allowlistFields,
    h('button', { attrs: { type: 'submit' } }, 'Record the decision'),
  );
  syncAllowlist();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const action = String(data.get('action'));
    const body: Record<string, unknown> = { action, note: String(data.get('note') ?? '') };
    if (action === 'dismiss' && mayAllowlist && data.has('allowlist'))
      body.allowlist = {
        reason: String(data.get('allowlistReason') ?? ''),
        owner: String(data.get('allowlistOwner') ?? ''),
      };
    void run(
      () => session.api.post<FlagDetail>(`/api/v1/flags/${flag.id}/actions`, body, flag.version),
      `Recorded: ${label(action)}.`,
    );
  });
  return form;
}

function reopenForm(session: Session, flag: FlagDetail, run: Run): HTMLFormElement {
  const form = h(
    'form',
    { attrs: { 'aria-label': 'Reopen' } },
    noteField('note', 'Why reopen it (required)'),
    h('button', { attrs: { type: 'submit' } }, 'Reopen'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const note = String(new FormData(form).get('note') ?? '');
    void run(
      () =>
        session.api.post<FlagDetail>(
          `/api/v1/flags/${flag.id}/actions`,
          { action: 'reopen', note },
          flag.version,
        ),
      'Reopened.',
    );
  });
  return form;
}

function whyFlagged(flag: FlagDetail): HTMLElement {
  const rule = flag.rule;
  const evidence = flag.evidence;
  return h(
    'section',
    { attrs: { 'aria-label': 'Why it was flagged' } },
    h('h2', null, 'Why it was flagged'),
    rule
      ? h(
          'p',
          null,
          `Rule ${rule.id}, version ${rule.version} (${rule.name}): ${ruleSentence(rule)} → ${label(rule.severity)}, recommend ${label(rule.action)}.`,
          !rule.enabled && ' This rule is now disabled.',
        )
      : h('p', null, `Rule ${flag.ruleId}, version ${flag.ruleVersion}.`),
    evidence &&
      h(
        'p',
        null,
        `When it fired: measured ${evidence.measured} against a threshold of ${evidence.threshold}, from ${evidence.reportsBehind} report${evidence.reportsBehind === 1 ? '' : 's'}.`,
      ),
    flag.possiblyCoordinated &&
      h(
        'p',
        { class: 'warning' },
        `Possibly coordinated: ${flag.coordinationShare === null ? 'much' : `${Math.round(flag.coordinationShare * 100)} %`} of the weight comes from reporters who report together again and again. Judge whether this is a campaign against a competitor before acting.`,
      ),
    flag.countsReportsAfter &&
      h(
        'p',
        { class: 'muted' },
        `Only reports after ${formatTime(flag.countsReportsAfter)} count towards this flag.`,
      ),
  );
}

function table(caption: string, head: string[], rows: Child[][]): HTMLTableElement {
  return h(
    'table',
    null,
    h('caption', null, caption),
    h('thead', null, h('tr', null, ...head.map((t) => h('th', { attrs: { scope: 'col' } }, t)))),
    h('tbody', null, ...rows.map((cells) => h('tr', null, ...cells.map((c) => h('td', null, c))))),
  );
}

function countersSection(counters: Counters): HTMLElement {
  const windows = (['1h', '24h', '7d', '30d'] as const).map((w) => [
    w,
    counters.windows[w].reports,
    counters.windows[w].distinctReporters,
  ]);
  const byKey = (counts: Record<string, { reports: number; distinctReporters: number }>) =>
    Object.entries(counts).map(([key, c]) => [label(key), c.reports, c.distinctReporters]);
  return h(
    'section',
    { attrs: { 'aria-label': 'Counters' } },
    h('h2', null, 'Counters'),
    h(
      'p',
      { class: 'muted' },
      `${counters.totalReports} reports in all since ${formatTime(counters.firstSeenAt)}; windows end at the latest report, ${formatTime(counters.countedAt)}.`,
    ),
    table('By window', ['Window', 'Reports', 'Distinct reporters'], windows),
    table('By kind, 30 days', ['Kind', 'Reports', 'Distinct reporters'], byKey(counters.byKind30d)),
    table(
      'By category, 30 days',
      ['Category', 'Reports', 'Distinct reporters'],
      byKey(counters.byCategory30d),
    ),
  );
}

function reportsSection(reports: Report[]): HTMLElement {
  return h(
    'section',
    { attrs: { 'aria-label': 'Recent reports' } },
    h('h2', null, 'Recent reports'),
    table(
      `The latest ${reports.length}`,
      ['Received', 'Reporter', 'Channel', 'Kind', 'Category', 'Content', 'Weight'],
      reports.map((r) => [
        formatTime(r.receivedAt),
        r.reporter,
        r.shortCode ? `${label(r.channel)} ${r.shortCode}` : label(r.channel),
        label(r.kind),
        label(r.category),
        r.content === null
          ? h('span', { class: 'muted' }, 'none')
          : h('span', { class: 'content' }, r.content),
        r.weighted ? 'counts' : h('span', { class: 'warning' }, 'none (suspicious reporter)'),
      ]),
    ),
  );
}

function historySection(history: HistoryEntry[]): HTMLElement {
  return h(
    'section',
    { attrs: { 'aria-label': 'History' } },
    h('h2', null, 'History'),
    table(
      'Every change, oldest first',
      ['#', 'When', 'Change', 'By', 'Status', 'Severity', 'Note'],
      history.map((e) => [
        e.sequence,
        formatTime(e.occurredAt),
        label(e.change) + (e.takenAction ? `: ${label(e.takenAction)}` : ''),
        e.actor,
        e.fromStatus ? `${label(e.fromStatus)} → ${label(e.toStatus)}` : label(e.toStatus),
        label(e.severity),
        e.note,
      ]),
    ),
  );
}
