/**
 * The escalation ladder for repeat offenders: a number that is reported again after a person acted
 * on it deserves at least the next step. Watching is not on the ladder (it is no action against
 * the subscriber), nor is referring to the police (a person's judgement of a crime, not a step).
 */
import type { TakenAction } from './flag-state';
import { RECOMMENDED_ACTIONS, type RecommendedAction } from './rules';

/** Mildest first. */
export const ESCALATION_LADDER = ['warn', 'block_outgoing', 'block_both', 'suspend'] as const;
export type LadderAction = (typeof ESCALATION_LADDER)[number];

/**
 * The step after the last action taken: 'warn' when nothing was taken yet. The top stays the top,
 * and a number handed to the police that offends again gets the top too: the police act on the
 * person, the operator still has to stop the line.
 */
export function nextOnLadder(action: TakenAction | null): RecommendedAction {
  if (action === null) return ESCALATION_LADDER[0];
  if (action === 'refer_police') return 'suspend';
  const index = ESCALATION_LADDER.indexOf(action);
  return ESCALATION_LADDER[Math.min(index + 1, ESCALATION_LADDER.length - 1)];
}

/** The harsher of two recommendations, by RECOMMENDED_ACTIONS order. */
export function strongerAction(a: RecommendedAction, b: RecommendedAction): RecommendedAction {
  return RECOMMENDED_ACTIONS.indexOf(b) > RECOMMENDED_ACTIONS.indexOf(a) ? b : a;
}
