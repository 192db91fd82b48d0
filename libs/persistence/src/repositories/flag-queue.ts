import type { Carrier, FlagKind, FlagStatus, NumberType, Severity } from '@abuse-monitor/domain';

// No imports beyond the domain's types: the console's unit tests read FLAG_SORTS from here.

/**
 * `urgency`: soonest end of the SLA first, then most severe, then most distinct reporters
 * (decision 0044); only for the statuses that have an SLA, open and in review.
 */
export const FLAG_SORTS = ['severity', 'oldest', 'newest', 'urgency'] as const;
export type FlagSort = (typeof FLAG_SORTS)[number];

/** The statuses whose flags run against an SLA, and so the only ones the urgency order covers. */
export const QUEUE_STATUSES = ['open', 'in_review'] as const satisfies readonly FlagStatus[];

/** Where the previous page ended, in the order of its sort. */
export interface FlagCursor {
  sort: FlagSort;
  rank: number;
  openedAt: string;
  id: string;
}

/**
 * Where the previous page of the urgency order ended. The end of the SLA travels as microseconds
 * since the epoch, the precision PostgreSQL keeps: a millisecond ISO time would round it and skip
 * or repeat flags whose SLAs end within the same millisecond.
 */
export interface UrgencyCursor {
  sort: 'urgency';
  dueMicros: string;
  rank: number;
  reporters: number;
  id: string;
}

/** The SLA of each severity in milliseconds, for a flag in the queue (open) and in review. */
export interface QueueSla {
  open: Record<Severity, number>;
  in_review: Record<Severity, number>;
}

export interface FlagFilter {
  /** 'spoofing': only flags of protected originators (decision 0057); 'abuse': only the others. */
  kind?: FlagKind[];
  status?: FlagStatus[];
  severity?: Severity[];
  carrier?: Carrier[];
  numberType?: NumberType[];
  assignee?: string;
  openedSince?: string;
  openedUntil?: string;
  overdue?: boolean;
  /** Only flags the aggregator marked possibly coordinated (true), or only the others (false). */
  coordinated?: boolean;
  /** Only flags whose latest decision (action or dismissal) this person made. */
  decidedBy?: string;
  /** Only open flags nobody else holds: unassigned, or assigned to this person (claim next). */
  claimableBy?: string;
}
