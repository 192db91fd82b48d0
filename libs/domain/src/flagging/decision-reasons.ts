/**
 * Why a person decided what they did, as a code from a short list (decision 0046): the free note
 * says what is particular to the case, the code lets a supervisor count and compare decisions.
 * The lists are configuration, one per kind of decision, because the team's reasons change with
 * its policy faster than the code does.
 */
import { TAKEN_ACTIONS } from './flag-state';

export const DECISION_KINDS = ['act', 'dismiss', 'watch', 'reopen'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** Everything a person can decide about a flag through one decision. */
export const FLAG_DECISIONS = [...TAKEN_ACTIONS, 'dismiss', 'watch', 'reopen'] as const;
export type FlagDecision = (typeof FLAG_DECISIONS)[number];

export type DecisionReasons = Readonly<Record<DecisionKind, readonly string[]>>;

export const REASON_CODE = /^[a-z][a-z0-9_]{1,39}$/;
/** Enough to choose from at a glance; a longer list is a sign the codes say what notes should. */
export const MAX_REASONS_PER_KIND = 20;

export const DEFAULT_DECISION_REASONS: DecisionReasons = Object.freeze({
  act: Object.freeze([
    'confirmed_scam',
    'confirmed_spam',
    'harassment',
    'repeat_offence',
    'authority_request',
  ]),
  dismiss: Object.freeze([
    'not_abuse',
    'legitimate_business',
    'coordinated_reports',
    'insufficient_evidence',
    'wrong_number',
  ]),
  watch: Object.freeze(['too_few_reports', 'unclear_content', 'awaiting_more_reports']),
  reopen: Object.freeze(['new_evidence', 'decided_in_error', 'subscriber_complaint']),
});

export function decisionKindOf(decision: FlagDecision): DecisionKind {
  if (decision === 'dismiss' || decision === 'watch' || decision === 'reopen') return decision;
  return 'act' satisfies DecisionKind;
}

/**
 * Reads "act=confirmed_scam,harassment;dismiss=not_abuse" into reason lists: a kind given replaces
 * its default list, a kind left out keeps it; blank text keeps every default.
 */
export function parseDecisionReasons(
  text: string,
): { ok: true; reasons: DecisionReasons } | { ok: false; reason: string } {
  const reasons: Record<DecisionKind, readonly string[]> = { ...DEFAULT_DECISION_REASONS };
  const seen = new Set<string>();
  for (const part of text.split(';').map((p) => p.trim())) {
    if (part === '') continue;
    const [kind, codes, extra] = part.split('=');
    if (codes === undefined || extra !== undefined)
      return { ok: false, reason: `"${part}" is not kind=code,code (e.g. dismiss=not_abuse,wrong_number)` };
    const name = kind.trim();
    if (!(DECISION_KINDS as readonly string[]).includes(name))
      return {
        ok: false,
        reason: `"${name}" is not a kind of decision; kinds: ${DECISION_KINDS.join(', ')}`,
      };
    if (seen.has(name)) return { ok: false, reason: `${name} is given twice` };
    seen.add(name);
    const list = codes.split(',').map((c) => c.trim());
    const bad = list.find((code) => !REASON_CODE.test(code));
    if (bad !== undefined)
      return {
        ok: false,
        reason: `reason code "${bad}" of ${name}: use a-z, 0-9 and _ (2 to 40, a letter first)`,
      };
    if (new Set(list).size !== list.length) return { ok: false, reason: `${name} lists a reason code twice` };
    if (list.length > MAX_REASONS_PER_KIND)
      return {
        ok: false,
        reason: `${name} lists ${list.length} reason codes; at most ${MAX_REASONS_PER_KIND}`,
      };
    reasons[name as DecisionKind] = Object.freeze(list);
  }
  return { ok: true, reasons: Object.freeze(reasons) };
}

/** Null when the code is one of the decision's reasons; otherwise why not, in words. */
export function reasonCodeRefusal(
  reasons: DecisionReasons,
  decision: FlagDecision,
  code: string,
): string | null {
  const kind = decisionKindOf(decision);
  if (reasons[kind].includes(code)) return null;
  return `"${code}" is not a reason for ${decision}; choose one of ${reasons[kind].join(', ')}`;
}
