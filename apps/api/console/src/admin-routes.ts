import type { Permission } from './vocabulary.ts';

/**
 * The addresses of the team's pages beside the queue (issue 21, decision 0066): rules, allowlist,
 * protected numbers, reporters, tokens and the audit log. Each list's page (the API's cursor) and
 * filter live in the fragment, so that a link to "the audit of rule changes by sup last week,
 * second page" can be shared and reloaded.
 */

/** The audit log's filters, as GET /api/v1/audit takes them; empty text means no filter. */
export interface AuditFilter {
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  /** Days (YYYY-MM-DD) in the reader's time zone: from the start of `since` to the end of `until`. */
  since: string;
  until: string;
}

export const EMPTY_AUDIT_FILTER: AuditFilter = Object.freeze({
  actor: '',
  action: '',
  targetType: '',
  targetId: '',
  since: '',
  until: '',
});

/** The API's standings of a reporter (libs/domain REPORTER_STANDINGS); the list opens on the suspicious. */
export const REPORTER_STANDINGS = ['suspicious', 'cleared', 'normal'] as const;
export type ReporterStanding = (typeof REPORTER_STANDINGS)[number];

export type AdminRoute =
  | { page: 'rules' }
  | { page: 'rule'; id: string }
  | { page: 'allowlist'; cursor: string | null }
  | { page: 'protected'; cursor: string | null }
  | { page: 'reporters'; standing: ReporterStanding; cursor: string | null }
  | { page: 'tokens' }
  | { page: 'audit'; filter: AuditFilter; cursor: string | null };

export type AdminPage = Exclude<AdminRoute['page'], 'rule'>;

/** What a role needs to use each page: the permission of the API's list behind it. */
export const PAGE_PERMISSION: Readonly<Record<AdminPage | 'rule', Permission>> = {
  rules: 'rules:read',
  rule: 'rules:read',
  allowlist: 'allowlist:read',
  protected: 'allowlist:read',
  reporters: 'reporters:manage',
  tokens: 'tokens:manage',
  audit: 'audit:read',
};

/** The pages in the order the navigation shows them. */
export const ADMIN_PAGES: readonly AdminPage[] = [
  'rules',
  'allowlist',
  'protected',
  'reporters',
  'tokens',
  'audit',
];

const PATHS: Readonly<Record<AdminPage, string>> = {
  rules: '/rules',
  allowlist: '/allowlist',
  protected: '/protected-numbers',
  reporters: '/reporters',
  tokens: '/tokens',
  audit: '/audit',
};

/** As GET /api/v1/rules/{id} accepts it. */
const RULE_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** The API's cursors are base64url and at most 512 characters; anything else is dropped, not sent. */
const CURSOR = /^[A-Za-z0-9_-]{1,512}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ACTION = /^[a-z_]+\.[a-z_]+$/;
const TEXT_MAX = 128;

/** The pages a role may open, in navigation order. */
export function pagesFor(permissions: readonly string[]): AdminPage[] {
  return ADMIN_PAGES.filter((page) => permissions.includes(PAGE_PERMISSION[page]));
}

function cursorOf(params: URLSearchParams): string | null {
  const cursor = params.get('cursor');
  return cursor !== null && CURSOR.test(cursor) ? cursor : null;
}

function textOf(params: URLSearchParams, name: string, valid: RegExp | null = null): string {
  const value = (params.get(name) ?? '').trim().slice(0, TEXT_MAX);
  return valid === null || valid.test(value) ? value : '';
}

/** One of the team's pages, or null when the fragment names another part of the console. */
export function parseAdminRoute(hash: string): AdminRoute | null {
  const [path, query = ''] = hash.replace(/^#/, '').split('?', 2);
  const params = new URLSearchParams(query);
  const rule = /^\/rules\/([^/]+)$/.exec(path);
  if (rule) return RULE_ID.test(rule[1]) ? { page: 'rule', id: rule[1] } : { page: 'rules' };
  const page = ADMIN_PAGES.find((p) => PATHS[p] === path);
  switch (page) {
    case undefined:
      return null;
    case 'rules':
    case 'tokens':
      return { page };
    case 'allowlist':
    case 'protected':
      return { page, cursor: cursorOf(params) };
    case 'reporters':
      return {
        page,
        standing: REPORTER_STANDINGS.find((s) => s === params.get('standing')) ?? 'suspicious',
        cursor: cursorOf(params),
      };
    case 'audit':
      return {
        page,
        filter: {
          actor: textOf(params, 'actor'),
          action: textOf(params, 'action', /^$|^[a-z_]+\.[a-z_]+$/),
          targetType: textOf(params, 'type', /^$|^[a-z_]+$/),
          targetId: textOf(params, 'object'),
          since: textOf(params, 'since', /^$|^\d{4}-\d{2}-\d{2}$/),
          until: textOf(params, 'until', /^$|^\d{4}-\d{2}-\d{2}$/),
        },
        cursor: cursorOf(params),
      };
  }
}

/** The fragment of a page; parseAdminRoute(adminHash(r)) gives r back. */
export function adminHash(route: AdminRoute): string {
  if (route.page === 'rule') return `#/rules/${route.id}`;
  const params = new URLSearchParams();
  if (route.page === 'reporters' && route.standing !== 'suspicious') params.set('standing', route.standing);
  if (route.page === 'audit') {
    const { actor, action, targetType, targetId, since, until } = route.filter;
    if (actor) params.set('actor', actor);
    if (action) params.set('action', action);
    if (targetType) params.set('type', targetType);
    if (targetId) params.set('object', targetId);
    if (since) params.set('since', since);
    if (until) params.set('until', until);
  }
  if ('cursor' in route && route.cursor !== null) params.set('cursor', route.cursor);
  const query = params.toString();
  return `#${PATHS[route.page]}${query ? `?${query}` : ''}`;
}

/** The instant a day starts in the reader's time zone, as the API reads times; null for no day. */
export function startOfDay(day: string): string | null {
  if (!DAY.test(day)) return null;
  const [y, m, d] = day.split('-').map(Number);
  const start = new Date(y, m - 1, d);
  return Number.isNaN(start.getTime()) || start.getDate() !== d ? null : start.toISOString();
}

/** The instant the day after `day` starts: "until 31 Dec" includes the whole of 31 Dec. */
export function endOfDay(day: string): string | null {
  const start = startOfDay(day);
  if (start === null) return null;
  const next = new Date(start);
  next.setDate(next.getDate() + 1);
  return next.toISOString();
}

/** The API request for one page of the audit log. */
export function auditRequest(filter: AuditFilter, cursor: string | null, limit: number): string {
  const params = new URLSearchParams();
  if (filter.actor) params.set('actor', filter.actor);
  if (ACTION.test(filter.action)) params.set('action', filter.action);
  if (filter.targetType) params.set('targetType', filter.targetType);
  if (filter.targetId) params.set('targetId', filter.targetId);
  const since = startOfDay(filter.since);
  const until = endOfDay(filter.until);
  if (since) params.set('since', since);
  if (until) params.set('until', until);
  params.set('limit', String(limit));
  if (cursor !== null) params.set('cursor', cursor);
  return `/api/v1/audit?${params.toString()}`;
}

/** The API request for one page of a list the API pages by cursor. */
export function pageRequest(
  path: string,
  cursor: string | null,
  limit: number,
  extra: Record<string, string> = {},
): string {
  const params = new URLSearchParams(extra);
  params.set('limit', String(limit));
  if (cursor !== null) params.set('cursor', cursor);
  return `${path}?${params.toString()}`;
}
