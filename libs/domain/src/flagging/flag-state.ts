/**
 * The flag of one reported number as a state machine. Each number has at most one flag, which
 * lives on: an actioned, dismissed or expired flag is reopened rather than replaced, so its
 * history tells the whole story and its event sequence never restarts.
 *
 *   (none) ──rule──► open ──claim | assign──► in_review
 *   in_review ──assign (to someone else)──► in_review (reassigned)
 *   open | in_review ──stronger rule──► raised (same status, higher severity)
 *   open | in_review ──act──► actioned      open | in_review ──dismiss──► dismissed
 *   open (low) ──expire──► expired
 *   open (low | medium) ──escalate (not claimed in time)──► escalated (open, one severity up)
 *   open (high) ──escalate (not claimed in time)──► overdue (open, nothing else changes)
 *   in_review ──mark_review_overdue (not decided in time)──► overdue (in_review, same reviewer)
 *   actioned | expired ──any rule on reports after it──► reopened (open)
 *   dismissed ──a strictly more severe rule on reports after it──► reopened (open)
 *   actioned | dismissed | expired | watched ──reopen (a person)──► open
 *   open | in_review (recommending watch) ──watch (a person, until a date)──► watched
 *   watched ──any rule on a new report──► reopened (open)
 *   watched ──end_watch (its date passed)──► reopened (open)
 *   watched ──act | dismiss──► actioned | dismissed
 *   actioned ──reopen_repeat (new reporters after the action)──► reopened (open, next ladder step)
 *   actioned ──appeal (the subscriber disputes the action)──► appealed (actioned, history only)
 *   any ──uphold_appeal (a supervisor keeps the action)──► appeal_upheld (same status, history only)
 *   actioned ──lift (a supervisor reverses the action on appeal)──► lifted (dismissed, no action)
 *
 * A flag reopened after an action recommends at least the next step of the ladder (ladder.ts).
 *
 * Every transition is a row of history with the next sequence number; the ones the rest of the
 * operator's systems care about are also events, whose ids derive from the number and the
 * sequence, so replaying the same input from the same state gives the same ids.
 */
import type { SeverityCap } from './independent-sources';
import type { WindowCounts } from './window-counts';
import {
  INVESTIGATE_ORIGIN,
  mayTakeAction,
  recommendationFor,
  type FlagKind,
  type FlagRecommendation,
} from './flag-kind';
import { nextOnLadder, strongerAction } from './ladder';
import { SEVERITIES, severityRank, type Rule, type Severity } from './rules';

/**
 * 'watched': a person judged the flag worth keeping an eye on but not worth an action yet (the
 * rules recommend watching); it is out of the queue until a new report makes a rule fire or its
 * watch date passes, and then it comes back unassigned (decision 0047).
 */
export const FLAG_STATUSES = ['open', 'in_review', 'actioned', 'dismissed', 'expired', 'watched'] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];

/**
 * What a person can do to a number: the ladder's actions (watching is not an action), and handing
 * the case to the police, which no rule recommends because only a person can judge a crime.
 */
export const TAKEN_ACTIONS = ['warn', 'block_outgoing', 'block_both', 'suspend', 'refer_police'] as const;
export type TakenAction = (typeof TAKEN_ACTIONS)[number];

export const FLAG_EVENT_TYPES = [
  'opened',
  'raised',
  'actioned',
  'dismissed',
  'reopened',
  'expired',
  'escalated',
  'overdue',
  // An action reversed on appeal: provisioning undoes what it did for takenAction (decision 0065).
  'lifted',
] as const;
export type FlagEventType = (typeof FLAG_EVENT_TYPES)[number];

/**
 * Every kind of history row; claims, assignments and coordination marks are history only, not
 * events: who works on a flag matters to the team, not to the operator's other systems.
 */
