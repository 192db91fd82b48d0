import {
  actOnFlag,
  appealFlag,
  applyRuleFiring,
  changeOnRuleFiring,
  liftAction,
  upholdAppeal,
  assignFlag,
  claimFlag,
  dismissFlag,
  escalateFlag,
  expireFlag,
  FLAG_CHANGES,
  FLAG_COMMANDS,
  FLAG_EVENT_TYPES,
  flagEventId,
  markCoordination,
  markReviewOverdue,
  reopenFlag,
  reopenRepeatOffender,
  SCHEDULER_ACTOR,
  type FlagCommandResult,
  type FlagEvidence,
  type FlagState,
  type FlagTransition,
  type TakenAction,
} from './flag-state';
import { DEFAULT_RULES, type Rule } from './rules';
import { HOUR, MINUTE, REPORTED, T0 } from './spec-support';
import { countWindows } from './window-counts';

const [LOW, MEDIUM, , HIGH] = DEFAULT_RULES;

function evidenceFor(rule: Rule, at: number): FlagEvidence {
  return {
    ruleId: rule.id,
    ruleVersion: rule.version,
    measured: rule.threshold,
    threshold: rule.threshold,
    counts: countWindows([], at),
    reportIds: [],
    reportsBehind: 0,
  };
}

function fire(flag: FlagState | null, rule: Rule, at: number): FlagTransition | null {
  return applyRuleFiring(REPORTED, flag, { rule, at, evidence: evidenceFor(rule, at) });
}

function succeeded(result: FlagCommandResult): FlagTransition {
  if (!result.ok) throw new Error(`refused: ${result.refusal.message}`);
  return result.transition;
}

function openedFlag(rule: Rule = LOW, at: number = T0): FlagState {
  const opened = fire(null, rule, at);
  if (opened === null) throw new Error('expected a flag');
  return opened.state;
}

const analyst = 'analyst-7';

