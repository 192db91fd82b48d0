/**
 * The API's answers the team's pages read (apps/api/src/rules, allowlist, protected-originators,
 * reporters, tokens, audit), written out so that the console compiles on its own for the browser.
 */

/** A list the API pages by cursor: null after the last page. */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

export const RULE_WINDOWS = [3_600, 86_400, 604_800, 2_592_000] as const;
export const RULE_MEASURES = ['distinct_reporters', 'reports'] as const;
export const RULE_KINDS = ['spam_call', 'spam_sms', 'scam_call'] as const;
export const RULE_CATEGORIES = [
  'impersonation',
  'scam_other',
  'gambling',
  'debt_collection',
  'loan_offer',
  'advertising',
  'missed_call_bait',
  'unknown',
] as const;
export const RULE_NUMBER_TYPES = ['mobile', 'fixed_line', 'toll_free', 'premium', 'other'] as const;
export const RULE_ACTIONS = ['watch', 'warn', 'block_outgoing', 'block_both', 'suspend'] as const;
export const RULE_SEVERITIES = ['low', 'medium', 'high'] as const;

/** The fields a supervisor sets on a rule. */
export interface RuleFields {
  name: string;
  windowSeconds: number;
  measure: string;
  kind: string | null;
  category: string | null;
  numberType: string | null;
  threshold: number;
  severity: string;
  action: string;
  enabled: boolean;
}

export interface RuleDefinition extends RuleFields {
  id: string;
  version: number;
}

export interface RuleView extends RuleDefinition {
  updatedAt: string;
  updatedBy: string;
}

/** GET /api/v1/rules/{id}: the rule and every version it has had. */
export interface RuleDetail extends RuleView {
  versions: (RuleDefinition & { createdAt: string; createdBy: string })[];
}

export const CHANGE_KINDS = ['opened', 'closed', 'raised', 'lowered', 'actionChanged'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface ReplayedFlag {
  severity: string;
  ruleId: string;
  ruleVersion: number;
  recommendedAction: string;
  openedAt: number;
  transitions: number;
}

/** POST /api/v1/rules/what-if. */
export interface RulePreview {
  from: string;
  to: string;
  reports: number;
  numbers: number;
  numbersReplayed: number;
  anonymisedReports: number;
  changes: Record<ChangeKind, number>;
  examples: Record<
    ChangeKind,
    { reportedNumber: string; before: ReplayedFlag | null; after: ReplayedFlag | null }[]
  >;
  tookMs: number;
}

export const ALLOWLIST_KINDS = ['number', 'prefix'] as const;

export interface AllowlistEntry {
  id: number;
  version: number;
  kind: string;
  pattern: string;
  reason: string;
  owner: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  expiresAt: string | null;
  inForce: boolean;
}

export const PROTECTED_KINDS = ['bank', 'authority', 'operator_service', 'other'] as const;

export interface ProtectedOriginator {
  id: number;
  version: number;
  number: string;
  name: string;
  kind: string;
  reason: string;
  createdAt: string;
  createdBy: string;
}

export interface ReporterView {
  reporter: string;
  standing: string;
  suspiciousSince: string | null;
  clearedAt: string | null;
  clearedBy: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  totalReports: number;
}

export const TOKEN_ROLES = ['agent', 'analyst', 'supervisor', 'admin'] as const;

export interface TokenView {
  id: string;
  name: string;
  role: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  revokedBy: string | null;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

export const AUDIT_TARGET_TYPES = [
  'flag',
  'rule',
  'allowlist',
  'protected_originator',
  'token',
  'reporter',
  'submission',
  'campaign',
  'appeal',
] as const;

export interface AuditEntry {
  id: string;
  occurredAt: string;
  actor: string;
  actorRole: string | null;
  action: string;
  targetType: string;
  targetId: string;
  method: string | null;
  path: string | null;
  before: unknown;
  after: unknown;
}