export const FLAG_CHANGES = [
  ...FLAG_EVENT_TYPES,
  'claimed',
  'assigned',
  'reassigned',
  'watched',
  'marked_coordinated',
  'cleared_coordinated',
  // An appeal recorded and an appeal upheld change nothing downstream (decision 0064).
  'appealed',
  'appeal_upheld',
] as const;
export type FlagChange = (typeof FLAG_CHANGES)[number];

/** The actor of transitions made by rules. */
export const RULES_ACTOR = 'rules';
export const SCHEDULER_ACTOR = 'scheduler';

export interface FlagState {
  readonly reportedNumber: string;
  /**
   * 'spoofing' when the number was a protected originator at the last rule-made change
   * (flag-kind.ts); such a flag recommends investigating the origin and is never actioned.
   */
  readonly kind: FlagKind;
  readonly status: FlagStatus;
  readonly severity: Severity;
  /** The rule (and its version) that set the current severity. */
  readonly ruleId: string;
  readonly ruleVersion: number;
  readonly recommendedAction: FlagRecommendation;
  /** The last action a person took; kept when the flag is reopened. */
  readonly takenAction: TakenAction | null;
  readonly openedAt: number;
  /** Never goes back, even when a late report makes a rule fire at an earlier moment. */
  readonly lastChangeAt: number;
  /**
   * Set when the flag is actioned, dismissed or expired: from then on only reports received after
   * this moment count towards this flag, so the reports a person already judged cannot reopen it.
   */
  readonly countsReportsAfter: number | null;
  /** Who reviews the flag (claimed or assigned); cleared when it is reopened. */
  readonly assignee: string | null;
  readonly possiblyCoordinated: boolean;
  /** The sequence number of the last history row. */
  readonly sequence: number;
}

/** Why a rule-made transition happened: the counts when it fired and the reports behind it. */
export interface FlagEvidence {
  readonly ruleId: string;
  readonly ruleVersion: number;
  /** The rule's measure when it fired, over the weighted reports it counts. */
  readonly measured: number;
  readonly threshold: number;
  /** All reports of the number (weighted or not) at that moment. */
  readonly counts: WindowCounts;
  /** Capped; see reportsBehind. */
  readonly reportIds: readonly string[];
  readonly reportsBehind: number;
  /**
   * Set when the flag got less than the rule's severity because one agent entered every report
   * behind it. Absent in evidence recorded before caps existed.
   */
  readonly cap?: SeverityCap | null;
}

export interface FlagHistoryEntry {
  readonly reportedNumber: string;
  readonly sequence: number;
  readonly at: number;
  readonly change: FlagChange;
  readonly fromStatus: FlagStatus | null;
  readonly toStatus: FlagStatus;
  readonly severity: Severity;
  readonly ruleId: string;
  readonly ruleVersion: number;
  readonly recommendedAction: FlagRecommendation;
  readonly takenAction: TakenAction | null;
  readonly possiblyCoordinated: boolean;
  /** RULES_ACTOR, SCHEDULER_ACTOR or the analyst. */
  readonly actor: string;
  readonly note: string | null;
  readonly evidence: FlagEvidence | null;
  /** Why a person decided (a code from the configured list, decision-reasons.ts); null otherwise. */
  readonly reasonCode?: string | null;
  /** Who held the flag before and after the change: a handover reads "from -> to". */
  readonly fromAssignee?: string | null;
  readonly toAssignee?: string | null;
}

export interface FlagEvent {
  readonly eventId: string;
  readonly type: FlagEventType;
  readonly reportedNumber: string;
  readonly sequence: number;
  readonly at: number;
  /** Downstream systems must never block the number of a 'spoofing' flag. */
  readonly kind: FlagKind;
  readonly status: FlagStatus;
  readonly severity: Severity;
  readonly ruleId: string;
  readonly ruleVersion: number;
  readonly recommendedAction: FlagRecommendation;
  readonly takenAction: TakenAction | null;
  readonly possiblyCoordinated: boolean;
  readonly actor: string;
  readonly note: string | null;
  readonly evidence: FlagEvidence | null;
  /** The campaign the number is in, when the change came from it (decision 0054); absent otherwise. */
  readonly campaignId?: string | null;
  /** On a 'lifted' event: the action provisioning must undo (decision 0065); absent otherwise. */
  readonly liftedAction?: TakenAction | null;
}

