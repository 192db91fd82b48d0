import type { QueueFilter } from './routes.ts';
import { SEVERITIES } from './vocabulary.ts';
import type { Severity } from './vocabulary.ts';

/**
 * The addresses of the summary and campaigns pages (issue 21), kept in the fragment like the
 * queue's so that a chosen range or a filtered list can be shared. These pages have filters of
 * their own: the queue's is not read from their query (its `status` means flags, not campaigns).
 */

export const CAMPAIGN_STATUSES = ['open', 'in_review', 'actioned', 'dismissed', 'merged'] as const;
export type CampaignStatusCode = (typeof CAMPAIGN_STATUSES)[number];
export const CAMPAIGN_SORTS = ['newest', 'severity', 'largest'] as const;
export type CampaignSortCode = (typeof CAMPAIGN_SORTS)[number];
export const CARRIER_CODES = [
  'viettel',
  'vinaphone',
  'mobifone',
  'vietnamobile',
  'gmobile',
  'itelecom',
  'reddi',
] as const;
export type CarrierCode = (typeof CARRIER_CODES)[number];

export interface CampaignFilter {
  statuses: CampaignStatusCode[];
  severities: Severity[];
  carrier: CarrierCode | null;
  sort: CampaignSortCode;
}

export const DEFAULT_CAMPAIGN_FILTER: CampaignFilter = Object.freeze({
  statuses: ['open', 'in_review'],
  severities: [],
  carrier: null,
  sort: 'newest',
}) as CampaignFilter;

export type InsightRoute =
  | { page: 'summary'; from: string | null; to: string | null; filter: QueueFilter }
  | { page: 'campaigns'; campaigns: CampaignFilter; filter: QueueFilter }
  | { page: 'campaign'; id: string; filter: QueueFilter };

const ID = /^[1-9]\d{0,17}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function listOf<T extends string>(raw: string | null, allowed: readonly T[]): T[] | null {
  if (raw === null) return null;
  const wanted = new Set(raw.split(','));
  return allowed.filter((value) => wanted.has(value));
}

/** A calendar day as written, or null: a hand-edited link with a wrong day opens the default. */
function dayOf(raw: string | null): string | null {
  if (raw === null || !DAY.test(raw)) return null;
  const at = Date.parse(`${raw}T00:00:00Z`);
  return !Number.isNaN(at) && new Date(at).toISOString().slice(0, 10) === raw ? raw : null;
}

/** The route of one of these pages, or null for a path that is not one of them. */
export function parseInsightRoute(path: string, query: string, filter: QueueFilter): InsightRoute | null {
  const params = new URLSearchParams(query);
  if (path === '/summary')
    return { page: 'summary', from: dayOf(params.get('from')), to: dayOf(params.get('to')), filter };
  if (path === '/campaigns') {
    const sort = params.get('sort');
    const carrier = params.get('carrier');
    return {
      page: 'campaigns',
      campaigns: {
        statuses: listOf(params.get('status'), CAMPAIGN_STATUSES) ?? [...DEFAULT_CAMPAIGN_FILTER.statuses],
        severities: listOf(params.get('severity'), SEVERITIES) ?? [],
        carrier: CARRIER_CODES.find((c) => c === carrier) ?? null,
        sort: CAMPAIGN_SORTS.find((s) => s === sort) ?? DEFAULT_CAMPAIGN_FILTER.sort,
      },
      filter,
    };
  }
  const campaign = /^\/campaigns\/([^/]+)$/.exec(path);
  if (campaign && ID.test(campaign[1])) return { page: 'campaign', id: campaign[1], filter };
  return null;
}

function campaignQuery(filter: CampaignFilter): URLSearchParams {
  const params = new URLSearchParams();
  params.set('status', filter.statuses.join(','));
  if (filter.severities.length > 0) params.set('severity', filter.severities.join(','));
  if (filter.carrier !== null) params.set('carrier', filter.carrier);
  if (filter.sort !== DEFAULT_CAMPAIGN_FILTER.sort) params.set('sort', filter.sort);
  return params;
}

export function insightHash(route: InsightRoute): string {
  if (route.page === 'campaign') return `#/campaigns/${route.id}`;
  if (route.page === 'campaigns') return `#/campaigns?${campaignQuery(route.campaigns).toString()}`;
  const params = new URLSearchParams();
  if (route.from !== null) params.set('from', route.from);
  if (route.to !== null) params.set('to', route.to);
  const query = params.toString();
  return query ? `#/summary?${query}` : '#/summary';
}

/** The API request for one page of campaigns. An empty status list means every status. */
export function campaignsRequest(filter: CampaignFilter, cursor: string | null, limit: number): string {
  const params = new URLSearchParams();
  if (filter.statuses.length > 0) params.set('status', filter.statuses.join(','));
  if (filter.severities.length > 0) params.set('severity', filter.severities.join(','));
  if (filter.carrier !== null) params.set('carrier', filter.carrier);
  params.set('sort', filter.sort);
  params.set('limit', String(limit));
  if (cursor !== null) params.set('cursor', cursor);
  return `/api/v1/campaigns?${params.toString()}`;
}
