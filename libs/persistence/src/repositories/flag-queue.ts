import type { Carrier, FlagStatus, NumberType, Severity } from '@abuse-monitor/domain';

// No imports beyond the domain's types: the console's unit tests read FLAG_SORTS from here.

export const FLAG_SORTS = ['severity', 'oldest', 'newest'] as const;
export type FlagSort = (typeof FLAG_SORTS)[number];

/** Where the previous page ended, in the order of its sort. */
export interface FlagCursor {
  sort: FlagSort;
  rank: number;
  openedAt: string;
  id: string;
}

export interface FlagFilter {
  status?: FlagStatus[];
  severity?: Severity[];
  carrier?: Carrier[];
  numberType?: NumberType[];
  assignee?: string;
  openedSince?: string;
  openedUntil?: string;
  overdue?: boolean;
}