export interface FlagTransition {
  readonly state: FlagState;
  readonly historyEntry: FlagHistoryEntry;
  readonly event: FlagEvent | null;
}

/** Deterministic: the same number and sequence always give the same id ('flag:+84912345678:3'). */
export function flagEventId(reportedNumber: string, sequence: number): string {
  return `flag:${reportedNumber}:${sequence}`;
}

function isEventType(change: FlagChange): change is FlagEventType {
  return (FLAG_EVENT_TYPES as readonly string[]).includes(change);
}

function transition(
  before: FlagState | null,
  after: FlagState,
  change: FlagChange,
  at: number,
  actor: string,
  note: string | null,
  evidence: FlagEvidence | null,
  reasonCode: string | null = null,
): FlagTransition {
  const historyEntry: FlagHistoryEntry = {
    reportedNumber: after.reportedNumber,
    sequence: after.sequence,
    at,
    change,
    fromStatus: before === null ? null : before.status,
    toStatus: after.status,
    severity: after.severity,
    ruleId: after.ruleId,
    ruleVersion: after.ruleVersion,
    recommendedAction: after.recommendedAction,
    takenAction: after.takenAction,
    possiblyCoordinated: after.possiblyCoordinated,
    actor,
    note,
    evidence,
    reasonCode,
    fromAssignee: before === null ? null : before.assignee,
    toAssignee: after.assignee,
  };
  const event: FlagEvent | null = isEventType(change)
    ? {
        eventId: flagEventId(after.reportedNumber, after.sequence),
        type: change,
        reportedNumber: after.reportedNumber,
        sequence: after.sequence,
        at,
        kind: after.kind,
        status: after.status,
        severity: after.severity,
        ruleId: after.ruleId,
        ruleVersion: after.ruleVersion,
        recommendedAction: after.recommendedAction,
        takenAction: after.takenAction,
        possiblyCoordinated: after.possiblyCoordinated,
        actor,
        note,
        evidence,
      }
    : null;
  return { state: after, historyEntry, event };
}

function next(flag: FlagState, at: number, changes: Partial<FlagState>): FlagState {
  return { ...flag, ...changes, lastChangeAt: Math.max(flag.lastChangeAt, at), sequence: flag.sequence + 1 };
}

// ---------------------------------------------------------------------------------------------
// Rules firing

/**
 * What a firing rule of this severity does to the flag, counting only reports received after
 * `countsReportsAfter` (the caller's job, see evaluateNumber); null when it changes nothing.
 */
export function changeOnRuleFiring(
  flag: FlagState | null,
  severity: Severity,
): 'opened' | 'raised' | 'reopened' | null {
  if (flag === null) return 'opened';
  const stronger = severityRank(severity) > severityRank(flag.severity);
  switch (flag.status) {
    case 'open':
    case 'in_review':
      return stronger ? 'raised' : null;
    // Watching waits for news: any report that makes a rule fire is news, whatever its severity.
    case 'watched':
    case 'actioned':
    case 'expired':
      return 'reopened';
    case 'dismissed':
      // A person judged these reports harmless; only clearly stronger new evidence brings it back.
      return stronger ? 'reopened' : null;
  }
}

export interface RuleFiring {
  readonly rule: Rule;
  readonly at: number;
  readonly evidence: FlagEvidence;
  /** The kind the flag takes from this firing on; 'abuse' when absent. */
  readonly kind?: FlagKind;
}

function recommendedOnReopening(flag: FlagState, rule: Rule): FlagRecommendation {
  return flag.takenAction === null || flag.recommendedAction === INVESTIGATE_ORIGIN
    ? rule.action
    : strongerAction(rule.action, nextOnLadder(flag.takenAction));
}

