import { insightHash, parseInsightRoute } from './insight-routes.ts';
import type { InsightRoute } from './insight-routes.ts';
import { FLAG_SORTS, FLAG_STATUSES, SEVERITIES } from './vocabulary.ts';
import type { FlagSort, FlagStatus, Severity } from './vocabulary.ts';
import { appealPath, parseAppealRoute } from './appeal-routes.ts';
import type { AppealRoute } from './appeal-routes.ts';

/** Where the console is, kept in the URL's fragment so that a link to a flag or a filtered queue can be shared. */

export interface QueueFilter {
  statuses: FlagStatus[];
  severities: Severity[];
  overdueOnly: boolean;
  mineOnly: boolean;
  /** Only flags whose latest decision the analyst made ("decided by me"). */
  decidedByMe: boolean;
  /** Only flags whose reporters look coordinated (the aggregator marks them). */
  coordinatedOnly: boolean;
  /** Only flags whose SLA runs out within this horizon (or has run out): the wave the warning names. */
  due: DueWithin | null;
  sort: FlagSort;
}

/** The horizons of GET /api/v1/flags/due-soon. */
export const DUE_WITHIN = ['1h', '4h'] as const;
export type DueWithin = (typeof DUE_WITHIN)[number];
const DUE_MS: Readonly<Record<DueWithin, number>> = { '1h': 3_600_000, '4h': 14_400_000 };

/** When a flag's SLA must have run out by to be in the `due` view, measured from `now`. */
export function dueCutoff(due: DueWithin, now: number): number {
  return now + DUE_MS[due];
}

/**
 * Every page carries the queue's filter, so that the way back, "next" and "previous" stay in the
 * queue the analyst chose, however many flags and numbers they open on the way.
 */
export type Route =
  | { page: 'queue'; filter: QueueFilter }
  | { page: 'flag'; id: string; filter: QueueFilter }
  | { page: 'number'; number: string; filter: QueueFilter }
  | { page: 'team'; filter: QueueFilter }
  | AppealRoute
  | InsightRoute;

/** What an analyst starts with: the flags that need a person, most severe first. */
export const DEFAULT_FILTER: QueueFilter = Object.freeze({
  statuses: ['open', 'in_review'],
  severities: [],
  overdueOnly: false,
  mineOnly: false,
  decidedByMe: false,
  coordinatedOnly: false,
  due: null,
  sort: 'urgency',
}) as QueueFilter;

/** The urgency order (time left on the SLA) exists only for flags still waiting for someone. */
const WAITING = new Set<string>(['open', 'in_review']);

const FLAG_ID = /^[1-9]\d{0,17}$/;

function listOf<T extends string>(raw: string | null, allowed: readonly T[]): T[] | null {
  if (raw === null) return null;
  const wanted = new Set(raw.split(','));
  // In the API's order, without repeats, ignoring what it would refuse: a hand-edited link still opens.
  return allowed.filter((value) => wanted.has(value));
}

/** Reads a fragment such as "#/flags/42", "#/numbers/0912345678", "#/team" or "#/queue?status=open&severity=high"; anything else is the queue. */
export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#/, '').split('?', 2);
  const filter = parseFilter(query);
  if (path === '/team') return { page: 'team', filter };
  // The appeal pages' query is their own ("status" is an appeal's there): the queue's is the default.
  const appeal = parseAppealRoute(path, query, parseFilter(''));
  if (appeal) return appeal;
  const insight = parseInsightRoute(path, query, DEFAULT_FILTER);
  if (insight) return insight;
  const flag = /^\/flags\/([^/]+)$/.exec(path);
  if (flag && FLAG_ID.test(flag[1])) return { page: 'flag', id: flag[1], filter };
  const number = /^\/numbers\/([^/]+)$/.exec(path);
  if (number) {
    const written = decodeSafely(number[1]).trim();
    if (written.length > 0 && written.length <= NUMBER_MAX)
      return { page: 'number', number: written, filter };
  }
  return { page: 'queue', filter };
}

/** What a person may type in the search box; the API judges whether it is a number. */
const NUMBER_MAX = 40;

function decodeSafely(component: string): string {
  try {
    return decodeURIComponent(component);
  } catch {
    return component;
  }
}

function parseFilter(query: string): QueueFilter {
  const params = new URLSearchParams(query);
  const sort = params.get('sort');
  return {
    statuses: listOf(params.get('status'), FLAG_STATUSES) ?? [...DEFAULT_FILTER.statuses],
    severities: listOf(params.get('severity'), SEVERITIES) ?? [],
    overdueOnly: params.get('overdue') === 'true',
    mineOnly: params.get('mine') === 'true',
    decidedByMe: params.get('decided') === 'me',
    coordinatedOnly: params.get('coordinated') === 'true',
    due: DUE_WITHIN.find((d) => d === params.get('due')) ?? null,
    sort: FLAG_SORTS.find((s) => s === sort) ?? DEFAULT_FILTER.sort,
  };
}

function filterQuery(filter: QueueFilter): string {
  const { statuses, severities, overdueOnly, mineOnly, decidedByMe, coordinatedOnly, due, sort } = filter;
  const params = new URLSearchParams();
  params.set('status', statuses.join(','));
  if (severities.length > 0) params.set('severity', severities.join(','));
  if (overdueOnly) params.set('overdue', 'true');
  if (mineOnly) params.set('mine', 'true');
  if (decidedByMe) params.set('decided', 'me');
  if (coordinatedOnly) params.set('coordinated', 'true');
  if (due !== null) params.set('due', due);
  if (sort !== DEFAULT_FILTER.sort) params.set('sort', sort);
  return params.toString();
}

/** The fragment of a route; parseRoute(routeHash(r)) gives r back. A flag or number in the default queue has a short link. */
export function routeHash(route: Route): string {
  if (route.page === 'queue') return `#/queue?${filterQuery(route.filter)}`;
  if (route.page === 'appeals' || route.page === 'appeal' || route.page === 'record-appeal')
    return appealPath(route);
  if (route.page === 'summary' || route.page === 'campaigns' || route.page === 'campaign')
    return insightHash(route);
  const path =
    route.page === 'team'
      ? '#/team'
      : route.page === 'flag'
        ? `#/flags/${route.id}`
        : `#/numbers/${encodeURIComponent(route.number)}`;
  const query = filterQuery(route.filter);
  return query === filterQuery(DEFAULT_FILTER) ? path : `${path}?${query}`;
}

/** The API request for one page of the queue. An empty status list means every status. */
export function flagsRequest(filter: QueueFilter, me: string, cursor: string | null, limit: number): string {
  const params = new URLSearchParams();
  if (filter.statuses.length > 0) params.set('status', filter.statuses.join(','));
  if (filter.severities.length > 0) params.set('severity', filter.severities.join(','));
  if (filter.overdueOnly) params.set('overdue', 'true');
  if (filter.mineOnly) params.set('assignee', me);
  if (filter.decidedByMe) params.set('decidedBy', me);
  if (filter.coordinatedOnly) params.set('coordinated', 'true');
  const waitingOnly = filter.statuses.length > 0 && filter.statuses.every((s) => WAITING.has(s));
  params.set('sort', filter.sort === 'urgency' && !waitingOnly ? 'severity' : filter.sort);
  params.set('limit', String(limit));
  if (cursor !== null) params.set('cursor', cursor);
  return `/api/v1/flags?${params.toString()}`;
}
