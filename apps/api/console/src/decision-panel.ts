import type { OfferedCommands } from './commands.ts';
import type { Child } from './dom.ts';
import { append, h, onSubmit } from './dom.ts';
import { t, tn } from './i18n.ts';
import type { DecisionReasons, FlagDetail, Reviewers } from './types.ts';
import type { DecisionKind, FlagDecision } from './vocabulary.ts';
import { label } from './vocabulary.ts';

/**
 * The decision panel's forms (decision 0053): a decision always gives a reason code from the
 * configured list, beside an optional free note; watching takes a period from a short list;
 * supervisors hand a flag over to someone from the list of reviewers, with a note. The forms only
 * gather what the analyst chose: `send` talks to the API and says what happened.
 */

/** One request of the panel: a decision (POST …/decisions) or a claim or handover (POST …/assign). */
export type PanelCommand =
  | { kind: 'decision'; body: DecisionBody; then: 'stay' | 'next' }
  | { kind: 'assign'; body: { assignee?: string; note?: string }; to: string | null };

export interface DecisionBody {
  decision: FlagDecision;
  reasonCode: string;
  note?: string;
  allowlist?: { reason: string; owner: string; until?: string };
  watchUntil?: string;
}

export interface PanelInput {
  flag: FlagDetail;
  offered: OfferedCommands;
  /** null: the list could not be read, so no decision can be recorded (the API requires a code). */
  reasons: DecisionReasons | null;
  reasonsProblem: string | null;
  /** Only for those who may hand flags to others; null with a problem when the list failed. */
  reviewers: Reviewers | null;
  reviewersProblem: string | null;
  /** The note kept from a refused attempt (a conflict): the analyst reads again, not retypes. */
  draft: string;
  send(command: PanelCommand): void;
  /** The clock, for the watch date: a parameter so that tests can pin it. */
  now(): number;
}

/** Watching periods offered, in days. At most 28 so that a browser clock a little ahead of the API's
 * never crosses the API's 30-day limit; 7, the API's own default, is preselected. */
export const WATCH_DAYS = [1, 3, 7, 14, 28] as const;
export const DEFAULT_WATCH_DAYS = 7;
/** How long a dismissal's allowlist entry may last; 0: until a supervisor removes it. */
export const ALLOWLIST_DAYS = [30, 90, 180, 365, 0] as const;
export const DEFAULT_ALLOWLIST_DAYS = 90;

export function decisionKindOf(decision: FlagDecision): DecisionKind {
  return decision === 'dismiss' || decision === 'watch' || decision === 'reopen' ? decision : 'act';
}

/** The codes offered for one decision, in the configured order; empty when the API has none for it. */
export function reasonsFor(reasons: DecisionReasons, decision: FlagDecision): string[] {
  const kind = decisionKindOf(decision);
  return reasons.items.find((item) => item.kind === kind)?.reasons ?? [];
}

export function watchUntil(now: number, days: number): string {
  return new Date(now + days * 86_400_000).toISOString();
}

export function decisionPanel(input: PanelInput): HTMLElement {
  const { flag, offered } = input;
  const panel = h(
    'section',
    { class: 'commands', attrs: { 'aria-labelledby': 'decide-heading' } },
    h('h2', { attrs: { id: 'decide-heading' } }, t('decide.heading')),
  );
  const forms: Child[] = [offered.why && h('p', { class: 'muted' }, offered.why)];
  if (offered.claim)
    forms.push(
      h(
        'button',
        {
          attrs: { type: 'button' },
          on: { click: () => input.send({ kind: 'assign', body: {}, to: null }) },
        },
        flag.status === 'in_review' ? t('decide.takeOver') : t('decide.claim'),
      ),
    );
  if (offered.assignToOthers)
    forms.push(
      input.reviewers
        ? assignForm(input, input.reviewers)
        : h(
            'p',
            { class: 'notice error' },
            t('decide.reviewersFailed', { detail: input.reviewersProblem ?? '' }),
          ),
    );
  const decides = offered.actions.length > 0 || offered.dismiss || offered.watch;
  if ((decides || offered.reopen) && !input.reasons)
    forms.push(
      h('p', { class: 'notice error' }, t('decide.reasonsFailed', { detail: input.reasonsProblem ?? '' })),
    );
  else if (input.reasons) {
    if (decides) forms.push(decisionForm(input, input.reasons));
    if (offered.reopen) forms.push(reopenForm(input, input.reasons));
  }
  append(panel, forms);
  return panel;
}

