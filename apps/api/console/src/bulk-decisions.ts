import { h, onSubmit, show } from './dom.ts';
import type { Child } from './dom.ts';
import { nationalNumber } from './format.ts';
import { t, tn } from './i18n.ts';
import type { Screen } from './screen.ts';
import { notOursToShow } from './screen.ts';
import type { Session } from './session.ts';
import type { BulkResult, DecisionReasons, FlagSummary } from './types.ts';
import { label, TAKEN_ACTIONS } from './vocabulary.ts';

/** The flags ticked in the queue, by id, as they were read (their version goes with the decision). */
export type Selection = Map<number, FlagSummary>;

/** What the queue offers to decide in bulk: the actions and dismissal (reopening and watching are one by one). */
export const BULK_DECISIONS = [...TAKEN_ACTIONS, 'dismiss'] as const;
export type BulkDecision = (typeof BULK_DECISIONS)[number];

/** The API's kind of a decision, whose reason codes it takes. */
export function reasonKindOf(decision: BulkDecision): 'act' | 'dismiss' {
  return decision === 'dismiss' ? 'dismiss' : 'act';
}

/** The body of POST /api/v1/flags/bulk-decisions: each flag with the version the analyst saw. */
export function bulkRequest(selection: Selection, decision: BulkDecision, reasonCode: string, note: string) {
  return {
    flags: [...selection.values()].map((flag) => ({ flagId: String(flag.id), version: flag.version })),
    action: decision,
    reasonCode,
    note,
  };
}

/** Why one flag was refused, in the analyst's words where the console knows the case. */
export function refusalText(refused: BulkResult['refused'][number]): string {
  if (refused.type === 'urn:abuse-monitor:problem:version-conflict' && refused.currentVersion !== undefined)
    return t('bulk.stale', { version: refused.currentVersion });
  return refused.detail;
}

let reasonsOf: { session: Session; reasons: Promise<DecisionReasons> } | null = null;

/** The reason codes, read once per session: they change with a deployment, not during a shift. */
function reasons(session: Session): Promise<DecisionReasons> {
  if (reasonsOf?.session !== session) {
    const reasons = session.api.get<DecisionReasons>('/api/v1/decision-reasons');
    reasonsOf = { session, reasons };
    // A failure is not kept: the next queue asks again.
    reasons.catch(() => {
      if (reasonsOf?.reasons === reasons) reasonsOf = null;
    });
  }
  return reasonsOf.reasons;
}

/**
 * Below the queue: one decision, with a reason code and a note, on the ticked flags. The API
 * decides each flag on its own against the version shown, so a flag someone changed meanwhile is
 * refused alone; the summary says what was done and what was refused, and why, and takes the focus.
 */