/** Raising never lowers what is recommended (a repeat offence may already have raised it). */
function recommendedOnRaising(flag: FlagState, rule: Rule): FlagRecommendation {
  return flag.recommendedAction === INVESTIGATE_ORIGIN
    ? rule.action
    : strongerAction(rule.action, flag.recommendedAction);
}

/**
 * Opens, raises or reopens the number's flag for a firing rule; null when nothing changes. A flag
 * reopened after a person acted recommends at least the next step of the ladder, whichever rule
 * fired: a number already warned or blocked that is reported again has shown the step did not work.
 */
export function applyRuleFiring(
  reportedNumber: string,
  flag: FlagState | null,
  firing: RuleFiring,
): FlagTransition | null {
  const { rule, at, evidence } = firing;
  const kind = firing.kind ?? 'abuse';
  const change = changeOnRuleFiring(flag, rule.severity);
  if (change === null) return null;
  const fromRule = {
    kind,
    severity: rule.severity,
    ruleId: rule.id,
    ruleVersion: rule.version,
    recommendedAction: recommendationFor(kind, rule.action),
  };
  if (flag === null) {
    const opened: FlagState = {
      reportedNumber,
      status: 'open',
      ...fromRule,
      takenAction: null,
      openedAt: at,
      lastChangeAt: at,
      countsReportsAfter: null,
      assignee: null,
      possiblyCoordinated: false,
      sequence: 1,
    };
    return transition(null, opened, 'opened', at, RULES_ACTOR, null, evidence);
  }
  const after =
    change === 'reopened'
      ? next(flag, at, {
          ...fromRule,
          recommendedAction: recommendationFor(kind, recommendedOnReopening(flag, rule)),
          status: 'open',
          assignee: null,
        })
      : next(flag, at, {
          ...fromRule,
          recommendedAction: recommendationFor(kind, recommendedOnRaising(flag, rule)),
        });
  return transition(flag, after, change, at, RULES_ACTOR, null, evidence);
}

// ---------------------------------------------------------------------------------------------
// What people (and the scheduler) do

export const FLAG_COMMANDS = [
  'claim',
  'assign',
  'act',
  'dismiss',
  'reopen',
  'expire',
  'escalate',
  'mark_review_overdue',
  'reopen_repeat',
  'watch',
  'end_watch',
  'appeal',
  'uphold_appeal',
  'lift',
] as const;
export type FlagCommand = (typeof FLAG_COMMANDS)[number];

export const FLAG_REFUSAL_REASONS = [
  'not_allowed_in_status',
  'not_low_severity',
  'unknown_action',
  'already_assigned',
  'no_action_taken',
  'watch_not_recommended',
  'invalid_watch_date',
  'spoofing_flag',
] as const;
export type FlagRefusalReason = (typeof FLAG_REFUSAL_REASONS)[number];

export interface FlagRefusal {
  readonly reason: FlagRefusalReason;
  readonly command: FlagCommand;
  readonly status: FlagStatus;
  readonly message: string;
}

export type FlagCommandResult =
  | { readonly ok: true; readonly transition: FlagTransition }
  | { readonly ok: false; readonly refusal: FlagRefusal };

const ALLOWED_FROM: Readonly<Record<FlagCommand, readonly FlagStatus[]>> = {
  claim: ['open'],
  assign: ['open', 'in_review'],
  act: ['open', 'in_review', 'watched'],
  dismiss: ['open', 'in_review', 'watched'],
  reopen: ['actioned', 'dismissed', 'expired', 'watched'],
  expire: ['open'],
  escalate: ['open'],
  mark_review_overdue: ['in_review'],
  reopen_repeat: ['actioned'],
  watch: ['open', 'in_review'],
  end_watch: ['watched'],
  appeal: ['actioned'],
  // Upholding changes nothing but the record: the flag may have moved on since the appeal.
  uphold_appeal: ['open', 'in_review', 'actioned', 'dismissed', 'expired', 'watched'],
  lift: ['actioned'],
};

