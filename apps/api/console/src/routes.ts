import { FLAG_SORTS, FLAG_STATUSES, SEVERITIES } from './vocabulary.ts';
import type { FlagSort, FlagStatus, Severity } from './vocabulary.ts';

/** Where the console is, kept in the URL's fragment so that a link to a flag or a filtered queue can be shared. */

export interface QueueFilter {
  statuses: FlagStatus[];
  severities: Severity[];
  overdueOnly: boolean;
  mineOnly: boolean;
  sort: FlagSort;
}

export type Route = { page: 'queue'; filter: QueueFilter } | { page: 'flag'; id: string };

/** What an analyst starts with: the flags that need a person, most severe first. */
export const DEFAULT_FILTER: QueueFilter = Object.freeze({
  statuses: ['open', 'in_review'],
  severities: [],
  overdueOnly: false,
  mineOnly: false,
  sort: 'severity',
}) as QueueFilter;

const FLAG_ID = /^[1-9]\d{0,17}$/;

function listOf<T extends string>(raw: string | null, allowed: readonly T[]): T[] | null {
  if (raw === null) return null;
  const wanted = new Set(raw.split(','));
  // In the API's order, without repeats, ignoring what it would refuse: a hand-edited link still opens.
  return allowed.filter((value) => wanted.has(value));
}

/** Reads a fragment such as "#/flags/42" or "#/queue?status=open&severity=high"; anything else is the queue. */
export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#/, '').split('?', 2);
  const flag = /^\/flags\/([^/]+)$/.exec(path);
  if (flag && FLAG_ID.test(flag[1])) return { page: 'flag', id: flag[1] };
  const params = new URLSearchParams(query);
  const sort = params.get('sort');
  return {
    page: 'queue',
    filter: {
      statuses: listOf(params.get('status'), FLAG_STATUSES) ?? [...DEFAULT_FILTER.statuses],
      severities: listOf(params.get('severity'), SEVERITIES) ?? [],
      overdueOnly: params.get('overdue') === 'true',
      mineOnly: params.get('mine') === 'true',
      sort: FLAG_SORTS.find((s) => s === sort) ?? DEFAULT_FILTER.sort,
    },
  };
}

/** The fragment of a route; parseRoute(routeHash(r)) gives r back. */
export function routeHash(route: Route): string {
  if (route.page === 'flag') return `#/flags/${route.id}`;
  const { statuses, severities, overdueOnly, mineOnly, sort } = route.filter;
  const params = new URLSearchParams();
  params.set('status', statuses.join(','));
  if (severities.length > 0) params.set('severity', severities.join(','));
  if (overdueOnly) params.set('overdue', 'true');
  if (mineOnly) params.set('mine', 'true');
  if (sort !== DEFAULT_FILTER.sort) params.set('sort', sort);
  return `#/queue?${params.toString()}`;
}

/** The API request for one page of the queue. An empty status list means every status. */
export function flagsRequest(filter: QueueFilter, me: string, cursor: string | null, limit: number): string {
  const params = new URLSearchParams();
  if (filter.statuses.length > 0) params.set('status', filter.statuses.join(','));
  if (filter.severities.length > 0) params.set('severity', filter.severities.join(','));
  if (filter.overdueOnly) params.set('overdue', 'true');
  if (filter.mineOnly) params.set('assignee', me);
  params.set('sort', filter.sort);
  params.set('limit', String(limit));
  if (cursor !== null) params.set('cursor', cursor);
  return `/api/v1/flags?${params.toString()}`;
}