describe('flag state: rules firing', () => {
  it('opens a flag with the rule, its version, the recommended action, a history row and an event', () => {
    const opened = fire(null, LOW, T0);
    expect(opened?.state).toEqual({
      reportedNumber: REPORTED,
      kind: 'abuse',
      status: 'open',
      severity: 'low',
      ruleId: 'distinct-3-24h',
      ruleVersion: 1,
      recommendedAction: 'watch',
      takenAction: null,
      openedAt: T0,
      lastChangeAt: T0,
      countsReportsAfter: null,
      assignee: null,
      possiblyCoordinated: false,
      sequence: 1,
    });
    expect(opened?.historyEntry).toMatchObject({
      sequence: 1,
      change: 'opened',
      fromStatus: null,
      toStatus: 'open',
    });
    expect(opened?.event).toMatchObject({
      eventId: 'flag:+84912345678:1',
      type: 'opened',
      severity: 'low',
      ruleId: 'distinct-3-24h',
      evidence: { ruleId: 'distinct-3-24h', threshold: 3 },
    });
  });

  it('raises the severity on a stronger rule and records the new rule and version', () => {
    const raised = fire(openedFlag(), { ...MEDIUM, version: 4 }, T0 + HOUR);
    expect(raised?.state).toMatchObject({
      status: 'open',
      severity: 'medium',
      ruleId: 'distinct-10-24h',
      ruleVersion: 4,
      recommendedAction: 'warn',
      openedAt: T0,
      lastChangeAt: T0 + HOUR,
      sequence: 2,
    });
    expect(raised?.event).toMatchObject({ type: 'raised', eventId: flagEventId(REPORTED, 2) });
  });

  it('changes nothing on a rule of the same or a weaker severity', () => {
    const medium = openedFlag(MEDIUM);
    expect(fire(medium, LOW, T0 + HOUR)).toBeNull();
    expect(fire(medium, DEFAULT_RULES[2], T0 + HOUR)).toBeNull();
  });

  it('raises a flag under review without taking it from the reviewer', () => {
    const inReview = succeeded(claimFlag(openedFlag(), { analyst, at: T0 + 1 })).state;
    expect(fire(inReview, HIGH, T0 + 2)?.state).toMatchObject({
      status: 'in_review',
      severity: 'high',
      assignee: analyst,
    });
  });

  it('keeps the ladder step of a reopened flag when a stronger rule raises it', () => {
    const actioned = succeeded(
      actOnFlag(openedFlag(HIGH), { analyst, at: T0 + HOUR, action: 'block_outgoing' }),
    ).state;
    const reopened = fire(actioned, LOW, T0 + 2 * HOUR)?.state ?? null;
    expect(reopened).toMatchObject({ severity: 'low', recommendedAction: 'block_both' });
    // The medium rule recommends a warning; the flag still recommends the two-way block.
    expect(fire(reopened, MEDIUM, T0 + 3 * HOUR)?.state).toMatchObject({
      severity: 'medium',
      ruleId: MEDIUM.id,
      recommendedAction: 'block_both',
    });
  });

  it('reopens an actioned flag on a rule firing after the action, keeping the action taken', () => {
    const actioned = succeeded(
      actOnFlag(openedFlag(HIGH), { analyst, at: T0 + HOUR, action: 'block_outgoing' }),
    ).state;
    const reopened = fire(actioned, LOW, T0 + 2 * HOUR);
    expect(reopened?.state).toMatchObject({
      status: 'open',
      severity: 'low',
      ruleId: LOW.id,
      recommendedAction: 'block_both',
      takenAction: 'block_outgoing',
      countsReportsAfter: T0 + HOUR,
      sequence: 3,
    });
    expect(reopened?.event?.type).toBe('reopened');
  });

  it('keeps a dismissed flag dismissed unless a strictly more severe rule fires', () => {
    const dismissed = succeeded(dismissFlag(openedFlag(MEDIUM), { analyst, at: T0 + HOUR })).state;
    expect(fire(dismissed, LOW, T0 + 2 * HOUR)).toBeNull();
    expect(fire(dismissed, MEDIUM, T0 + 2 * HOUR)).toBeNull();
    expect(fire(dismissed, HIGH, T0 + 2 * HOUR)?.state).toMatchObject({ status: 'open', severity: 'high' });
  });

  it('reopens an expired flag on any rule', () => {
    const expired = succeeded(expireFlag(openedFlag(), { at: T0 + 7 * 24 * HOUR })).state;
    expect(fire(expired, LOW, T0 + 8 * 24 * HOUR)?.event?.type).toBe('reopened');
  });

  it('never moves the last change back when a late report makes a rule fire earlier', () => {
    const raised = fire(openedFlag(LOW, T0 + HOUR), MEDIUM, T0);
    expect(raised?.historyEntry.at).toBe(T0);
    expect(raised?.state.lastChangeAt).toBe(T0 + HOUR);
  });
});

