/**
 * An agent's hourly quota of hotline submissions. Past it a submission is held for a supervisor,
 * never dropped: the caller may be real, but a burst from one agent is what forging looks like.
 */

/** Queued goes on to intake now; held waits for a supervisor to release or refuse it. */
export type QuotaOutcome = 'queued' | 'held';

export const DEFAULT_AGENT_SUBMISSIONS_PER_HOUR = 60;

/** `submittedInLastHour` counts the agent's earlier submissions in the hour, held ones included. */
export function outcomeUnderQuota(submittedInLastHour: number, perHour: number): QuotaOutcome {
  return submittedInLastHour < perHour ? 'queued' : 'held';
}
