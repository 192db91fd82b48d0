import { activitySection } from './activity-chart.ts';
import { ApiError } from './api-client.ts';
import { offeredCommands } from './commands.ts';
import { decisionConfirmation } from './decision-outcome.ts';
import { decisionPanel } from './decision-panel.ts';
import type { PanelCommand } from './decision-panel.ts';
import type { Child } from './dom.ts';
import { h, show } from './dom.ts';
import { appealFact } from './appeal-badge.ts';
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
import { relatedList } from './related-flags.ts';
import type {
  DecisionAnswer,
  DecisionReasons,
  FlagDetail,
  FlagHistory,
  FlagSummary,
  Page,
  RelatedFlags,
  Reviewers,
  Sources,
} from './types.ts';
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
    const loaded = await load(screen, id);
    if (screen.current()) showFlag(screen, loaded, takeFlash(), '', 'heading');
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

interface Loaded {
  flag: FlagDetail;
  /** The history with holders and reasons, and the watch date; null when only the flag could be read. */
  history: FlagHistory | null;
  reasons: DecisionReasons | null;
  reasonsProblem: string | null;
  reviewers: Reviewers | null;
  reviewersProblem: string | null;
}

/** The reason lists change with a deployment, not during a sign-in: read once per session. */
const reasonLists = new WeakMap<object, Promise<DecisionReasons>>();

function reasonsOf(screen: Screen): Promise<DecisionReasons> {
  let list = reasonLists.get(screen.session);
  if (!list) {
    list = screen.session.api.get<DecisionReasons>('/api/v1/decision-reasons');
    // A failure is not remembered: the next page asks again.
    list.catch(() => reasonLists.delete(screen.session));
    reasonLists.set(screen.session, list);
  }
  return list;
}

/** What a part of the page that can do without it says instead, or a refused token, which ends everything. */
async function settled<T>(answer: Promise<T>): Promise<{ value: T | null; problem: string | null }> {
  try {
    return { value: await answer, problem: null };
  } catch (error) {
    if (error instanceof ApiError && error.tokenRefused) throw error;
    return { value: null, problem: (error as Error).message };
  }
}

/** The flag, its history, the reason codes, and (for supervisors) who may review it, read together. */
async function load(screen: Screen, id: string): Promise<Loaded> {
  const api = screen.session.api;
  const supervises = screen.session.me.permissions.includes('flags:reassign');
  const [flag, history, reasons, reviewers] = await Promise.all([
    api.get<FlagDetail>(`/api/v1/flags/${id}`),
    settled(api.get<FlagHistory>(`/api/v1/flags/${id}/history`)),
    settled(reasonsOf(screen)),
    supervises
      ? settled(api.get<Reviewers>('/api/v1/reviewers'))
      : Promise.resolve({ value: null, problem: null }),
  ]);
  return {
    flag,
    history: history.value,
    reasons: reasons.value,
    reasonsProblem: reasons.problem,
    reviewers: reviewers.value,
    reviewersProblem: reviewers.problem,
  };
}

type Send = (command: PanelCommand) => void;

/**
 * Sends one command of the panel, with the version shown. While it runs every control of the
 * panel is disabled, so a second click sends nothing. On success the flag is read again and drawn
 * with a confirmation of what the API says it did, the focus on that confirmation; or the next flag
 * opens, the confirmation on it. On a refusal the forms stay as the analyst filled them.
 */
function sender(screen: Screen, loaded: Loaded, panel: () => HTMLElement, notices: HTMLElement): Send {
  const { flag } = loaded;
  return (command) =>
    void (async () => {
      const enabled = [
        ...panel().querySelectorAll<
          HTMLButtonElement | HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement
        >('button, input, select, textarea'),
      ].filter((c) => !c.disabled);
      const draft =
        panel().querySelector<HTMLTextAreaElement>('form.decision textarea[name="note"]')?.value ?? '';
      for (const c of enabled) c.disabled = true;
      try {
        let text: string;
        let after: FlagDetail;
        if (command.kind === 'decision') {
          const answer = await screen.session.api.post<DecisionAnswer>(
            `/api/v1/flags/${flag.id}/decisions`,
            command.body,
            flag.version,
          );
          if (!screen.current()) return;
          if (command.then === 'next')
            return go(screen, String(flag.id), 1, {
              kind: 'done',
              text: decisionConfirmation(answer.outcome, flag.id),
            });
          text = decisionConfirmation(answer.outcome, null);
          after = answer.flag;
        } else {
          after = await screen.session.api.post<FlagDetail>(
            `/api/v1/flags/${flag.id}/assign`,
            command.body,
            flag.version,
          );
          text = assignedText(flag, command.to, command.body.note !== undefined);
        }
        await showAfter(screen, after, { kind: 'done', text });
      } catch (error) {
        if (notOursToShow(screen, error)) return;
        if (error instanceof ApiError && error.isVersionConflict)
          return showChangedMeanwhile(screen, loaded, draft);
        for (const c of enabled) c.disabled = false;
        show(
          notices,
          noticeOf({ kind: 'error', text: t('decide.refused', { detail: (error as Error).message }) }),
        );
        notices.querySelector<HTMLElement>('[role="alert"]')?.focus();
      }
    })();
}

function assignedText(before: FlagDetail, to: string | null, withNote: boolean): string {
  if (to === null) return t('decide.claimed');
  const moved =
    before.assignee === null
      ? t('decide.assigned', { name: to })
      : t('decide.handedOver', { from: before.assignee, to });
  return withNote ? `${moved} ${t('decide.handoverKept')}` : moved;
}