describe('flag state: people and the scheduler', () => {
  it('lets a person claim an open flag, then act on it; acting writes history and an event', () => {
    const claimed = succeeded(claimFlag(openedFlag(MEDIUM), { analyst, at: T0 + 1 }));
    expect(claimed.state).toMatchObject({ status: 'in_review', assignee: analyst, sequence: 2 });
    expect(claimed.historyEntry).toMatchObject({ change: 'claimed', actor: analyst });
    expect(claimed.event).toBeNull();

    const actioned = succeeded(
      actOnFlag(claimed.state, { analyst, at: T0 + 2, action: 'warn', note: 'called the subscriber' }),
    );
    expect(actioned.state).toMatchObject({
      status: 'actioned',
      takenAction: 'warn',
      countsReportsAfter: T0 + 2,
    });
    expect(actioned.event).toMatchObject({
      eventId: 'flag:+84912345678:3',
      type: 'actioned',
      takenAction: 'warn',
      actor: analyst,
      note: 'called the subscriber',
    });
  });

  it('refuses to act on a dismissed flag', () => {
    const dismissed = succeeded(dismissFlag(openedFlag(), { analyst, at: T0 + 1 })).state;
    expect(actOnFlag(dismissed, { analyst, at: T0 + 2, action: 'block_both' })).toEqual({
      ok: false,
      refusal: {
        reason: 'not_allowed_in_status',
        command: 'act',
        status: 'dismissed',
        message: 'cannot act a flag that is dismissed; allowed when open or in_review or watched',
      },
    });
  });

  it('refuses an action that is not on the ladder', () => {
    const result = actOnFlag(openedFlag(), { analyst, at: T0 + 1, action: 'watch' as TakenAction });
    expect(result).toMatchObject({ ok: false, refusal: { reason: 'unknown_action' } });
  });

  it('refuses to claim a flag already under review', () => {
    const inReview = succeeded(claimFlag(openedFlag(), { analyst, at: T0 + 1 })).state;
    expect(claimFlag(inReview, { analyst: 'other', at: T0 + 2 })).toMatchObject({
      ok: false,
      refusal: { reason: 'not_allowed_in_status', status: 'in_review' },
    });
  });

  it('expires only open low-severity flags', () => {
    expect(succeeded(expireFlag(openedFlag(), { at: T0 + 1 })).state).toMatchObject({
      status: 'expired',
      countsReportsAfter: T0 + 1,
    });
    expect(expireFlag(openedFlag(MEDIUM), { at: T0 + 1 })).toMatchObject({
      ok: false,
      refusal: { reason: 'not_low_severity' },
    });
    const inReview = succeeded(claimFlag(openedFlag(), { analyst, at: T0 + 1 })).state;
    expect(expireFlag(inReview, { at: T0 + 2 })).toMatchObject({ ok: false });
  });

  it('lets a person reopen a closed flag, unassigned, and refuses to reopen an open one', () => {
    const claimed = succeeded(claimFlag(openedFlag(), { analyst, at: T0 + 1 })).state;
    const dismissed = succeeded(dismissFlag(claimed, { analyst, at: T0 + 2 })).state;
    const reopened = succeeded(reopenFlag(dismissed, { analyst: 'lead', at: T0 + 3, note: 'wrong call' }));
    expect(reopened.state).toMatchObject({ status: 'open', assignee: null, sequence: 4 });
    expect(reopened.event).toMatchObject({ type: 'reopened', actor: 'lead', note: 'wrong call' });
    expect(reopenFlag(reopened.state, { analyst, at: T0 + 4 })).toMatchObject({ ok: false });
  });

  it('marks and clears possible coordination as history rows, not events', () => {
    const flag = openedFlag();
    const marked = markCoordination(flag, { possiblyCoordinated: true, share: 0.8, at: T0 + 1 });
    expect(marked?.state.possiblyCoordinated).toBe(true);
    expect(marked?.historyEntry).toMatchObject({ change: 'marked_coordinated', sequence: 2 });
    expect(marked?.event).toBeNull();
    expect(markCoordination(flag, { possiblyCoordinated: false, share: 0.1, at: T0 + 1 })).toBeNull();
  });
});

