import type {
  DecisionKind,
  FlagDecision,
  FlagSort,
  FlagStatus,
  Permission,
  Severity,
  TakenAction,
} from './vocabulary.ts';

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
  /** The flag's latest appeal (decision 0064); absent or null when never appealed. */
  appeal?: { id: number; status: string; receivedAt: string; dueAt: string; overdue: boolean } | null;
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
  /** The campaign the number is in (decision 0054); the console does not show campaigns yet. */
  campaign: {
    id: number;
    status: Stored<'open' | 'in_review' | 'actioned' | 'dismissed' | 'merged'>;
  } | null;
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

/** GET /api/v1/session (and POST's answer): who the session signs in, and its CSRF token. */
export interface SessionView extends Me {
  session: { expiresAt: string; csrfToken: string } | null;
}

/** GET /api/v1/flags/due-soon: the wave ahead. */
export interface DueSoon {
  at: string;
  overdue: number;
  within1h: number;
  within4h: number;
  byStage: {
    stage: 'queue' | 'review';
    severity: Severity;
    overdue: number;
    within1h: number;
    within4h: number;
  }[];
}

/** POST /api/v1/flags/bulk-decisions: what was done and what was refused, flag by flag. */
export interface BulkResult {
  done: { flagId: number; version: number; status: string }[];
  refused: { flagId: number; status: number; type: string; detail: string; currentVersion?: number }[];
}

interface Workload {
  inReview: number;
  overdue: number;
  oldestSlaStartedAt: string | null;
}

/** GET /api/v1/team: who holds what, and what is overdue. */
export interface TeamView {
  holders: (Workload & {
    name: string;
    canReview: boolean;
    flags: {
      id: number;
      version: number;
      reportedNumber: string;
      severity: Stored<Severity>;
      slaStartedAt: string;
      overdueSince: string | null;
    }[];
  })[];
  unassigned: { open: number; overdue: number; oldestSlaStartedAt: string | null };
  listedPerHolder: number;
}

/** GET /api/v1/decision-reasons: the configured reason codes of each kind of decision. */
export interface DecisionReasons {
  items: { kind: DecisionKind; decisions: FlagDecision[]; reasons: string[] }[];
}

export interface FlagState {
  status: Stored<FlagStatus>;
  assignee: string | null;
  version: number;
}

/** What one decision did, as POST /api/v1/flags/{id}/decisions answers it (decision 0046). */
export interface DecisionOutcome {
  decision: FlagDecision;
  reasonCode: string;
  note: string | null;
  decidedBy: string;
  decidedAt: string;
  before: FlagState;
  after: FlagState & { takenAction: Stored<TakenAction> | null };
  watchUntil: string | null;
  allowlisted: {
    kind: 'number';
    pattern: string;
    reason: string;
    owner: string;
    /** null: until a supervisor removes the entry. */
    until: string | null;
    alreadyListed: boolean;
  } | null;
  events: { eventId: string; type: string; topic: string }[];
  historySequence: number;
}

export interface DecisionAnswer {
  flag: FlagDetail;
  outcome: DecisionOutcome;
}

/** A history row of GET /api/v1/flags/{id}/history: with the reason and who held the flag before and after. */
export interface HistoryItem extends HistoryEntry {
  reasonCode: string | null;
  fromAssignee: string | null;
  toAssignee: string | null;
}

export interface FlagHistory {
  flagId: number;
  status: Stored<FlagStatus>;
  assignee: string | null;
  /** While watched: when it comes back to the queue. */
  watchUntil: string | null;
  items: HistoryItem[];
}

/** GET /api/v1/reviewers: who may be handed flags, least loaded first. */
export interface Reviewers {
  items: {
    name: string;
    role: string;
    lastUsedAt: string | null;
    inReview: number;
    overdue: number;
    oldestSlaStartedAt: string | null;
  }[];
}

export type RelatedWhy = 'shared_reporters' | 'same_number_block' | 'same_text';

/** GET /api/v1/flags/{id}/related: other flags and why each is related. */
export interface RelatedFlags {
  items: { flag: FlagSummary; why: RelatedWhy[]; sharedReporters: number; sharedTexts: number }[];
}