export function bulkPanel(
  screen: Screen,
  rows: HTMLElement,
  selection: Selection,
): { element: HTMLElement; changed: () => void } {
  const count = h('p', { class: 'muted', attrs: { 'aria-live': 'polite' } }, tn('bulk.selected', 0));
  const reason = h('select', { attrs: { id: 'bulk-reason', name: 'reason', required: true } });
  const decision = h(
    'select',
    { attrs: { id: 'bulk-decision', name: 'decision', required: true } },
    h('option', { attrs: { value: '' } }, t('decide.choose')),
    ...BULK_DECISIONS.map((d) => h('option', { attrs: { value: d } }, label(d))),
  );
  const fillReasons = async () => {
    const chosen = BULK_DECISIONS.find((d) => d === decision.value);
    show(reason, h('option', { attrs: { value: '' } }, t('decide.choose')));
    if (!chosen) return;
    try {
      const all = await reasons(screen.session);
      if (decision.value !== chosen) return;
      const codes = all.items.find((item) => item.kind === reasonKindOf(chosen))?.reasons ?? [];
      reason.append(...codes.map((code) => h('option', { attrs: { value: code } }, label(code))));
    } catch (error) {
      if (!notOursToShow(screen, error))
        report([h('p', null, t('bulk.failed', { detail: (error as Error).message }))], true);
    }
  };
  decision.addEventListener('change', () => void fillReasons());
  const submit = h('button', { attrs: { type: 'submit' } }, t('bulk.submit'));
  const summary = h('div', { class: 'bulk-summary', attrs: { tabindex: -1, role: 'status' } });
  const form = h(
    'form',
    { class: 'bulk', attrs: { 'aria-labelledby': 'bulk-heading' } },
    h('h2', { attrs: { id: 'bulk-heading' } }, t('bulk.form')),
    count,
    h('label', { class: 'block', attrs: { for: 'bulk-decision' } }, t('bulk.decision')),
    decision,
    h('label', { class: 'block', attrs: { for: 'bulk-reason' } }, t('bulk.reason')),
    reason,
    h(
      'label',
      { class: 'block' },
      t('bulk.note'),
      h('textarea', { attrs: { name: 'note', required: true, maxlength: 2000, rows: 2 } }),
    ),
    submit,
  );
  const report = (children: Child[], failed: boolean) => {
    summary.className = `bulk-summary notice ${failed ? 'error' : 'done'}`;
    show(summary, h('h3', null, t('bulk.summary')), ...children);
    summary.focus();
  };
  let working = false;
  onSubmit(form, (data) => {
    if (working) return;
    const chosen = BULK_DECISIONS.find((d) => d === data.get('decision'));
    const code = String(data.get('reason') ?? '');
    const note = String(data.get('note') ?? '').trim();
    if (selection.size === 0) return report([h('p', null, t('bulk.noneSelected'))], true);
    if (!chosen || !code || !note) return;
    working = true;
    submit.disabled = true;
    submit.textContent = t('bulk.working');
    const sent = new Map(selection);
    screen.session.api
      .post<BulkResult>('/api/v1/flags/bulk-decisions', bulkRequest(sent, chosen, code, note))
      .then(
        (result) => {
          if (!screen.current()) return;
          markRows(rows, selection, result);
          changed();
          const numberOf = (id: number) => nationalNumber(sent.get(id)?.reportedNumber ?? '');
          report(
            [
              h(
                'p',
                null,
                result.done.length === 0
                  ? t('bulk.noneDone')
                  : tn('bulk.done', result.done.length, {
                      action: label(chosen),
                      ids: result.done.map((d) => d.flagId).join(', '),
                    }),
              ),
              result.refused.length > 0 && h('p', null, tn('bulk.refused', result.refused.length)),
              result.refused.length > 0 &&
                h(
                  'ul',
                  null,
                  ...result.refused.map((r) =>
                    h(
                      'li',
                      null,
                      t('bulk.refusedItem', {
                        id: r.flagId,
                        number: numberOf(r.flagId),
                        why: refusalText(r),
                      }),
                    ),
                  ),
                ),
              h(
                'button',
                {
                  attrs: { type: 'button' },
                  on: { click: () => window.dispatchEvent(new HashChangeEvent('hashchange')) },
                },
                t('bulk.reload'),
              ),
            ],
            result.refused.length > 0,
          );
        },
        (error: unknown) => {
          if (notOursToShow(screen, error)) return;
          report([h('p', null, t('bulk.failed', { detail: (error as Error).message }))], true);
        },
      )
      .finally(() => {
        working = false;
        submit.disabled = false;
        submit.textContent = t('bulk.submit');
      });
  });
  const changed = () => {
    count.textContent = tn('bulk.selected', selection.size);
  };
  return { element: h('div', { class: 'bulk-panel' }, summary, form), changed };
}

/** Done flags can no longer be selected; every box is cleared, since the versions shown are now old. */
function markRows(rows: HTMLElement, selection: Selection, result: BulkResult): void {
  const mark = (id: number, text: string, kind: string, disable: boolean) => {
    const row = rows.querySelector<HTMLTableRowElement>(`tr[data-flag-id="${id}"]`);
    if (!row) return;
    const box = row.querySelector<HTMLInputElement>('input[data-select]');
    if (box) {
      box.checked = false;
      box.disabled = disable;
    }
    row.lastElementChild?.append(h('span', { class: `badge ${kind}` }, text));
  };
  for (const done of result.done) mark(done.flagId, t('bulk.rowDone'), 'done', true);
  for (const refused of result.refused) mark(refused.flagId, t('bulk.rowRefused'), 'overdue', false);
  selection.clear();
  for (const box of rows.querySelectorAll<HTMLInputElement>('input[data-select]')) box.checked = false;
  const all = rows.closest('table')?.querySelector<HTMLInputElement>('input[data-select-all]');
  if (all) all.checked = false;
}