describe('flag state: assigning', () => {
  const supervisor = 'supervisor-2';

  it('lets a person claim an open flag: in review, assigned to them, history only', () => {
    const claimed = succeeded(
      assignFlag(openedFlag(MEDIUM), { assignee: analyst, actor: analyst, at: T0 + 1, note: 'mine' }),
    );
    expect(claimed.state).toMatchObject({
      status: 'in_review',
      assignee: analyst,
      sequence: 2,
      lastChangeAt: T0 + 1,
    });
    expect(claimed.historyEntry).toMatchObject({
      sequence: 2,
      change: 'claimed',
      fromStatus: 'open',
      toStatus: 'in_review',
      actor: analyst,
      note: 'mine',
      at: T0 + 1,
    });
    expect(claimed.event).toBeNull();
  });

  it('assigns an open flag to someone else as "assigned", recording who assigned it', () => {
    const assigned = succeeded(
      assignFlag(openedFlag(), { assignee: analyst, actor: supervisor, at: T0 + 1 }),
    );
    expect(assigned.state).toMatchObject({ status: 'in_review', assignee: analyst, sequence: 2 });
    expect(assigned.historyEntry).toMatchObject({ change: 'assigned', actor: supervisor, note: null });
    expect(assigned.event).toBeNull();
  });

  it('reassigns a flag under review to another person, staying in review', () => {
    const claimed = succeeded(assignFlag(openedFlag(), { assignee: analyst, actor: analyst, at: T0 + 1 }));
    const reassigned = succeeded(
      assignFlag(claimed.state, { assignee: 'analyst-9', actor: supervisor, at: T0 + 2, note: 'on leave' }),
    );
    expect(reassigned.state).toMatchObject({ status: 'in_review', assignee: 'analyst-9', sequence: 3 });
    expect(reassigned.historyEntry).toMatchObject({
      change: 'reassigned',
      fromStatus: 'in_review',
      toStatus: 'in_review',
      actor: supervisor,
      note: 'on leave',
    });
    expect(reassigned.event).toBeNull();
  });

  it('calls taking over a flag under review a reassignment, even when the actor takes it', () => {
    const claimed = succeeded(assignFlag(openedFlag(), { assignee: analyst, actor: analyst, at: T0 + 1 }));
    const taken = succeeded(
      assignFlag(claimed.state, { assignee: supervisor, actor: supervisor, at: T0 + 2 }),
    );
    expect(taken.historyEntry.change).toBe('reassigned');
  });

  it('refuses to assign a flag under review to the person who already has it, naming them', () => {
    const claimed = succeeded(
      assignFlag(openedFlag(), { assignee: analyst, actor: analyst, at: T0 + 1 }),
    ).state;
    expect(assignFlag(claimed, { assignee: analyst, actor: supervisor, at: T0 + 2 })).toEqual({
      ok: false,
      refusal: {
        reason: 'already_assigned',
        command: 'assign',
        status: 'in_review',
        message: `the flag is already assigned to ${analyst}`,
      },
    });
  });

  it('keeps the state it was given: assigning returns a new state', () => {
    const flag = openedFlag();
    succeeded(assignFlag(flag, { assignee: analyst, actor: analyst, at: T0 + 1 }));
    expect(flag).toMatchObject({ status: 'open', assignee: null, sequence: 1 });
  });

  it('never moves the last change back', () => {
    const flag = openedFlag(LOW, T0 + HOUR);
    const claimed = succeeded(assignFlag(flag, { assignee: analyst, actor: analyst, at: T0 }));
    expect(claimed.historyEntry.at).toBe(T0);
    expect(claimed.state.lastChangeAt).toBe(T0 + HOUR);
  });

  it.each(['actioned', 'dismissed', 'expired'] as const)('refuses to assign a flag that is %s', (status) => {
    const flag = openedFlag();
    const closed =
      status === 'actioned'
        ? succeeded(actOnFlag(flag, { analyst, at: T0 + 1, action: 'warn' })).state
        : status === 'dismissed'
          ? succeeded(dismissFlag(flag, { analyst, at: T0 + 1 })).state
          : succeeded(expireFlag(flag, { at: T0 + 1 })).state;
    expect(closed.status).toBe(status);
    expect(assignFlag(closed, { assignee: analyst, actor: supervisor, at: T0 + 2 })).toEqual({
      ok: false,
      refusal: {
        reason: 'not_allowed_in_status',
        command: 'assign',
        status,
        message: `cannot assign a flag that is ${status}; allowed when open or in_review`,
      },
    });
  });

  it('lets a reopened flag be assigned again', () => {
    const claimed = succeeded(
      assignFlag(openedFlag(), { assignee: analyst, actor: analyst, at: T0 + 1 }),
    ).state;
    const dismissed = succeeded(dismissFlag(claimed, { analyst, at: T0 + 2 })).state;
    const reopened = succeeded(reopenFlag(dismissed, { analyst: supervisor, at: T0 + 3 })).state;
    const again = succeeded(assignFlag(reopened, { assignee: analyst, actor: supervisor, at: T0 + 4 }));
    expect(again.state).toMatchObject({ status: 'in_review', assignee: analyst, sequence: 5 });
    expect(again.historyEntry.change).toBe('assigned');
  });
});

function actionedFlag(action: TakenAction, rule: Rule = HIGH): FlagState {
  return succeeded(actOnFlag(openedFlag(rule), { analyst, at: T0 + HOUR, action })).state;
}

describe('flag state: event types and commands', () => {
  it('makes escalation and overdue marks events, and so history rows', () => {
    expect(FLAG_EVENT_TYPES).toEqual(expect.arrayContaining(['escalated', 'overdue']));
    expect(FLAG_CHANGES).toEqual(expect.arrayContaining(['escalated', 'overdue']));
    expect(FLAG_COMMANDS).toEqual(expect.arrayContaining(['escalate', 'reopen_repeat']));
  });
});