function refuse(
  flag: FlagState,
  command: FlagCommand,
  reason: FlagRefusalReason,
  message: string,
): FlagCommandResult {
  return { ok: false, refusal: { reason, command, status: flag.status, message } };
}

function refuseByStatus(flag: FlagState, command: FlagCommand): FlagCommandResult | null {
  if (ALLOWED_FROM[command].includes(flag.status)) return null;
  return refuse(
    flag,
    command,
    'not_allowed_in_status',
    `cannot ${command} a flag that is ${flag.status}; allowed when ${ALLOWED_FROM[command].join(' or ')}`,
  );
}

export interface AnalystCommand {
  readonly analyst: string;
  readonly at: number;
  readonly note?: string | null;
  /** Checked against the configured list by the caller (reasonCodeRefusal); stored as given. */
  readonly reasonCode?: string | null;
}

/** A person takes an open flag for review. */
export function claimFlag(flag: FlagState, command: AnalystCommand): FlagCommandResult {
  const refusal = refuseByStatus(flag, 'claim');
  if (refusal !== null) return refusal;
  const after = next(flag, command.at, { status: 'in_review', assignee: command.analyst });
  return {
    ok: true,
    transition: transition(flag, after, 'claimed', command.at, command.analyst, command.note ?? null, null),
  };
}

/**
 * Puts a flag in someone's hands: an open flag is claimed (the actor takes it) or assigned (to
 * someone else); a flag under review is reassigned. Whether the actor may hand flags to others is
 * the caller's check (the 'flags:reassign' permission), not the state machine's.
 */
export function assignFlag(
  flag: FlagState,
  command: {
    readonly assignee: string;
    readonly actor: string;
    readonly at: number;
    readonly note?: string | null;
  },
): FlagCommandResult {
  const refusal = refuseByStatus(flag, 'assign');
  if (refusal !== null) return refusal;
  if (flag.status === 'in_review' && flag.assignee === command.assignee) {
    // A repeat (a double click, a retried request) would otherwise write a row that changes nothing.
    return refuse(flag, 'assign', 'already_assigned', `the flag is already assigned to ${command.assignee}`);
  }
  const change: FlagChange =
    flag.status === 'in_review' ? 'reassigned' : command.assignee === command.actor ? 'claimed' : 'assigned';
  const after = next(flag, command.at, { status: 'in_review', assignee: command.assignee });
  return {
    ok: true,
    transition: transition(flag, after, change, command.at, command.actor, command.note ?? null, null),
  };
}

/** A person acts on the number; from then on only newer reports count towards the flag. */
export function actOnFlag(
  flag: FlagState,
  command: AnalystCommand & { readonly action: TakenAction },
): FlagCommandResult {
  const refusal = refuseByStatus(flag, 'act');
  if (refusal !== null) return refusal;
  if (!(TAKEN_ACTIONS as readonly string[]).includes(command.action)) {
    return refuse(flag, 'act', 'unknown_action', `action must be one of ${TAKEN_ACTIONS.join(', ')}`);
  }
  if (!mayTakeAction(flag.kind, command.action)) {
    return refuse(
      flag,
      'act',
      'spoofing_flag',
      `${flag.reportedNumber} is a protected originator whose caller ID is probably spoofed: ` +
        `${command.action} would cut off its real owner; investigate the origin, refer it to the police or dismiss it`,
    );
  }
  const after = next(flag, command.at, {
    status: 'actioned',
    takenAction: command.action,
    countsReportsAfter: command.at,
  });
  return {
    ok: true,
    transition: transition(
      flag,
      after,
      'actioned',
      command.at,
      command.analyst,
      command.note ?? null,
      null,
      command.reasonCode ?? null,
    ),
  };
}

