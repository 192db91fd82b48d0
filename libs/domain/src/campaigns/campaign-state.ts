/**
 * A campaign's status, like a flag's (decision 0054):
 *
 *   open --claim--> in_review --decide(act)--> actioned
 *     \                 \------decide(dismiss)--> dismissed
 *      \--decide-------------------------------^
 *   actioned | dismissed --reopen--> open          any but merged --merge into another--> merged
 *
 * One decision on a campaign is one decision on each member flag: the caller applies the flag's
 * own command (actOnFlag, dismissFlag) to each, and members whose flag does not allow it (already
 * actioned, expired) are left as they are and named in the answer.
 *
 * The next SIM (next-sim.ts) is flagged through the flag rules' own state machine, as if a rule
 * named NEXT_SIM_RULE_ID had fired, so it opens, reopens or raises the number's flag exactly as a
 * rule would, with the campaign's match as its evidence.
 */
import {
  TAKEN_ACTIONS,
  applyRuleFiring,
  type FlagEvidence,
  type FlagState,
  type FlagTransition,
  type TakenAction,
} from '../flagging/flag-state';
import type { RecommendedAction, Rule, Severity } from '../flagging/rules';
import type { WindowCounts } from '../flagging/window-counts';

export const CAMPAIGN_STATUSES = ['open', 'in_review', 'actioned', 'dismissed', 'merged'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** What one decision on a campaign does to it and, through the flags' own commands, to each member. */
export const CAMPAIGN_DECISIONS = [...TAKEN_ACTIONS, 'dismiss'] as const;
export type CampaignDecision = (typeof CAMPAIGN_DECISIONS)[number];

export const CAMPAIGN_COMMANDS = ['claim', 'decide', 'reopen', 'merge', 'split', 'remove_member'] as const;
export type CampaignCommand = (typeof CAMPAIGN_COMMANDS)[number];

const ALLOWED_FROM: Readonly<Record<CampaignCommand, readonly CampaignStatus[]>> = {
  claim: ['open'],
  decide: ['open', 'in_review'],
  reopen: ['actioned', 'dismissed'],
  merge: ['open', 'in_review', 'actioned', 'dismissed'],
  split: ['open', 'in_review', 'actioned', 'dismissed'],
  remove_member: ['open', 'in_review', 'actioned', 'dismissed'],
};

export interface CampaignStatusRefusal {
  readonly reason: 'not_allowed_in_status';
  readonly command: CampaignCommand;
  readonly status: CampaignStatus;
  readonly message: string;
}

/** null when the command may be given to a campaign in this status. */
export function campaignCommandRefusal(
  status: CampaignStatus,
  command: CampaignCommand,
): CampaignStatusRefusal | null {
  if (ALLOWED_FROM[command].includes(status)) return null;
  return {
    reason: 'not_allowed_in_status',
    command,
    status,
    message: `cannot ${command.replace('_', ' ')} a campaign that is ${status}; allowed when ${ALLOWED_FROM[command].join(' or ')}`,
  };
}

/** The status a decision leaves the campaign in. */
export function statusAfterDecision(decision: CampaignDecision): CampaignStatus {
  return decision === 'dismiss' ? 'dismissed' : 'actioned';
}

export function takenActionOf(decision: CampaignDecision): TakenAction | null {
  return decision === 'dismiss' ? null : decision;
}

/** The rule id a next-SIM flag carries: no row of the flag rules, the campaign rules' version beside it. */
export const NEXT_SIM_RULE_ID = 'campaign-next-sim';

/** What a next-SIM flag's evidence adds to a rule's: the campaign and the match. */
export interface NextSimEvidence {
  readonly campaignId: string;
  readonly similarity: number;
  readonly matchingReporters: number;
  readonly reason: string;
}

/** A taken action as the flag recommends it again on the next SIM; referring to the police is a person's call. */
function recommendedFor(action: TakenAction | null): RecommendedAction {
  if (action === null || action === 'refer_police') return 'warn';
  return action;
}

export interface NextSimFlagInput {
  readonly reportedNumber: string;
  readonly flag: FlagState | null;
  readonly match: NextSimEvidence;
  /** The actioned campaign's severity and the action taken on it. */
  readonly severity: Severity;
  readonly takenAction: TakenAction | null;
  readonly rulesVersion: number;
  readonly threshold: number;
  readonly at: number;
  readonly counts: WindowCounts;
  readonly reportIds: readonly string[];
}

/**
 * Flags the next SIM of an actioned campaign: opens (or reopens, or raises) its flag with the
 * campaign's severity and the action taken on the campaign as the recommendation, and evidence that
 * names the campaign and why. Null when the flag's state machine says nothing changes (a flag
 * already open at that severity or above).
 */
export function flagNextSim(input: NextSimFlagInput): FlagTransition | null {
  const rule: Rule = {
    id: NEXT_SIM_RULE_ID,
    version: input.rulesVersion,
    name: `matches actioned campaign ${input.match.campaignId}`,
    windowSeconds: 604_800,
    measure: 'distinct_reporters',
    threshold: input.threshold,
    severity: input.severity,
    action: recommendedFor(input.takenAction),
    enabled: true,
  };
  const evidence: FlagEvidence & { readonly campaign: NextSimEvidence } = {
    ruleId: NEXT_SIM_RULE_ID,
    ruleVersion: input.rulesVersion,
    measured: input.match.matchingReporters,
    threshold: input.threshold,
    counts: input.counts,
    reportIds: input.reportIds.slice(0, 100),
    reportsBehind: input.reportIds.length,
    campaign: input.match,
  };
  return applyRuleFiring(input.reportedNumber, input.flag, { rule, at: input.at, evidence });
}