describe('flag state: a review nobody finished in time', () => {
  it('marks a flag in review overdue, leaving it with its reviewer, as an event', () => {
    const inReview = succeeded(claimFlag(openedFlag(HIGH), { analyst, at: T0 + 1 })).state;
    const overdue = succeeded(markReviewOverdue(inReview, { at: T0 + 5 * HOUR }));
    expect(overdue.state).toEqual({
      ...inReview,
      lastChangeAt: T0 + 5 * HOUR,
      sequence: inReview.sequence + 1,
    });
    expect(overdue.historyEntry).toMatchObject({
      change: 'overdue',
      fromStatus: 'in_review',
      toStatus: 'in_review',
      severity: 'high',
      actor: SCHEDULER_ACTOR,
      note: `high flag in review by ${analyst}, not decided within its review SLA: overdue`,
    });
    expect(overdue.event).toMatchObject({ type: 'overdue', status: 'in_review', severity: 'high' });
  });

  it('refuses every status but in review', () => {
    const open = openedFlag(HIGH);
    const closed = [
      succeeded(actOnFlag(open, { analyst, at: T0 + 1, action: 'warn' })).state,
      succeeded(dismissFlag(open, { analyst, at: T0 + 1, note: 'fine' })).state,
    ];
    for (const flag of [open, ...closed])
      expect(markReviewOverdue(flag, { at: T0 + 2 })).toMatchObject({
        ok: false,
        refusal: { reason: 'not_allowed_in_status', command: 'mark_review_overdue', status: flag.status },
      });
  });
});

describe('flag state: escalating a flag nobody claimed', () => {
  it('raises an open low flag to medium, keeping the rule and the recommendation, as an event', () => {
    const flag = openedFlag(LOW);
    const escalated = succeeded(escalateFlag(flag, { at: T0 + HOUR }));
    expect(escalated.state).toEqual({ ...flag, severity: 'medium', lastChangeAt: T0 + HOUR, sequence: 2 });
    expect(escalated.historyEntry).toEqual({
      reportedNumber: REPORTED,
      sequence: 2,
      at: T0 + HOUR,
      change: 'escalated',
      fromStatus: 'open',
      toStatus: 'open',
      severity: 'medium',
      ruleId: LOW.id,
      ruleVersion: LOW.version,
      recommendedAction: 'watch',
      takenAction: null,
      possiblyCoordinated: false,
      actor: SCHEDULER_ACTOR,
      note: 'not claimed within the SLA of a low flag',
      evidence: null,
      reasonCode: null,
      fromAssignee: null,
      toAssignee: null,
    });
    expect(escalated.event).toMatchObject({
      eventId: flagEventId(REPORTED, 2),
      type: 'escalated',
      status: 'open',
      severity: 'medium',
      recommendedAction: 'watch',
      actor: SCHEDULER_ACTOR,
      note: 'not claimed within the SLA of a low flag',
    });
  });

  it('raises an open medium flag to high, recording the given actor', () => {
    const escalated = succeeded(escalateFlag(openedFlag(MEDIUM), { at: T0 + HOUR, actor: 'sla-job' }));
    expect(escalated.state).toMatchObject({
      status: 'open',
      severity: 'high',
      ruleId: MEDIUM.id,
      recommendedAction: 'warn',
      sequence: 2,
    });
    expect(escalated.event).toMatchObject({
      type: 'escalated',
      actor: 'sla-job',
      note: 'not claimed within the SLA of a medium flag',
    });
  });

  it('escalates step by step: low, then medium, then overdue once high', () => {
    const medium = succeeded(escalateFlag(openedFlag(LOW), { at: T0 + 1 })).state;
    const high = succeeded(escalateFlag(medium, { at: T0 + 2 })).state;
    const overdue = succeeded(escalateFlag(high, { at: T0 + 3 }));
    expect([medium.severity, high.severity, overdue.state.severity]).toEqual(['medium', 'high', 'high']);
    expect(overdue.state.sequence).toBe(4);
    expect(overdue.event?.type).toBe('overdue');
  });

  it('marks a flag its evidence caps overdue instead of raising it: time is no second source', () => {
    const low = openedFlag(LOW);
    const held = succeeded(escalateFlag(low, { at: T0 + HOUR, ceiling: 'low' }));
    expect(held.state.severity).toBe('low');
    expect(held.historyEntry).toMatchObject({
      change: 'overdue',
      note: 'low flag not claimed within its SLA: overdue (its evidence holds it at low)',
    });
    expect(succeeded(escalateFlag(low, { at: T0 + HOUR, ceiling: 'high' })).state.severity).toBe('medium');
  });

  it('marks an open high flag overdue: only the sequence and the last change move', () => {
    const flag = openedFlag(HIGH);
    const overdue = succeeded(escalateFlag(flag, { at: T0 + HOUR }));
    expect(overdue.state).toEqual({ ...flag, lastChangeAt: T0 + HOUR, sequence: 2 });
    expect(overdue.historyEntry).toMatchObject({
      change: 'overdue',
      fromStatus: 'open',
      toStatus: 'open',
      severity: 'high',
      actor: SCHEDULER_ACTOR,
      note: 'high flag not claimed within its SLA: overdue',
    });
    expect(overdue.event).toMatchObject({
      eventId: flagEventId(REPORTED, 2),
      type: 'overdue',
      severity: 'high',
      recommendedAction: 'block_outgoing',
    });
  });

  it('keeps an escalated low flag from expiring: it is no longer low', () => {
    const escalated = succeeded(escalateFlag(openedFlag(LOW), { at: T0 + 1 })).state;
    expect(expireFlag(escalated, { at: T0 + 2 })).toMatchObject({
      ok: false,
      refusal: { reason: 'not_low_severity' },
    });
  });

  it('never moves the last change back', () => {
    const escalated = succeeded(escalateFlag(openedFlag(LOW, T0 + HOUR), { at: T0 }));
    expect(escalated.historyEntry.at).toBe(T0);
    expect(escalated.state.lastChangeAt).toBe(T0 + HOUR);
  });

  it.each(['in_review', 'actioned', 'dismissed', 'expired'] as const)(
    'refuses to escalate a flag that is %s',
    (status) => {
      const flag = openedFlag();
      const moved =
        status === 'in_review'
          ? succeeded(claimFlag(flag, { analyst, at: T0 + 1 })).state
          : status === 'actioned'
            ? succeeded(actOnFlag(flag, { analyst, at: T0 + 1, action: 'warn' })).state
            : status === 'dismissed'
              ? succeeded(dismissFlag(flag, { analyst, at: T0 + 1 })).state
              : succeeded(expireFlag(flag, { at: T0 + 1 })).state;
      expect(moved.status).toBe(status);
      expect(escalateFlag(moved, { at: T0 + 2 })).toEqual({
        ok: false,
        refusal: {
          reason: 'not_allowed_in_status',
          command: 'escalate',
          status,
          message: `cannot escalate a flag that is ${status}; allowed when open`,
        },
      });
    },
  );
});