/** A person judges the reports harmless (or abusive); they no longer count towards the flag. */
export function dismissFlag(flag: FlagState, command: AnalystCommand): FlagCommandResult {
  const refusal = refuseByStatus(flag, 'dismiss');
  if (refusal !== null) return refusal;
  const after = next(flag, command.at, { status: 'dismissed', countsReportsAfter: command.at });
  return {
    ok: true,
    transition: transition(
      flag,
      after,
      'dismissed',
      command.at,
      command.analyst,
      command.note ?? null,
      null,
      command.reasonCode ?? null,
    ),
  };
}

/** A person reopens a closed flag; it goes back to the queue unassigned. */
export function reopenFlag(flag: FlagState, command: AnalystCommand): FlagCommandResult {
  const refusal = refuseByStatus(flag, 'reopen');
  if (refusal !== null) return refusal;
  const after = next(flag, command.at, { status: 'open', assignee: null });
  return {
    ok: true,
    transition: transition(
      flag,
      after,
      'reopened',
      command.at,
      command.analyst,
      command.note ?? null,
      null,
      command.reasonCode ?? null,
    ),
  };
}

/**
 * Closes an open low-severity flag nobody needed to act on (the scheduler decides when, e.g. no
 * new report for some days). Medium and high flags wait for a person.
 */
export function expireFlag(
  flag: FlagState,
  command: { readonly at: number; readonly actor?: string; readonly note?: string | null },
): FlagCommandResult {
  const refusal = refuseByStatus(flag, 'expire');
  if (refusal !== null) return refusal;
  if (flag.severity !== 'low') {
    return refuse(
      flag,
      'expire',
      'not_low_severity',
      `only low-severity flags expire; this one is ${flag.severity}`,
    );
  }
  const after = next(flag, command.at, { status: 'expired', countsReportsAfter: command.at });
  const actor = command.actor ?? SCHEDULER_ACTOR;
  return {
    ok: true,
    transition: transition(flag, after, 'expired', command.at, actor, command.note ?? null, null),
  };
}

/**
 * Records the outcome of a coordination check (see coordination.ts) on the flag, for a person to
 * judge; null when the mark does not change. It changes nothing else: the mark informs, it does
 * not decide.
 */
export function markCoordination(
  flag: FlagState,
  assessment: {
    readonly possiblyCoordinated: boolean;
    readonly share: number;
    readonly at: number;
    readonly actor?: string;
  },
): FlagTransition | null {
  if (assessment.possiblyCoordinated === flag.possiblyCoordinated) return null;
  const after = next(flag, assessment.at, { possiblyCoordinated: assessment.possiblyCoordinated });
  const change = assessment.possiblyCoordinated ? 'marked_coordinated' : 'cleared_coordinated';
  const note = `share of reporters in a recurring group: ${assessment.share.toFixed(2)}`;
  return transition(flag, after, change, assessment.at, assessment.actor ?? RULES_ACTOR, note, null);
}

/**
 * The SLA job's command for an open flag nobody claimed in time: a low or medium flag goes one
 * severity up, so it climbs the queue; a high flag cannot climb, so it is marked overdue for the
 * supervisors instead. The rule and the recommended action stay: no new evidence came, only time.
 */
export function escalateFlag(
  flag: FlagState,
  command: {
    readonly at: number;
    readonly actor?: string;
    /** The highest severity its evidence allows (a flag capped at low by one agent's reports). */
    readonly ceiling?: Severity;
  },
): FlagCommandResult {
  const refusal = refuseByStatus(flag, 'escalate');
  if (refusal !== null) return refusal;
  const actor = command.actor ?? SCHEDULER_ACTOR;
  const higher = SEVERITIES[severityRank(flag.severity) + 1];
  // Time is no second source: a capped flag waiting in the queue is overdue, never stronger.
  const heldAt =
    command.ceiling !== undefined && severityRank(flag.severity) >= severityRank(command.ceiling)
      ? command.ceiling
      : null;
  if (higher === undefined || heldAt !== null) {
    const after = next(flag, command.at, {});
    const held = heldAt === null ? '' : ` (its evidence holds it at ${heldAt})`;
    const note = `${flag.severity} flag not claimed within its SLA: overdue${held}`;
    return { ok: true, transition: transition(flag, after, 'overdue', command.at, actor, note, null) };
  }
  const after = next(flag, command.at, { severity: higher });
  const note = `not claimed within the SLA of a ${flag.severity} flag`;
  return { ok: true, transition: transition(flag, after, 'escalated', command.at, actor, note, null) };
}