/** After a change: the flag read again whole (history, holders, the panel's lists); what the API answered if that fails. */
async function showAfter(screen: Screen, answered: FlagDetail, notice: Flash): Promise<void> {
  let loaded: Loaded;
  try {
    loaded = await load(screen, String(answered.id));
  } catch (error) {
    if (notOursToShow(screen, error)) return;
    loaded = {
      flag: answered,
      history: null,
      reasons: null,
      reasonsProblem: (error as Error).message,
      reviewers: null,
      reviewersProblem: (error as Error).message,
    };
  }
  if (screen.current()) showFlag(screen, loaded, notice, '', 'notice');
}

/** The analyst decided on a version that has changed since: show what it is now, who changed it, and keep the note. */
async function showChangedMeanwhile(screen: Screen, seen: Loaded, draft: string): Promise<void> {
  try {
    const now = await load(screen, String(seen.flag.id));
    if (!screen.current()) return;
    const who = now.flag.history[now.flag.history.length - 1]?.actor ?? t('decide.someone');
    const text = who === screen.session.me.name ? t('decide.changedByYou') : t('decide.changedBy', { who });
    showFlag(screen, now, { kind: 'error', text }, draft, 'notice');
  } catch (error) {
    if (notOursToShow(screen, error)) return;
    showFlag(
      screen,
      seen,
      { kind: 'error', text: t('decide.changedUnread', { detail: (error as Error).message }) },
      draft,
      'notice',
    );
  }
}

/**
 * Draws the flag. `focus`: the heading on arrival (a new page, or the next flag after "record and
 * open next"), the notice after an action on this flag, so that what happened is read first.
 */
function showFlag(
  screen: Screen,
  loaded: Loaded,
  notice: Flash | null,
  draft: string,
  focus: 'heading' | 'notice',
): void {
  const { flag, history } = loaded;
  const number = nationalNumber(flag.reportedNumber);
  document.title = t('title.flag', { id: flag.id, number });
  const notices = h('div', { class: 'notices' }, notice && noticeOf(notice));
  let panel: HTMLElement | null = null;
  panel = decisionPanel({
    ...loaded,
    offered: offeredCommands(flag, screen.session.me),
    draft,
    send: sender(screen, loaded, () => panel as HTMLElement, notices),
    now: () => Date.now(),
  });
  const watchUntil = flag.status === 'watched' ? (history?.watchUntil ?? null) : null;
  const related = h(
    'section',
    { class: 'related', attrs: { 'aria-labelledby': 'related-heading' } },
    h('h2', { attrs: { id: 'related-heading' } }, t('related.heading')),
    h('p', { class: 'muted' }, t('related.loading')),
  );
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
    watchUntil && h('p', { class: 'warning' }, t('flag.watchedUntil', { time: formatTime(watchUntil) })),
    notices,
    h(
      'div',
      { class: 'flag-layout' },
      h(
        'div',
        { class: 'evidence' },
        whyFlagged(flag),
        activitySection(screen, flag.reportedNumber, history?.items ?? flag.history),
        reportsSection(flag.recentReports),
        related,
        flag.counters && countersSection(flag.counters),
        facts(flag, watchUntil, appealFact(flag, screen)),
      ),
      h('div', { class: 'side' }, panel, historySection(history?.items ?? flag.history)),
    ),
  );
  const decisionPanelNow = panel;
  // The decision first; where there is none, what the panel offers instead (reopen, claim).
  screen.keys.decide = () =>
    ['select[name="decision"]', 'form.reopen select', 'select', 'textarea', 'button']
      .map((selector) => decisionPanelNow.querySelector<HTMLElement>(`${selector}:not(:disabled)`))
      .find(Boolean)
      ?.focus();
  const shown = notices.firstElementChild as HTMLElement | null;
  if (focus === 'notice' && shown) {
    shown.tabIndex = -1;
    shown.focus();
  } else screen.arrived();
  void fillRelated(screen, flag.id, related);
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

function backLink(screen: Screen): HTMLElement {
  return h('a', { attrs: { href: routeHash({ page: 'queue', filter: screen.filter }) } }, t('flag.back'));
}

function facts(flag: FlagDetail, watchUntil: string | null, appeal: Child = null): HTMLElement {
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
      ...(watchUntil ? item(t('fact.watchUntil'), formatTime(watchUntil)) : []),
      ...item(t('fact.recommended'), label(flag.recommendedAction)),
      ...item(t('fact.taken'), flag.takenAction && label(flag.takenAction)),
      ...(appeal ? item(t('fact.appeal'), appeal) : []),
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

/** Related flags arrive after the page: the evidence and the decision do not wait for them. */
async function fillRelated(screen: Screen, id: number, section: HTMLElement): Promise<void> {
  let answer: RelatedFlags | null = null;
  let problem: string | null = null;
  try {
    answer = await screen.session.api.get<RelatedFlags>(`/api/v1/flags/${id}/related`);
  } catch (error) {
    if (notOursToShow(screen, error)) return;
    problem = (error as Error).message;
  }
  if (!screen.current() || !section.isConnected) return;
  const heading = section.querySelector('h2');
  show(
    section,
    heading,
    relatedList(answer, problem, (other) =>
      routeHash({ page: 'flag', id: String(other), filter: screen.filter }),
    ),
  );
}