describe('flag state: reopening a repeat offender', () => {
  it('reopens an actioned flag unassigned, recommending the next step and keeping the action taken', () => {
    const claimed = succeeded(claimFlag(openedFlag(MEDIUM), { analyst, at: T0 + 1 })).state;
    const actioned = succeeded(actOnFlag(claimed, { analyst, at: T0 + 2, action: 'warn' })).state;
    const reopened = succeeded(reopenRepeatOffender(actioned, { at: T0 + HOUR, newReporters: 4 }));
    expect(reopened.state).toEqual({
      ...actioned,
      status: 'open',
      assignee: null,
      recommendedAction: 'block_outgoing',
      takenAction: 'warn',
      countsReportsAfter: T0 + 2,
      lastChangeAt: T0 + HOUR,
      sequence: 4,
    });
    expect(reopened.historyEntry).toMatchObject({
      sequence: 4,
      change: 'reopened',
      fromStatus: 'actioned',
      toStatus: 'open',
      severity: 'medium',
      ruleId: MEDIUM.id,
      recommendedAction: 'block_outgoing',
      takenAction: 'warn',
      actor: SCHEDULER_ACTOR,
      note: 'repeat offence: 4 new reporters after warn',
      evidence: null,
    });
    expect(reopened.event).toMatchObject({
      eventId: flagEventId(REPORTED, 4),
      type: 'reopened',
      status: 'open',
      recommendedAction: 'block_outgoing',
      takenAction: 'warn',
    });
  });

  it.each([
    ['warn', 'block_outgoing'],
    ['block_outgoing', 'block_both'],
    ['block_both', 'suspend'],
    ['suspend', 'suspend'],
    ['refer_police', 'suspend'],
  ] as const)('recommends after %s: %s', (taken, expected) => {
    const reopened = succeeded(
      reopenRepeatOffender(actionedFlag(taken), { at: T0 + 2 * HOUR, newReporters: 2, actor: 'repeat-job' }),
    );
    expect(reopened.state).toMatchObject({ recommendedAction: expected, takenAction: taken });
    expect(reopened.historyEntry).toMatchObject({
      actor: 'repeat-job',
      note: `repeat offence: 2 new reporters after ${taken}`,
    });
  });

  it('climbs the ladder one step per offence', () => {
    const first = succeeded(
      reopenRepeatOffender(actionedFlag('warn'), { at: T0 + 2 * HOUR, newReporters: 3 }),
    ).state;
    const acted = succeeded(
      actOnFlag(first, { analyst, at: T0 + 3 * HOUR, action: first.recommendedAction as TakenAction }),
    ).state;
    const second = succeeded(reopenRepeatOffender(acted, { at: T0 + 4 * HOUR, newReporters: 5 })).state;
    expect([first.recommendedAction, acted.takenAction, second.recommendedAction]).toEqual([
      'block_outgoing',
      'block_outgoing',
      'block_both',
    ]);
    expect(second.sequence).toBe(5);
  });

  it.each(['open', 'in_review', 'dismissed', 'expired'] as const)('refuses a flag that is %s', (status) => {
    const flag = openedFlag();
    const moved =
      status === 'open'
        ? flag
        : status === 'in_review'
          ? succeeded(claimFlag(flag, { analyst, at: T0 + 1 })).state
          : status === 'dismissed'
            ? succeeded(dismissFlag(flag, { analyst, at: T0 + 1 })).state
            : succeeded(expireFlag(flag, { at: T0 + 1 })).state;
    expect(reopenRepeatOffender(moved, { at: T0 + 2, newReporters: 3 })).toEqual({
      ok: false,
      refusal: {
        reason: 'not_allowed_in_status',
        command: 'reopen_repeat',
        status,
        message: `cannot reopen_repeat a flag that is ${status}; allowed when actioned`,
      },
    });
  });

  it('refuses an actioned flag that records no action taken (a stored row edited by hand)', () => {
    const broken: FlagState = { ...actionedFlag('warn'), takenAction: null };
    expect(reopenRepeatOffender(broken, { at: T0 + 2 * HOUR, newReporters: 3 })).toMatchObject({
      ok: false,
      refusal: { reason: 'no_action_taken', command: 'reopen_repeat', status: 'actioned' },
    });
  });

  it('keeps the state it was given', () => {
    const actioned = actionedFlag('warn');
    succeeded(reopenRepeatOffender(actioned, { at: T0 + 2 * HOUR, newReporters: 3 }));
    expect(actioned).toMatchObject({ status: 'actioned', recommendedAction: 'block_outgoing', sequence: 2 });
  });
});

