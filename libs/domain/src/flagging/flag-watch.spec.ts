import {
  actOnFlag,
  applyRuleFiring,
  assignFlag,
  claimFlag,
  dismissFlag,
  endWatch,
  MAX_WATCH_MS,
  reopenFlag,
  watchFlag,
  type FlagCommandResult,
  type FlagState,
  type FlagTransition,
} from './flag-state';
import { DEFAULT_RULES, type Rule } from './rules';
import { DAY, HOUR, REPORTED, T0 } from './spec-support';
import { countWindows } from './window-counts';

const [LOW, MEDIUM] = DEFAULT_RULES;
const analyst = 'analyst-7';

function fire(flag: FlagState | null, rule: Rule, at: number): FlagTransition | null {
  const evidence = {
    ruleId: rule.id,
    ruleVersion: rule.version,
    measured: rule.threshold,
    threshold: rule.threshold,
    counts: countWindows([], at),
    reportIds: [],
    reportsBehind: 0,
  };
  return applyRuleFiring(REPORTED, flag, { rule, at, evidence });
}

function succeeded(result: FlagCommandResult): FlagTransition {
  if (!result.ok) throw new Error(`refused: ${result.refusal.message}`);
  return result.transition;
}

/** A low flag whose rule recommends watching, as the default low rule does. */
function lowFlag(): FlagState {
  const opened = fire(null, LOW, T0);
  if (opened === null) throw new Error('expected a flag');
  expect(opened.state.recommendedAction).toBe('watch');
  return opened.state;
}

const watched = (flag: FlagState = lowFlag()) =>
  succeeded(watchFlag(flag, { analyst, at: T0 + HOUR, until: T0 + 7 * DAY, reasonCode: 'too_few_reports' }));

describe('flag state: watching', () => {
  it('takes a flag recommending watch out of the queue, unassigned, as history only, with its reason', () => {
    const claimed = succeeded(claimFlag(lowFlag(), { analyst, at: T0 + 1 })).state;
    const watch = succeeded(
      watchFlag(claimed, {
        analyst,
        at: T0 + HOUR,
        until: T0 + 7 * DAY,
        note: 'one caller',
        reasonCode: 'too_few_reports',
      }),
    );
    expect(watch.state).toMatchObject({
      status: 'watched',
      assignee: null,
      sequence: 3,
      countsReportsAfter: null,
    });
    expect(watch.event).toBeNull();
    expect(watch.historyEntry).toMatchObject({
      change: 'watched',
      fromStatus: 'in_review',
      toStatus: 'watched',
      actor: analyst,
      note: 'one caller',
      reasonCode: 'too_few_reports',
      fromAssignee: analyst,
      toAssignee: null,
    });
  });

  it('refuses to watch a flag whose rules recommend an action, or a closed flag', () => {
    const medium = fire(null, MEDIUM, T0)?.state;
    if (!medium) throw new Error('expected a flag');
    expect(medium.recommendedAction).not.toBe('watch');
    const refused = watchFlag(medium, { analyst, at: T0 + 1, until: T0 + DAY });
    expect(refused).toMatchObject({
      ok: false,
      refusal: { reason: 'watch_not_recommended', command: 'watch' },
    });
    const dismissed = succeeded(dismissFlag(lowFlag(), { analyst, at: T0 + 1 })).state;
    expect(watchFlag(dismissed, { analyst, at: T0 + 2, until: T0 + DAY })).toMatchObject({
      ok: false,
      refusal: { reason: 'not_allowed_in_status', status: 'dismissed' },
    });
  });

  it('refuses a watch date in the past, now, or beyond the longest watch', () => {
    const flag = lowFlag();
    for (const until of [T0, T0 + 1, T0 + 1 + MAX_WATCH_MS + 1, Number.NaN])
      expect(watchFlag(flag, { analyst, at: T0 + 1, until })).toMatchObject({
        ok: false,
        refusal: { reason: 'invalid_watch_date' },
      });
    expect(watchFlag(flag, { analyst, at: T0 + 1, until: T0 + 1 + MAX_WATCH_MS }).ok).toBe(true);
  });

  it('comes back to the queue when a rule fires on a new report, even one no stronger', () => {
    const w = watched().state;
    const back = fire(w, LOW, T0 + 2 * DAY);
    expect(back?.historyEntry).toMatchObject({ change: 'reopened', fromStatus: 'watched', toStatus: 'open' });
    expect(back?.event?.type).toBe('reopened');
    expect(back?.state).toMatchObject({ status: 'open', assignee: null, recommendedAction: 'watch' });
  });

  it('comes back to the queue when its date passes, said by the scheduler, with an event', () => {
    const w = watched().state;
    const back = succeeded(endWatch(w, { at: T0 + 7 * DAY, until: T0 + 7 * DAY }));
    expect(back.state).toMatchObject({ status: 'open', assignee: null, sequence: w.sequence + 1 });
    expect(back.historyEntry).toMatchObject({
      change: 'reopened',
      actor: 'scheduler',
      fromStatus: 'watched',
    });
    expect(back.historyEntry.note).toContain('watched until');
    expect(back.event?.type).toBe('reopened');
    expect(endWatch(lowFlag(), { at: T0 + 1, until: T0 + 1 })).toMatchObject({
      ok: false,
      refusal: { reason: 'not_allowed_in_status', command: 'end_watch' },
    });
  });

  it('may be acted on, dismissed or reopened by a person while watched, but not claimed or assigned', () => {
    const w = watched().state;
    expect(succeeded(actOnFlag(w, { analyst, at: T0 + DAY, action: 'warn' })).state.status).toBe('actioned');
    expect(succeeded(dismissFlag(w, { analyst, at: T0 + DAY })).state.status).toBe('dismissed');
    expect(succeeded(reopenFlag(w, { analyst, at: T0 + DAY })).state.status).toBe('open');
    expect(claimFlag(w, { analyst, at: T0 + DAY }).ok).toBe(false);
    expect(assignFlag(w, { assignee: analyst, actor: 'sup', at: T0 + DAY }).ok).toBe(false);
  });
});

describe('flag state: who held the flag', () => {
  it('records a handover as from -> to, with the note', () => {
    const claimed = succeeded(claimFlag(lowFlag(), { analyst: 'lan', at: T0 + 1 })).state;
    const handed = succeeded(
      assignFlag(claimed, { assignee: 'minh', actor: 'sup', at: T0 + 2, note: 'Lan is off tomorrow' }),
    );
    expect(handed.historyEntry).toMatchObject({
      change: 'reassigned',
      fromAssignee: 'lan',
      toAssignee: 'minh',
      note: 'Lan is off tomorrow',
      actor: 'sup',
    });
  });

  it('records the reason code of an action, a dismissal and a reopening', () => {
    const acted = succeeded(
      actOnFlag(lowFlag(), { analyst, at: T0 + 1, action: 'warn', reasonCode: 'confirmed_spam' }),
    );
    expect(acted.historyEntry.reasonCode).toBe('confirmed_spam');
    expect(acted.event?.type).toBe('actioned');
    const dismissed = succeeded(dismissFlag(lowFlag(), { analyst, at: T0 + 1, reasonCode: 'not_abuse' }));
    expect(dismissed.historyEntry.reasonCode).toBe('not_abuse');
    const reopened = succeeded(
      reopenFlag(dismissed.state, { analyst, at: T0 + 2, reasonCode: 'new_evidence' }),
    );
    expect(reopened.historyEntry.reasonCode).toBe('new_evidence');
    // Changes nobody decided carry no reason.
    expect(fire(null, LOW, T0)?.historyEntry.reasonCode).toBeNull();
  });
});