/**
 * The SLA job's command for a flag someone claimed and has not decided within its severity's
 * review SLA: it is marked overdue, for supervisors to follow up. It stays with its reviewer, who
 * may be waiting on a colleague or the police; only a supervisor knows whether to reassign it.
 */
export function markReviewOverdue(
  flag: FlagState,
  command: { readonly at: number; readonly actor?: string },
): FlagCommandResult {
  const refusal = refuseByStatus(flag, 'mark_review_overdue');
  if (refusal !== null) return refusal;
  const after = next(flag, command.at, {});
  const note = `${flag.severity} flag in review by ${flag.assignee ?? 'nobody'}, not decided within its review SLA: overdue`;
  return {
    ok: true,
    transition: transition(flag, after, 'overdue', command.at, command.actor ?? SCHEDULER_ACTOR, note, null),
  };
}

/**
 * The repeat-offender job's command: new people reported a number after a person acted on it, so
 * the flag goes back to the queue, unassigned, recommending the next step of the ladder after the
 * action taken (which it keeps, so the next reviewer sees what was already tried). The
 * recommendation is never carried out by itself: only a person acts on a number (actOnFlag).
 * Reports counted from the action on (countsReportsAfter) stay counted.
 */
export function reopenRepeatOffender(
  flag: FlagState,
  command: { readonly at: number; readonly newReporters: number; readonly actor?: string },
): FlagCommandResult {
  const refusal = refuseByStatus(flag, 'reopen_repeat');
  if (refusal !== null) return refusal;
  const taken = flag.takenAction;
  if (taken === null) {
    // Only a stored flag edited by hand can be actioned without an action; there is no step to follow.
    return refuse(
      flag,
      'reopen_repeat',
      'no_action_taken',
      'the flag is actioned but records no action taken',
    );
  }
  const after = next(flag, command.at, {
    status: 'open',
    assignee: null,
    // A spoofed number reported again is more spoofing, never a repeat offence of its owner.
    recommendedAction: recommendationFor(flag.kind, nextOnLadder(taken)),
  });
  const note = `repeat offence: ${command.newReporters} new reporters after ${taken}`;
  const actor = command.actor ?? SCHEDULER_ACTOR;
  return { ok: true, transition: transition(flag, after, 'reopened', command.at, actor, note, null) };
}

/** The longest a person may put a flag aside: after that, someone looks at it again. */
export const MAX_WATCH_MS = 30 * 86_400_000;
/** What "watch" means without a date: a week, long enough for a slow pattern to show. */
export const DEFAULT_WATCH_MS = 7 * 86_400_000;

/**
 * A person decides to watch the number, as the rules recommend: the flag leaves the queue,
 * unassigned, until `until` (the caller keeps the date and ends the watch then, endWatch) or until
 * a new report makes a rule fire (changeOnRuleFiring). The reports already seen keep counting:
 * watching is waiting for more, not judging these harmless. Watching a flag whose rules recommend
 * an action is refused: that would be a dismissal by another name.
 */