describe('flag state: a rule reopening a flag after an action', () => {
  it('recommends at least the next step when a milder rule fires', () => {
    const reopened = fire(actionedFlag('warn'), LOW, T0 + 2 * HOUR);
    expect(reopened?.state).toMatchObject({
      status: 'open',
      severity: 'low',
      ruleId: LOW.id,
      recommendedAction: 'block_outgoing',
      takenAction: 'warn',
    });
    expect(reopened?.historyEntry.recommendedAction).toBe('block_outgoing');
    expect(reopened?.event).toMatchObject({ type: 'reopened', recommendedAction: 'block_outgoing' });
  });

  it("keeps the rule's action when it is already stronger than the next step", () => {
    const reopened = fire(actionedFlag('warn'), { ...MEDIUM, action: 'suspend' }, T0 + 2 * HOUR);
    expect(reopened?.state.recommendedAction).toBe('suspend');
  });

  it("takes the rule's action when it is the next step itself", () => {
    expect(fire(actionedFlag('warn'), HIGH, T0 + 2 * HOUR)?.state.recommendedAction).toBe('block_outgoing');
  });

  it.each([
    ['block_outgoing', 'block_both'],
    ['block_both', 'suspend'],
    ['suspend', 'suspend'],
    ['refer_police', 'suspend'],
  ] as const)('after %s, whichever rule fires, recommends %s', (taken, expected) => {
    for (const rule of DEFAULT_RULES) {
      expect(fire(actionedFlag(taken), rule, T0 + 2 * HOUR)?.state.recommendedAction).toBe(expected);
    }
  });

  it('applies the ladder to an expired or dismissed flag that still records an earlier action', () => {
    const reopenedByRule = fire(actionedFlag('warn', LOW), LOW, T0 + 2 * HOUR)?.state;
    if (reopenedByRule === undefined) throw new Error('expected a reopening');
    const expired = succeeded(expireFlag(reopenedByRule, { at: T0 + 3 * HOUR })).state;
    expect(fire(expired, LOW, T0 + 4 * HOUR)?.state.recommendedAction).toBe('block_outgoing');
    const dismissed = succeeded(dismissFlag(reopenedByRule, { analyst, at: T0 + 3 * HOUR })).state;
    expect(fire(dismissed, MEDIUM, T0 + 4 * HOUR)?.state.recommendedAction).toBe('block_outgoing');
  });

  it("recommends the rule's action when no action was ever taken", () => {
    const expired = succeeded(expireFlag(openedFlag(LOW), { at: T0 + HOUR })).state;
    expect(fire(expired, LOW, T0 + 2 * HOUR)?.state.recommendedAction).toBe('watch');
    const dismissed = succeeded(dismissFlag(openedFlag(LOW), { analyst, at: T0 + HOUR })).state;
    expect(fire(dismissed, MEDIUM, T0 + 2 * HOUR)?.state.recommendedAction).toBe('warn');
  });

  it("leaves opening and raising to the rule's action", () => {
    expect(fire(null, LOW, T0)?.state.recommendedAction).toBe('watch');
    expect(fire(openedFlag(LOW), HIGH, T0 + HOUR)?.state.recommendedAction).toBe('block_outgoing');
  });
});

