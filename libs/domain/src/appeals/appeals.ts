/**
 * A subscriber's appeal against an action taken on their number (decision 0064). An agent records
 * it with what the subscriber said and how they got in touch; a supervisor upholds the action or
 * reverses it within the appeal's SLA.
 *
 *   (none) ──record (flag actioned, no other appeal pending)──► pending
 *   pending ──uphold──► upheld        pending ──reverse──► reversed (the action is lifted)
 */

export const APPEAL_STATUSES = ['pending', 'upheld', 'reversed'] as const;
export type AppealStatus = (typeof APPEAL_STATUSES)[number];

export const APPEAL_DECISIONS = ['uphold', 'reverse'] as const;
export type AppealDecision = (typeof APPEAL_DECISIONS)[number];

/** How the subscriber got in touch: the ways a carrier takes complaints. */
export const APPEAL_CHANNELS = ['phone_call', 'shop', 'email', 'web_form', 'letter'] as const;
export type AppealChannel = (typeof APPEAL_CHANNELS)[number];

/** What the subscriber said, as the agent wrote it down: enough for a complaint, bounded for storage. */
export const MAX_APPEAL_STATEMENT_CHARS = 2000;
/** Two days: the time a carrier typically gives itself to answer a complaint about a block. */
export const DEFAULT_APPEAL_SLA_MS = 48 * 3_600_000;
/** The longest a reversal may allowlist the number for (the allowlist's own expiry carries it). */
export const MAX_APPEAL_ALLOWLIST_MS = 365 * 86_400_000;

export function appealStatusAfter(decision: AppealDecision): Exclude<AppealStatus, 'pending'> {
  return decision === 'uphold' ? 'upheld' : 'reversed';
}

/** Pending past its due date; a decided appeal is never overdue, however late it was decided. */
export function isAppealOverdue(
  appeal: { readonly status: AppealStatus; readonly dueAt: number },
  now: number,
): boolean {
  return appeal.status === 'pending' && appeal.dueAt <= now;
}
