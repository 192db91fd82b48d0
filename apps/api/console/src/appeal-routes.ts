import type { QueueFilter } from './routes.ts';

/**
 * The appeal pages' addresses (decision 0064), apart from routes.ts so that other pages' routes
 * merge easily: the appeal queue with its filter and page in the address (a shareable link), one
 * appeal, and the agent's "record an appeal" page with the number looked up.
 */

export const APPEAL_STATUSES = ['pending', 'upheld', 'reversed'] as const;
export type AppealStatus = (typeof APPEAL_STATUSES)[number];

export interface AppealQuery {
  /** null: every status. */
  status: AppealStatus | null;
  overdueOnly: boolean;
  /** The API's nextCursor of the page before; null: the first page. */
  cursor: string | null;
}

export const DEFAULT_APPEAL_QUERY: AppealQuery = Object.freeze({
  status: 'pending',
  overdueOnly: false,
  cursor: null,
}) as AppealQuery;

export type AppealRoute =
  | { page: 'appeals'; query: AppealQuery; filter: QueueFilter }
  | { page: 'appeal'; id: string; filter: QueueFilter }
  | { page: 'record-appeal'; number: string | null; filter: QueueFilter };

const ID = /^[1-9]\d{0,17}$/;
/** What the API gives out as a cursor (base64url); anything else is dropped, not sent. */
const CURSOR = /^[A-Za-z0-9_-]{1,512}$/;
const NUMBER_MAX = 40;

/** "#/appeals?status=pending&overdue=true", "#/appeals/7", "#/appeals/record?number=0987..."; null: not an appeal page. */
export function parseAppealRoute(path: string, query: string, filter: QueueFilter): AppealRoute | null {
  const params = new URLSearchParams(query);
  if (path === '/appeals') {
    const status = params.get('status');
    const cursor = params.get('cursor');
    return {
      page: 'appeals',
      query: {
        status: status === 'all' ? null : (APPEAL_STATUSES.find((s) => s === status) ?? 'pending'),
        overdueOnly: params.get('overdue') === 'true',
        cursor: cursor !== null && CURSOR.test(cursor) ? cursor : null,
      },
      filter,
    };
  }
  if (path === '/appeals/record') {
    const number = (params.get('number') ?? '').trim();
    return {
      page: 'record-appeal',
      number: number.length > 0 && number.length <= NUMBER_MAX ? number : null,
      filter,
    };
  }
  const one = /^\/appeals\/([^/]+)$/.exec(path);
  if (one && ID.test(one[1])) return { page: 'appeal', id: one[1], filter };
  return null;
}

/** The fragment of an appeal page; parseAppealRoute gives it back. */
export function appealPath(route: AppealRoute): string {
  if (route.page === 'appeal') return `#/appeals/${route.id}`;
  const params = new URLSearchParams();
  if (route.page === 'record-appeal') {
    if (route.number !== null) params.set('number', route.number);
    const query = params.toString();
    return query ? `#/appeals/record?${query}` : '#/appeals/record';
  }
  params.set('status', route.query.status ?? 'all');
  if (route.query.overdueOnly) params.set('overdue', 'true');
  if (route.query.cursor !== null) params.set('cursor', route.query.cursor);
  return `#/appeals?${params.toString()}`;
}

/** The API request for the page of appeals the query names. */
export function appealsRequest(query: AppealQuery, limit: number): string {
  const params = new URLSearchParams();
  if (query.status !== null) params.set('status', query.status);
  if (query.overdueOnly) params.set('overdue', 'true');
  params.set('limit', String(limit));
  if (query.cursor !== null) params.set('cursor', query.cursor);
  return `/api/v1/appeals?${params.toString()}`;
}
