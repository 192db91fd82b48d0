import { language } from './i18n.ts';
import { LABELS_VI } from './labels-vi.ts';

/**
 * The API's words, as the console shows them. The lists mirror libs/domain (a unit test holds them
 * equal); the console does not import the domain library, so that it compiles on its own for the browser.
 */

export const FLAG_STATUSES = ['open', 'in_review', 'actioned', 'dismissed', 'expired', 'watched'] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];

export const SEVERITIES = ['low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const TAKEN_ACTIONS = ['warn', 'block_outgoing', 'block_both', 'suspend', 'refer_police'] as const;
export type TakenAction = (typeof TAKEN_ACTIONS)[number];

/** Everything one decision can do, and the kinds whose reason lists the API serves (decision 0046). */
export const FLAG_DECISIONS = [...TAKEN_ACTIONS, 'dismiss', 'watch', 'reopen'] as const;
export type FlagDecision = (typeof FLAG_DECISIONS)[number];
export const DECISION_KINDS = ['act', 'dismiss', 'watch', 'reopen'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export const FLAG_SORTS = ['severity', 'oldest', 'newest', 'urgency'] as const;
export type FlagSort = (typeof FLAG_SORTS)[number];

export const PERMISSIONS = [
  'reports:submit',
  'submissions:review',
  'flags:read',
  'flags:act',
  'flags:reassign',
  'subscribers:read',
  'rules:read',
  'rules:write',
  'allowlist:read',
  'allowlist:write',
  'reporters:manage',
  'reporters:unmasked',
  'summaries:read',
  'tokens:manage',
  'audit:read',
  'console:sign-in',
  'appeals:record',
  'appeals:read',
  'appeals:decide',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Every code the API sends that the console shows; a unit test holds it complete. */
export const LABELS: Readonly<Record<string, string>> = {
  // Flag statuses and severities.
  open: 'Open',
  in_review: 'In review',
  actioned: 'Actioned',
  dismissed: 'Dismissed',
  expired: 'Expired',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  // Recommendations, decisions and commands.
  watch: 'Watch',
  warn: 'Warn the subscriber',
  block_outgoing: 'Block outgoing (one-way)',
  block_both: 'Block both ways',
  suspend: 'Suspend the subscription',
  refer_police: 'Refer to the police',
  investigate_origin: 'Investigate the origin',
  dismiss: 'Dismiss (no abuse)',
  reopen: 'Reopen',
  // The default reason codes (API_DECISION_REASONS may add others: those show as written).
  confirmed_scam: 'Confirmed scam',
  confirmed_spam: 'Confirmed spam',
  harassment: 'Harassment',
  repeat_offence: 'Repeat offence',
  authority_request: 'Requested by an authority',
  not_abuse: 'Not abuse',
  legitimate_business: 'Legitimate business',
  coordinated_reports: 'Coordinated false reports',
  insufficient_evidence: 'Not enough evidence',
  wrong_number: 'Wrong number reported',
  too_few_reports: 'Too few reports yet',
  unclear_content: 'Content unclear',
  awaiting_more_reports: 'Waiting for more reports',
  new_evidence: 'New evidence',
  decided_in_error: 'Decided in error',
  subscriber_complaint: 'Complaint from the subscriber',
  // Why a flag is related to another.
  shared_reporters: 'the same people reported it',
  same_number_block: 'a number in the same block',
  same_text: 'reports with the same text',
  // Changes in a flag's history.
  opened: 'Opened',
  raised: 'Raised',
  reopened: 'Reopened',
  watched: 'Watched',
  escalated: 'Escalated',
  overdue: 'Overdue',
  claimed: 'Claimed',
  assigned: 'Assigned',
  reassigned: 'Reassigned',
  marked_coordinated: 'Marked possibly coordinated',
  cleared_coordinated: 'Cleared of coordination',
  appealed: 'Appealed by the subscriber',
  appeal_upheld: 'Appeal upheld',
  lifted: 'Action lifted on appeal',
  // Appeals: statuses, decisions and how the subscriber got in touch.
  pending: 'Pending',
  upheld: 'Upheld',
  reversed: 'Reversed',
  uphold: 'Uphold',
  reverse: 'Reverse',
  phone_call: 'Phone call',
  shop: 'In a shop',
  email: 'Email',
  web_form: 'Web form',
  letter: 'Letter',
  // Report kinds, categories and channels.
  spam_call: 'Spam call',
  spam_sms: 'Spam SMS',
  scam_call: 'Scam call',
  impersonation: 'Impersonation',
  scam_other: 'Other scam',
  gambling: 'Gambling',
  debt_collection: 'Debt collection',
  loan_offer: 'Loan offer',
  advertising: 'Advertising',
  missed_call_bait: 'Missed-call bait',
  unknown: 'Not given',
  sms: 'SMS',
  hotline: 'Hotline',
  // Number types and carriers (of original allocation).
  mobile: 'mobile',
  fixed_line: 'fixed line',
  toll_free: 'toll-free',
  premium: 'premium-rate',
  other: 'other',
  viettel: 'Viettel',
  vinaphone: 'VinaPhone',
  mobifone: 'MobiFone',
  vietnamobile: 'Vietnamobile',
  gmobile: 'Gmobile',
  itelecom: 'iTel',
  reddi: 'Reddi',
  // Queue orders.
  severity: 'Most severe first',
  urgency: 'Most urgent first',
  oldest: 'Oldest first',
  newest: 'Newest first',
  // Campaigns: their status and the changes of their timeline (decision 0054).
  merged: 'Merged',
  members_changed: 'Members changed',
  split: 'Split',
  member_removed: 'Member taken out',
};

/** A readable label for one of the API's codes; an unknown code is shown as sent, underscores as spaces. */
export function label(code: string): string {
  const labels = language() === 'vi' ? LABELS_VI : LABELS;
  return Object.hasOwn(labels, code) ? labels[code] : code.replace(/_/g, ' ');
}
