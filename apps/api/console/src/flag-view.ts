import { ApiError } from './api-client.ts';
import { offeredCommands, OfferedCommands } from './commands.ts';
import type { Child } from './dom.ts';
import { append, h, onSubmit, show } from './dom.ts';
import { formatTime, nationalNumber, ruleSentence } from './format.ts';
import type { Screen } from './screen.ts';
import { notOursToShow } from './screen.ts';
import type { Counters, FlagDetail, HistoryEntry, Report, Sources } from './types.ts';
import { label } from './vocabulary.ts';

/**
 * One flag: why it was raised, the reports behind it, everything that happened to it, and the
 * decisions the analyst may take. A decision carries the version shown, so a flag that changed in
 * the meantime is shown again rather than overwritten.
 */
export async function renderFlag(screen: Screen, id: string): Promise<void> {
  show(screen.view, h('p', { class: 'status', attrs: { role: 'status' } }, 'Loading…'));
  try {
    const flag = await screen.session.api.get<FlagDetail>(`/api/v1/flags/${id}`);
    if (screen.current()) showFlag(screen, flag, null);
  } catch (error) {
    if (notOursToShow(screen, error)) return;
    const text =
      error instanceof ApiError && error.status === 404
        ? `There is no flag ${id}.`
        : (error as Error).message;
    show(screen.view, backLink(), h('p', { class: 'status error', attrs: { role: 'alert' } }, text));
  }
}

type Notice = { kind: 'done' | 'error'; text: string } | null;

function noticeOf(notice: NonNullable<Notice>): HTMLElement {
  return h(
    'p',
    { class: `notice ${notice.kind}`, attrs: { role: notice.kind === 'error' ? 'alert' : 'status' } },
    notice.text,
  );
}

/**
 * Sends one command on the flag, with the version shown. While it runs every control of the panel
 * is disabled, so a second click sends nothing. On success the flag is drawn as the API returned
 * it; on a refusal the forms stay as the analyst filled them, with the reason above them.
 */
type Run = (command: 'assign' | 'actions', body: object, done: string) => Promise<void>;

function runner(screen: Screen, flag: FlagDetail, panel: HTMLElement, notices: HTMLElement): Run {
  return async (command, body, done) => {
    const enabled = [
      ...panel.querySelectorAll<
        HTMLButtonElement | HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement
      >('button, input, select, textarea'),
    ].filter((c) => !c.disabled);
    for (const c of enabled) c.disabled = true;
    try {
      const after = await screen.session.api.post<FlagDetail>(
        `/api/v1/flags/${flag.id}/${command}`,
        body,
        flag.version,
      );
      if (screen.current()) showFlag(screen, after, { kind: 'done', text: done });
    } catch (error) {
      if (notOursToShow(screen, error)) return;
      if (error instanceof ApiError && error.isVersionConflict) return showChangedMeanwhile(screen, flag);
      for (const c of enabled) c.disabled = false;
      show(notices, noticeOf({ kind: 'error', text: `Nothing was changed. ${(error as Error).message}` }));
    }
  };
}

/** The analyst decided on a version that has changed since: show what it is now, and who changed it. */
async function showChangedMeanwhile(screen: Screen, seen: FlagDetail): Promise<void> {
  try {
    const now = await screen.session.api.get<FlagDetail>(`/api/v1/flags/${seen.id}`);
    if (!screen.current()) return;
    const who = now.history[now.history.length - 1]?.actor ?? 'someone';
    const text =
      who === screen.session.me.name
        ? 'Nothing was changed now: a change of yours (a second click, or another tab) had already changed this flag. It is shown as it is now.'
        : `Nothing was changed: ${who} changed this flag while you were deciding. It is shown again as it is now; read it and decide again.`;
    showFlag(screen, now, { kind: 'error', text });
  } catch (error) {
    if (notOursToShow(screen, error)) return;
    showFlag(screen, seen, {
      kind: 'error',
      text: `Nothing was changed: the flag changed meanwhile, and reading it again failed. ${(error as Error).message}`,
    });
  }
}

function showFlag(screen: Screen, flag: FlagDetail, notice: Notice): void {
  const notices = h('div', { class: 'notices' }, notice && noticeOf(notice));
  show(
    screen.view,
    backLink(),
    h(
      'h1',
      null,
      `Flag ${flag.id}: ${nationalNumber(flag.reportedNumber)} `,
      h('span', { class: `badge severity-${flag.severity}` }, label(flag.severity)),
    ),
    summary(flag),
    notices,
    commandsPanel(screen, flag, notices),
    whyFlagged(flag),
    flag.counters && countersSection(flag.counters),
    reportsSection(flag.recentReports),
    historySection(flag.history),
  );
}

function backLink(): HTMLElement {
  return h('p', null, h('a', { attrs: { href: '#/queue' } }, '← Review queue'));
}