function noteField(text: string, draft: string, name = 'note'): HTMLLabelElement {
  const field = h('textarea', { attrs: { name, maxlength: 2000, rows: 2 } });
  field.value = draft;
  return h('label', { class: 'block' }, text, field);
}

/** The note as the API takes it: left out when blank (it is optional; the reason code is not). */
function withNote<T extends object>(body: T, note: string): T & { note?: string } {
  return note.trim() === '' ? body : { ...body, note };
}

function reasonSelect(id: string): HTMLSelectElement {
  return h('select', { attrs: { id, name: 'reasonCode', required: true } });
}

/**
 * A select and its label side by side, tied by id: a label wrapped around a select would take the
 * select's current option into its name ("Reason Choose a reason…"), which screen readers repeat.
 */
function field(text: string, control: HTMLSelectElement): HTMLDivElement {
  return h('div', { class: 'field' }, h('label', { attrs: { for: control.id } }, text), control);
}

/** Fills the reason select with the codes of a decision; nothing is preselected for the analyst. */
function offerReasons(select: HTMLSelectElement, codes: string[] | null): void {
  const kept = select.value;
  select.replaceChildren(
    h(
      'option',
      { attrs: { value: '', disabled: true, selected: true } },
      codes === null ? t('decide.chooseDecisionFirst') : t('decide.chooseReason'),
    ),
    ...(codes ?? []).map((code) => h('option', { attrs: { value: code } }, label(code))),
  );
  // Changing between two actions of one kind keeps the reason chosen.
  if (kept && codes?.includes(kept)) select.value = kept;
}

function assignForm(input: PanelInput, reviewers: Reviewers): HTMLFormElement {
  const others = reviewers.items.filter((r) => r.name !== input.flag.assignee);
  const select = h(
    'select',
    { attrs: { id: 'assign-to', name: 'assignee', required: true } },
    h('option', { attrs: { value: '', disabled: true, selected: true } }, t('decide.choosePerson')),
    ...others.map((r) =>
      h(
        'option',
        { attrs: { value: r.name } },
        t('decide.reviewerOption', {
          name: r.name,
          role: r.role,
          inReview: r.inReview,
          overdue: r.overdue,
        }),
      ),
    ),
  );
  const form = h(
    'form',
    { class: 'assign', attrs: { 'aria-label': t('decide.assignForm') } },
    field(t('decide.assignTo'), select),
    noteField(t('decide.handoverNote'), '', 'handoverNote'),
    h('button', { attrs: { type: 'submit' } }, t('decide.assign')),
  );
  return onSubmit(form, (data) => {
    const assignee = String(data.get('assignee') ?? '');
    const note = String(data.get('handoverNote') ?? '');
    input.send({ kind: 'assign', body: withNote({ assignee }, note), to: assignee });
  });
}

