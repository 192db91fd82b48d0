/**
 * What a flag says about its number. Most flags say the subscriber abuses the network
 * ('abuse'). A flag on a protected originator (a bank, an authority, the operator's own service
 * line) says something else: people receive calls and messages that show its number, the real
 * owner does not send them, so its caller ID is probably spoofed ('spoofing'). Blocking that
 * number would cut off the real bank and stop nothing; what helps is tracing where the traffic
 * enters the network (decision 0057).
 */
import { RECOMMENDED_ACTIONS, type RecommendedAction } from './rules';
import type { TakenAction } from './flag-state';

export const FLAG_KINDS = ['abuse', 'spoofing'] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

/** The one recommendation of a spoofing flag: find where the spoofed traffic comes in. */
export const INVESTIGATE_ORIGIN = 'investigate_origin';

/**
 * Every recommendation a flag can carry: the rules' actions, and the spoofing flag's own, which no
 * rule may recommend (it belongs to the number's kind, not to a count of reports).
 */
export const FLAG_RECOMMENDATIONS = [...RECOMMENDED_ACTIONS, INVESTIGATE_ORIGIN] as const;
export type FlagRecommendation = (typeof FLAG_RECOMMENDATIONS)[number];

/** Who a protected originator is; words for people, not rules: every kind is treated alike. */
export const PROTECTED_ORIGINATOR_KINDS = ['bank', 'authority', 'operator_service', 'other'] as const;
export type ProtectedOriginatorKind = (typeof PROTECTED_ORIGINATOR_KINDS)[number];

/** The kind of flag a rule firing gives the number, from whether it is a protected originator now. */
export function flagKindOf(protectedOriginator: boolean): FlagKind {
  return protectedOriginator ? 'spoofing' : 'abuse';
}

/**
 * What a flag of this kind recommends when a rule recommending `ruleAction` fires: a spoofing flag
 * always recommends investigating the origin, whatever the rule says, so no rule (and no repeat
 * offence) can ever make it recommend blocking the real owner's number.
 */
export function recommendationFor(
  kind: FlagKind,
  ruleAction: RecommendedAction | FlagRecommendation,
): FlagRecommendation {
  return kind === 'spoofing' ? INVESTIGATE_ORIGIN : ruleAction;
}

/**
 * Actions a person may take on a flag of this kind. On a spoofing flag only handing the evidence
 * to the police: it acts on whoever spoofs, never on the number's real owner.
 */
export function mayTakeAction(kind: FlagKind, action: TakenAction): boolean {
  return kind === 'abuse' || action === 'refer_police';
}