function summary(flag: FlagDetail): HTMLElement {
  const item = (term: string, value: Child) => [h('dt', null, term), h('dd', null, value ?? '–')];
  const kind = [flag.numberType && label(flag.numberType), flag.carrier && label(flag.carrier)].filter(
    Boolean,
  );
  return h(
    'dl',
    { class: 'summary' },
    ...item('Number', `${flag.reportedNumber} (${kind.join(', ') || 'unknown type'})`),
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

function commandsPanel(screen: Screen, flag: FlagDetail, notices: HTMLElement): HTMLElement {
  const offered = offeredCommands(flag, screen.session.me);
  const panel = h(
    'section',
    { class: 'commands', attrs: { 'aria-label': 'Decide' } },
    h('h2', null, 'Decide'),
  );
  const run = runner(screen, flag, panel, notices);
  const forms: Child[] = [offered.why && h('p', { class: 'muted' }, offered.why)];
  if (offered.claim)
    forms.push(
      h(
        'button',
        {
          attrs: { type: 'button' },
          on: { click: () => void run('assign', {}, 'You are now reviewing this flag.') },
        },
        flag.status === 'in_review' ? 'Take over the review' : 'Claim for review',
      ),
    );
  if (offered.assignToOthers) forms.push(assignForm(run));
  if (offered.actions.length > 0 || offered.dismiss) forms.push(decisionForm(flag, run, offered));
  if (offered.reopen) forms.push(reopenForm(run));
  append(panel, forms);
  return panel;
}

function noteField(name: string, text: string): HTMLLabelElement {
  return h(
    'label',
    { class: 'block' },
    text,
    h('textarea', { attrs: { name, required: true, maxlength: 2000, rows: 2 } }),
  );
}

function assignForm(run: Run): HTMLFormElement {
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
  return onSubmit(form, (data) => {
    const assignee = String(data.get('assignee') ?? '').trim();
    void run('assign', { assignee }, `Assigned to ${assignee}.`);
  });
}

function decisionForm(flag: FlagDetail, run: Run, offered: OfferedCommands): HTMLFormElement {
  const choices = [...offered.actions, ...(offered.dismiss ? ['dismiss'] : [])];
  const mayAllowlist = offered.allowlistOnDismiss;
  const reason = h('input', { attrs: { name: 'allowlistReason', maxlength: 500 } });
  const owner = h('input', { attrs: { name: 'allowlistOwner', maxlength: 100 } });
  const allowlist = h('input', { attrs: { type: 'checkbox', name: 'allowlist' } });
  const allowlistFields = h(
    'fieldset',
    { attrs: { hidden: true } },
    h('legend', null, 'Also allowlist the number (never flag it again)'),
    h('label', null, allowlist, ' Allowlist'),
    h('label', { class: 'block' }, 'Reason', reason),
    h('label', { class: 'block' }, 'Owner of the number', owner),
  );
  // Nothing is chosen for the analyst: every choice but dismissal is enforced on a subscriber.
  const select = h(
    'select',
    { attrs: { name: 'action', required: true } },
    h('option', { attrs: { value: '', disabled: true, selected: true } }, 'Choose…'),
    ...choices.map((a) =>
      h('option', { attrs: { value: a } }, label(a) + (a === flag.recommendedAction ? ' (recommended)' : '')),
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
  const form = h(
    'form',
    { attrs: { 'aria-label': 'Decision' } },
    h('label', { class: 'block' }, 'Decision', select),
    noteField('note', 'Note for the audit trail (required)'),
    allowlistFields,
    h('button', { attrs: { type: 'submit' } }, 'Record the decision'),
  );
  sync();
  return onSubmit(form, (data) => {
    const action = String(data.get('action'));
    const body: Record<string, unknown> = { action, note: String(data.get('note') ?? '') };
    if (action === 'dismiss' && mayAllowlist && allowlist.checked)
      body.allowlist = { reason: reason.value, owner: owner.value };
    void run('actions', body, `Recorded: ${label(action)}.`);
  });
}

function reopenForm(run: Run): HTMLFormElement {
  const form = h(
    'form',
    { attrs: { 'aria-label': 'Reopen' } },
    noteField('note', 'Why reopen it (required)'),
    h('button', { attrs: { type: 'submit' } }, 'Reopen'),
  );
  return onSubmit(
    form,
    (data) => void run('actions', { action: 'reopen', note: String(data.get('note') ?? '') }, 'Reopened.'),
  );
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
    evidence?.cap && h('p', { class: 'warning' }, `${evidence.cap.explanation}.`),
    sourcesParagraph(flag.sources),
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

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Agents are named: the reviewer must see when one person's typing is all the evidence. */
function sourcesParagraph(sources: Sources): HTMLElement {
  const agents = sources.agents.map((a) => `${a.agentId} (${plural(a.reports, 'report', 'reports')})`);
  return h(
    'p',
    null,
    `Sources: ${plural(sources.smsReporters, 'SMS reporter', 'SMS reporters')}; ` +
      (agents.length === 0 ? 'no hotline agent.' : `hotline reports entered by ${agents.join(', ')}.`),
    sources.singleSource && h('span', { class: 'warning' }, ` ${sources.singleSource}.`),
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
      ['Received', 'Reporter', 'Channel', 'Agent', 'Kind', 'Category', 'Content', 'Weight'],
      reports.map((r) => [
        formatTime(r.receivedAt),
        r.reporter,
        r.shortCode ? `${label(r.channel)} ${r.shortCode}` : label(r.channel),
        r.agentId ?? h('span', { class: 'muted' }, '–'),
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
