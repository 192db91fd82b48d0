import { hasPermission, type Role } from './roles';

/**
 * Who may undo a decision on a flag (reopen a dismissal or an action): a supervisor's decision
 * (anyone holding flags:reassign) only someone at that level, so one analyst cannot reverse what a
 * supervisor decided, say an allowlisting dismissal, and then act on the number alone. Decisions
 * without a person's role (the scheduler's expiry, a legacy row) anyone who may act can undo.
 */
export function mayUndoDecision(decidedBy: Role | null, caller: Role): boolean {
  if (decidedBy === null || !hasPermission(decidedBy, 'flags:reassign')) return true;
  return hasPermission(caller, 'flags:reassign');
}