describe('appeals on a flag (decisions 0064 and 0065)', () => {
  const blocked = () =>
    succeeded(actOnFlag(openedFlag(HIGH), { analyst, at: T0 + HOUR, action: 'block_both' })).state;
  const by = { actor: 'sup', at: T0 + 2 * HOUR, note: 'appeal 7: mistaken' };

  it('records an appeal on an actioned flag as history only, keeping the action', () => {
    const appealed = succeeded(
      appealFlag(blocked(), { actor: 'agent-1', at: T0 + 90 * MINUTE, note: 'appeal 7' }),
    );
    expect(appealed.event).toBeNull();
    expect(appealed.historyEntry).toMatchObject({
      change: 'appealed',
      toStatus: 'actioned',
      actor: 'agent-1',
    });
    expect(appealed.state).toMatchObject({ status: 'actioned', takenAction: 'block_both' });
  });

  it('refuses an appeal on a flag with no action in force', () => {
    const result = appealFlag(openedFlag(), { actor: 'agent-1', at: T0 + HOUR, note: 'appeal 8' });
    expect(result).toMatchObject({
      ok: false,
      refusal: { reason: 'not_allowed_in_status', command: 'appeal' },
    });
  });

  it('lifts the action on reversal: dismissed, no action taken, and a lifted event naming the action to undo', () => {
    const lifted = succeeded(liftAction(blocked(), by));
    expect(lifted.state).toMatchObject({
      status: 'dismissed',
      takenAction: null,
      countsReportsAfter: by.at,
      assignee: null,
    });
    expect(lifted.event).toMatchObject({
      type: 'lifted',
      status: 'dismissed',
      takenAction: null,
      liftedAction: 'block_both',
      actor: 'sup',
      eventId: `flag:${REPORTED}:${lifted.state.sequence}`,
    });
    // Not a step on the ladder: the next rule to fire recommends its own action again.
    expect(changeOnRuleFiring(lifted.state, 'low')).toBeNull();
    expect(fire(lifted.state, HIGH, T0 + 3 * HOUR)).toBeNull();
  });

  it('upholds an appeal as history only, whatever the flag became', () => {
    const upheld = succeeded(upholdAppeal(blocked(), by));
    expect(upheld.event).toBeNull();
    expect(upheld.state).toMatchObject({ status: 'actioned', takenAction: 'block_both' });
    expect(upholdAppeal(openedFlag(), by).ok).toBe(true);
    expect(liftAction(openedFlag(), by)).toMatchObject({ ok: false, refusal: { command: 'lift' } });
  });
});