export function watchFlag(
  flag: FlagState,
  command: AnalystCommand & { readonly until: number },
): FlagCommandResult {
  const refusal = refuseByStatus(flag, 'watch');
  if (refusal !== null) return refusal;
  // Watching a spoofed number is part of investigating it: waiting for more traffic to trace.
  if (flag.recommendedAction !== 'watch' && flag.recommendedAction !== INVESTIGATE_ORIGIN)
    return refuse(
      flag,
      'watch',
      'watch_not_recommended',
      `the rules recommend ${flag.recommendedAction}, not watching: act on the flag or dismiss it`,
    );
  if (
    !Number.isFinite(command.until) ||
    command.until <= command.at ||
    command.until - command.at > MAX_WATCH_MS
  )
    return refuse(
      flag,
      'watch',
      'invalid_watch_date',
      `the watch must end after now and within ${MAX_WATCH_MS / 86_400_000} days`,
    );
  const after = next(flag, command.at, { status: 'watched', assignee: null });
  return {
    ok: true,
    transition: transition(
      flag,
      after,
      'watched',
      command.at,
      command.analyst,
      command.note ?? null,
      null,
      command.reasonCode ?? null,
    ),
  };
}

/**
 * The scheduler's command when a watched flag's date passes without news: it goes back to the
 * queue, unassigned, for a person to look again (it may then expire if it is low and quiet).
 */
export function endWatch(
  flag: FlagState,
  command: { readonly at: number; readonly until: number; readonly actor?: string },
): FlagCommandResult {
  const refusal = refuseByStatus(flag, 'end_watch');
  if (refusal !== null) return refusal;
  const after = next(flag, command.at, { status: 'open', assignee: null });
  const note = `watched until ${new Date(command.until).toISOString()} without a new report making a rule fire`;
  const actor = command.actor ?? SCHEDULER_ACTOR;
  return { ok: true, transition: transition(flag, after, 'reopened', command.at, actor, note, null) };
}

// ---------------------------------------------------------------------------------------------
// Appeals (decisions 0064 and 0065)

/**
 * A subscriber disputes the action taken on their number: the appeal is recorded in the flag's
 * history (who recorded it, the appeal's id in the note), nothing else changes and no event goes
 * out: the action stands until a supervisor decides.
 */
export function appealFlag(
  flag: FlagState,
  command: { readonly actor: string; readonly at: number; readonly note: string },
): FlagCommandResult {
  const refusal = refuseByStatus(flag, 'appeal');
  if (refusal !== null) return refusal;
  const after = next(flag, command.at, {});
  return {
    ok: true,
    transition: transition(flag, after, 'appealed', command.at, command.actor, command.note, null),
  };
}

/** A supervisor keeps the action the subscriber appealed against: history only. */
export function upholdAppeal(
  flag: FlagState,
  command: { readonly actor: string; readonly at: number; readonly note: string },
): FlagCommandResult {
  const refusal = refuseByStatus(flag, 'uphold_appeal');
  if (refusal !== null) return refusal;
  const after = next(flag, command.at, {});
  return {
    ok: true,
    transition: transition(flag, after, 'appeal_upheld', command.at, command.actor, command.note, null),
  };
}

/**
 * A supervisor reverses the action on appeal: the flag becomes dismissed with no action taken (a
 * mistaken block is no step on the ladder for a later flag to climb from), the reports behind it
 * no longer count, and a 'lifted' event names the action provisioning must undo.
 */
export function liftAction(
  flag: FlagState,
  command: { readonly actor: string; readonly at: number; readonly note: string },
): FlagCommandResult {
  const refusal = refuseByStatus(flag, 'lift');
  if (refusal !== null) return refusal;
  const lifted = flag.takenAction;
  if (lifted === null)
    return refuse(flag, 'lift', 'no_action_taken', 'the flag is actioned but records no action taken');
  const after = next(flag, command.at, {
    status: 'dismissed',
    takenAction: null,
    countsReportsAfter: command.at,
    assignee: null,
  });
  const result = transition(flag, after, 'lifted', command.at, command.actor, command.note, null);
  return {
    ok: true,
    transition: { ...result, event: result.event && { ...result.event, liftedAction: lifted } },
  };
}
