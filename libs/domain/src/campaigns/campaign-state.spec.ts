import { countWindows } from '../flagging/window-counts';
import type { FlagState } from '../flagging/flag-state';
import {
  campaignCommandRefusal,
  flagNextSim,
  NEXT_SIM_RULE_ID,
  statusAfterDecision,
  takenActionOf,
} from './campaign-state';

const AT = Date.UTC(2026, 11, 4, 8);
const match = { campaignId: '12', similarity: 0.8, matchingReporters: 2, reason: 'matches campaign 12' };
const input = {
  reportedNumber: '+84987654377',
  flag: null,
  match,
  severity: 'high' as const,
  takenAction: 'block_outgoing' as const,
  rulesVersion: 3,
  threshold: 2,
  at: AT,
  counts: countWindows([], AT),
  reportIds: ['r1', 'r2'],
};

describe('campaign status', () => {
  it('lets a decision through while open or in review, and refuses it once decided', () => {
    expect(campaignCommandRefusal('open', 'decide')).toBeNull();
    expect(campaignCommandRefusal('in_review', 'decide')).toBeNull();
    expect(campaignCommandRefusal('actioned', 'decide')).toMatchObject({ reason: 'not_allowed_in_status' });
    expect(campaignCommandRefusal('merged', 'remove_member')?.message).toMatch(/merged/);
    expect(campaignCommandRefusal('in_review', 'claim')).not.toBeNull();
  });

  it('maps a decision to the status and action it leaves', () => {
    expect(statusAfterDecision('dismiss')).toBe('dismissed');
    expect(statusAfterDecision('warn')).toBe('actioned');
    expect(takenActionOf('dismiss')).toBeNull();
    expect(takenActionOf('suspend')).toBe('suspend');
  });
});

describe('flagNextSim', () => {
  it("opens the flag with the campaign's severity and action, and evidence naming the campaign", () => {
    const t = flagNextSim(input);
    expect(t?.state).toMatchObject({
      status: 'open',
      severity: 'high',
      ruleId: NEXT_SIM_RULE_ID,
      ruleVersion: 3,
      recommendedAction: 'block_outgoing',
      sequence: 1,
    });
    expect(t?.historyEntry.evidence).toMatchObject({ measured: 2, threshold: 2, campaign: match });
    expect(t?.event).toMatchObject({ type: 'opened', eventId: 'flag:+84987654377:1' });
  });

  it('recommends a warning when the campaign was referred to the police or dismissed', () => {
    expect(flagNextSim({ ...input, takenAction: 'refer_police' })?.state.recommendedAction).toBe('warn');
    expect(flagNextSim({ ...input, takenAction: null })?.state.recommendedAction).toBe('warn');
  });

  it('reopens an expired flag, and changes nothing on one already open at that severity', () => {
    const flag: FlagState = {
      reportedNumber: input.reportedNumber,
      kind: 'abuse',
      status: 'expired',
      severity: 'low',
      ruleId: 'distinct-3-24h',
      ruleVersion: 1,
      recommendedAction: 'watch',
      takenAction: null,
      openedAt: AT - 1e9,
      lastChangeAt: AT - 1e8,
      countsReportsAfter: AT - 1e8,
      assignee: null,
      possiblyCoordinated: false,
      sequence: 3,
    };
    expect(flagNextSim({ ...input, flag })?.historyEntry.change).toBe('reopened');
    expect(flagNextSim({ ...input, flag: { ...flag, status: 'open', severity: 'high' } })).toBeNull();
  });
});
