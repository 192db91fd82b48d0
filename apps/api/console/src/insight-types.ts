import type { Stored } from './types.ts';
import type { FlagStatus, Severity } from './vocabulary.ts';

/**
 * The answers behind the charts, the summary and the campaigns pages (issue 21), written by hand
 * for the browser build like types.ts; insight-types.spec.ts holds them to the server's contracts.
 */

export type ActivityBucket = 'hour' | 'day';

export interface ActivityBucketCount {
  start: string;
  reports: number;
}

interface ActivitySpan {
  bucket: ActivityBucket;
  timeZone: string;
  from: string;
  to: string;
}

export interface ActivitySeries {
  reportedNumber: string;
  total: number;
  buckets: ActivityBucketCount[];
}

export type SubscriberActivity = ActivitySpan & ActivitySeries;

export interface ReportActivity extends ActivitySpan {
  numbers: ActivitySeries[];
}

export interface DailySummary {
  date: string;
  timeZone: string;
  reports: {
    total: number;
    byChannel: Record<string, number>;
    byShortCode: Record<string, number>;
    byKind: Record<string, number>;
    byCategory: Record<string, number>;
    byCarrier: Record<string, number>;
  };
  rejections: { total: number; byReason: Record<string, number>; byChannel: Record<string, number> };
  flags: {
    opened: number;
    reopened: number;
    raised: number;
    escalated: number;
    overdue: number;
    reviewOverdue?: number;
    actioned: number;
    actionedByAction: Record<string, number>;
    dismissed: number;
    expired: number;
    spoofingOpened?: number;
  };
  timeToActionSeconds: { count: number; median: number | null; p90: number | null };
  /** Absent from summaries made before appeals existed (decision 0064). */
  appeals?: { received: number; upheld: number; reversed: number; overdue: number };
}

export interface SummaryRange {
  from: string;
  to: string;
  days: DailySummary[];
  missing: string[];
}

export type CampaignStatus = 'open' | 'in_review' | 'actioned' | 'dismissed' | 'merged';
export type CampaignSort = 'newest' | 'severity' | 'largest';

export interface CampaignSummary {
  id: number;
  status: Stored<CampaignStatus>;
  severity: Stored<Severity>;
  severityReason: string;
  version: number;
  rulesVersion: number;
  memberCount: number;
  distinctReporters: number;
  carriers: string[];
  firstSeenAt: string;
  lastSeenAt: string;
  assignee: string | null;
  takenAction: string | null;
  mergedInto: number | null;
  openedAt: string;
  actionedAt: string | null;
}

export interface CampaignPage {
  items: CampaignSummary[];
  nextCursor: string | null;
  sort: CampaignSort;
}

export interface CampaignMember {
  reportedNumber: string;
  flagId: number;
  flagStatus: Stored<FlagStatus>;
  flagSeverity: Stored<Severity>;
  flagVersion: number;
  joinedAt: string;
  joinedBy: string;
  links: { with: string; explanation: string }[];
  mergedBySupervisor: boolean;
  nextSim: string | null;
}

export interface CampaignTimelineEntry {
  sequence: number;
  change: string;
  fromStatus: string | null;
  toStatus: string;
  actor: string;
  note: string | null;
  details: Record<string, unknown>;
  eventId: string | null;
  occurredAt: string;
}

export interface CampaignDetail extends CampaignSummary {
  members: CampaignMember[];
  timeline: CampaignTimelineEntry[];
}

export interface CampaignDecisionAnswer {
  campaign: CampaignSummary;
  changed: { reportedNumber: string; flagId: number; version: number; eventId: string | null }[];
  unchanged: { reportedNumber: string; flagId: number; reason: string }[];
}

export interface CampaignSplitAnswer {
  campaign: CampaignSummary;
  newCampaignId: number;
}
