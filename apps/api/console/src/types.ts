import type { FlagSort, FlagStatus, Permission, Severity, TakenAction } from './vocabulary.ts';

/** The answers of the API the console reads (its OpenAPI document at /docs has them whole). */

/**
 * A code the API read from the database but does not recognise (written by a newer version, or
 * by hand) comes as 'unknown' (decision 0029); the console shows it as it shows any code.
 */
export type Stored<T extends string> = T | 'unknown';

export interface Me {
  name: string;
  role: string;
  permissions: Permission[];
}

export interface FlagSummary {
  id: number;
  version: number;
  reportedNumber: string;
  /** 'spoofing': a protected originator's flag, never to block (decision 0057). */
  kind: string;
  status: Stored<FlagStatus>;
  severity: Stored<Severity>;
  ruleId: string;
  ruleVersion: number;
  recommendedAction: string;
  takenAction: Stored<TakenAction> | null;
  openedAt: string;
  lastChangeAt: string;
  assignee: string | null;
  possiblyCoordinated: boolean;
  numberType: string | null;
  carrier: string | null;
  distinctReporters24h: number | null;
  slaStartedAt: string;
  /** When the SLA runs out; null once decided. */
  slaDueAt?: string | null;
  lastReportAt?: string | null;
  overdueSince: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A page of the queue: the total is counted on the first page only (null after). */
export interface FlagPage extends Page<FlagSummary> {
  total: number | null;
  sort: FlagSort;
}

export interface WindowCount {
  reports: number;
  distinctReporters: number;
}

export interface Counters {
  numberType: string;
  carrier: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  totalReports: number;
  countedAt: string;
  windows: Record<'1h' | '24h' | '7d' | '30d', WindowCount>;
  byKind30d: Record<string, WindowCount>;
  byCategory30d: Record<string, WindowCount>;
}

export interface Report {
  reportId: string;
  reporter: string;
  channel: string;
  shortCode: string | null;
  /** The hotline agent who entered it; null for an SMS. */
  agentId: string | null;
  kind: string;
  category: string;
  content: string | null;
  receivedAt: string;
  weighted: boolean;
}

export interface HistoryEntry {
  sequence: number;
  change: string;
  fromStatus: Stored<FlagStatus> | null;
  toStatus: Stored<FlagStatus>;
  severity: Stored<Severity>;
  ruleId: string;
  ruleVersion: number;
  recommendedAction: string;
  takenAction: Stored<TakenAction> | null;
  possiblyCoordinated: boolean;
  actor: string;
  note: string | null;
  /** The event published for this change on subscriber.flags; null when it published none. */
  eventId: string | null;
  occurredAt: string;
}

export interface RuleDefinition {
  id: string;
  version: number;
  name: string;
  windowSeconds: number;
  measure: string;
  kind: string | null;
  category: string | null;
  numberType: string | null;
  threshold: number;
  severity: Severity;
  action: string;
  enabled: boolean;
}

export interface Evidence {
  ruleId: string;
  ruleVersion: number;
  measured: number;
  threshold: number;
  reportsBehind: number;
  reportIds: string[];
  /** Every counter of the number when the rule fired. */
  counts: Record<string, unknown>;
  /** Set when one agent entered every report behind the rule (absent in older evidence). */
  cap?: { severity: Severity; agentId: string; explanation: string } | null;
}

/** Who stands behind the reports that count towards the flag. */
export interface Sources {
  smsReporters: number;
  agents: { agentId: string; reports: number }[];
  singleSource: string | null;
}

export interface FlagDetail extends FlagSummary {
  countsReportsAfter: string | null;
  coordinationShare: number | null;
  rule: RuleDefinition | null;
  evidence: Evidence | null;
  sources: Sources;
  counters: Counters | null;
  recentReports: Report[];
  history: HistoryEntry[];
}

/** GET /api/v1/subscribers/{number}: what is known of one number. */
export interface Subscriber {
  reportedNumber: string;
  nationalNumber: string | null;
  counters: Counters | null;
  flag: FlagSummary | null;
  flagHistory: HistoryEntry[];
  recentReports: Report[];
  allowlisted: { kind: string; pattern: string; reason: string; owner: string } | null;
}