function decisionForm(input: PanelInput, reasons: DecisionReasons): HTMLFormElement {
  const { flag, offered } = input;
  const choices: FlagDecision[] = [
    ...offered.actions,
    ...(offered.dismiss ? (['dismiss'] as const) : []),
    ...(offered.watch ? (['watch'] as const) : []),
  ];
  const mayAllowlist = offered.allowlistOnDismiss;
  const allowlistReason = h('input', { attrs: { name: 'allowlistReason', maxlength: 500 } });
  const owner = h('input', { attrs: { name: 'allowlistOwner', maxlength: 100 } });
  const allowlist = h('input', { attrs: { type: 'checkbox', name: 'allowlist' } });
  // A number allowlisted for good is never looked at again: a period is the default.
  const allowlistPeriod = h(
    'select',
    { attrs: { id: 'allowlist-days', name: 'allowlistDays' } },
    ...ALLOWLIST_DAYS.map((days) =>
      h(
        'option',
        { attrs: { value: days, selected: days === DEFAULT_ALLOWLIST_DAYS } },
        days === 0 ? t('decide.allowlistForever') : tn('decide.watchDays', days),
      ),
    ),
  );
  const allowlistFields = h(
    'fieldset',
    { attrs: { hidden: true } },
    h('legend', null, t('decide.allowlistLegend')),
    h('label', null, allowlist, ` ${t('decide.allowlist')}`),
    h('label', { class: 'block' }, t('decide.allowlistReason'), allowlistReason),
    h('label', { class: 'block' }, t('decide.owner'), owner),
    field(t('decide.allowlistFor'), allowlistPeriod),
  );
  const period = h(
    'select',
    { attrs: { id: 'watch-days', name: 'watchDays' } },
    ...WATCH_DAYS.map((days) =>
      h(
        'option',
        { attrs: { value: days, selected: days === DEFAULT_WATCH_DAYS } },
        tn('decide.watchDays', days),
      ),
    ),
  );
  const periodField = field(t('decide.watchFor'), period);
  periodField.hidden = true;
  // Nothing is chosen for the analyst: every choice but dismissal and watching is enforced on a subscriber.
  const select = h(
    'select',
    { attrs: { id: 'decision-choice', name: 'decision', required: true } },
    h('option', { attrs: { value: '', disabled: true, selected: true } }, t('decide.choose')),
    ...choices.map((a) =>
      h(
        'option',
        { attrs: { value: a } },
        a === flag.recommendedAction ? t('decide.recommended', { label: label(a) }) : label(a),
      ),
    ),
  );
  const reason = reasonSelect('decision-reason');
  offerReasons(reason, null);
  const sync = () => {
    const decision = select.value as FlagDecision | '';
    allowlistFields.hidden = !(mayAllowlist && decision === 'dismiss');
    periodField.hidden = decision !== 'watch';
    const needed = !allowlistFields.hidden && allowlist.checked;
    allowlistReason.required = needed;
    owner.required = needed;
  };
  select.addEventListener('change', () => {
    offerReasons(reason, select.value ? reasonsFor(reasons, select.value as FlagDecision) : null);
    sync();
  });
  allowlist.addEventListener('change', sync);
  const next = h('button', { attrs: { type: 'submit', value: 'next' } }, t('decide.recordNext'));
  const note = noteField(t('decide.note'), input.draft);
  note.querySelector('textarea')?.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit(next);
    }
  });
  const form = h(
    'form',
    { class: 'decision', attrs: { 'aria-label': t('decide.form') } },
    field(t('decide.decision'), select),
    field(t('decide.reasonCode'), reason),
    periodField,
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
    const decision = String(data.get('decision')) as FlagDecision;
    let body: DecisionBody = { decision, reasonCode: String(data.get('reasonCode') ?? '') };
    if (decision === 'dismiss' && mayAllowlist && allowlist.checked)
      body.allowlist = {
        reason: allowlistReason.value,
        owner: owner.value,
        ...(Number(allowlistPeriod.value) > 0
          ? { until: watchUntil(input.now(), Number(allowlistPeriod.value)) }
          : {}),
      };
    if (decision === 'watch') body.watchUntil = watchUntil(input.now(), Number(period.value));
    body = withNote(body, String(data.get('note') ?? ''));
    input.send({ kind: 'decision', body, then: submitter === next ? 'next' : 'stay' });
  });
}

function reopenForm(input: PanelInput, reasons: DecisionReasons): HTMLFormElement {
  const reason = reasonSelect('reopen-reason');
  offerReasons(reason, reasonsFor(reasons, 'reopen'));
  const form = h(
    'form',
    { class: 'reopen', attrs: { 'aria-label': t('decide.reopenForm') } },
    field(t('decide.reasonCode'), reason),
    noteField(t('decide.reopenNote'), ''),
    h('button', { attrs: { type: 'submit' } }, t('decide.reopen')),
  );
  return onSubmit(form, (data) =>
    input.send({
      kind: 'decision',
      body: withNote(
        { decision: 'reopen' as const, reasonCode: String(data.get('reasonCode') ?? '') },
        String(data.get('note') ?? ''),
      ),
      then: 'stay',
    }),
  );
}
