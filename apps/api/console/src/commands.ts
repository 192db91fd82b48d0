import type { FlagStatus, Permission, TakenAction } from './vocabulary.ts';
import { t } from './i18n.ts';
import { TAKEN_ACTIONS } from './vocabulary.ts';

/**
 * Which commands the console offers on a flag, by its status and the caller's role. It mirrors the
 * API's checks so that analysts are not shown buttons that can only fail; the API still decides.
 */

export interface Caller {
  name: string;
  permissions: readonly Permission[];
}

export interface FlagForCommands {
  /** 'unknown' when the API read a status it does not recognise (decision 0029). */
  status: FlagStatus | 'unknown';
  assignee: string | null;
  /** Watching is offered only where the rules recommend it, as the API allows (decision 0047). */
  recommendedAction: string;
  /** 'spoofing': a protected originator's flag, on which the API refuses every action but refer_police. */
  kind?: string;
}

export interface OfferedCommands {
  /** Take the flag for review (or, for a supervisor, take it over). */
  claim: boolean;
  /** Hand the flag to someone else by name. */
  assignToOthers: boolean;
  /** Decisions: the actions on the subscriber, then dismissal. */
  actions: TakenAction[];
  dismiss: boolean;
  /** Watch: leave the flag out of the queue until a date, where the rules recommend it. */
  watch: boolean;
  /** Dismissing may also put the number on the allowlist. */
  allowlistOnDismiss: boolean;
  reopen: boolean;
  /** Why nothing or less is offered, for the analyst to read. */
  why: string | null;
}

const NOTHING: OfferedCommands = {
  claim: false,
  assignToOthers: false,
  actions: [],
  dismiss: false,
  watch: false,
  allowlistOnDismiss: false,
  reopen: false,
  why: null,
};

export function offeredCommands(flag: FlagForCommands, caller: Caller): OfferedCommands {
  const may = (p: Permission) => caller.permissions.includes(p);
  if (!may('flags:act')) return { ...NOTHING, why: t('why.mayNotAct') };
  const supervisor = may('flags:reassign');
  if (flag.status === 'actioned' || flag.status === 'dismissed' || flag.status === 'expired')
    return { ...NOTHING, reopen: true };
  const spoofing = flag.kind === 'spoofing';
  const decide = {
    actions: spoofing ? (['refer_police'] as TakenAction[]) : [...TAKEN_ACTIONS],
    dismiss: true,
    allowlistOnDismiss: may('allowlist:write'),
  };
  // Watched: out of the queue, nobody holds it; it may be decided or reopened, not claimed.
  if (flag.status === 'watched') return { ...NOTHING, ...decide, reopen: true };
  // A status this console does not know (a newer API) gets nothing: the API would judge, not us.
  if (flag.status !== 'open' && flag.status !== 'in_review')
    return { ...NOTHING, why: t('why.unknownStatus', { status: String(flag.status) }) };
  const reviewedByOther = flag.status === 'in_review' && flag.assignee !== caller.name;
  if (reviewedByOther && !supervisor)
    return {
      ...NOTHING,
      why: t('why.reviewedByOther', { assignee: flag.assignee ?? '' }),
    };
  return {
    ...NOTHING,
    ...decide,
    watch: flag.recommendedAction === 'watch',
    ...(spoofing ? { why: t('why.spoofing') } : {}),
    claim: flag.status === 'open' || reviewedByOther,
    assignToOthers: supervisor,
  };
}
