import type { ReplayedFlag } from '@abuse-monitor/domain';
import { EXAMPLES_PER_CHANGE, formatWhatIf, WhatIfOutcome } from './whatif-report';

const outcome: WhatIfOutcome = {
  since: '2026-11-01T00:00:00.000Z',
  until: '2026-12-01T00:00:00.000Z',
  reports: 120,
  numbers: 40,
  numbersReplayed: 9,
  anonymisedReports: 0,
  current: { low: 3, medium: 1, high: 0 },
  candidate: { low: 2, medium: 1, high: 0 },
  differences: [],
};

const flag = (severity: ReplayedFlag['severity']): ReplayedFlag => ({
  reportedNumber: 'n',
  severity,
  ruleId: 'distinct-3-24h',
  ruleVersion: 2,
  recommendedAction: 'watch',
  openedAt: 0,
  transitions: 1,
});

const number = (i: number) => `+849120000${String(i).padStart(2, '0')}`;

describe('formatWhatIf', () => {
  it('gives the totals side by side', () => {
    const text = formatWhatIf(outcome);
    expect(text).toContain(
      'What-if over 120 reports of 40 numbers received from 2026-11-01T00:00:00.000Z to 2026-12-01T00:00:00.000Z',
    );
    expect(text).toContain('(9 numbers had enough reports to reach a threshold and were replayed)');
    expect(text).toContain('  low                    3          2');
    expect(text).not.toContain('anonymised');
  });

  it('warns when reports past retention, whose reporters all read the same, are in the range', () => {
    const text = formatWhatIf({ ...outcome, anonymisedReports: 17 });
    expect(text).toContain('note: 17 of these reports are past the retention period and anonymised');
    expect(text).toContain('distinct-reporter counts over them are too low');
  });

  it('summarises the changes by kind with a few numbers each, and lists them all on request', () => {
    const closed = Array.from({ length: 12 }, (_, i) => ({
      reportedNumber: number(i),
      before: flag('low'),
      after: null,
    }));
    const raised = [{ reportedNumber: number(50), before: flag('low'), after: flag('high') }];
    const withChanges = { ...outcome, differences: [...closed, ...raised] };
    const summary = formatWhatIf(withChanges);
    expect(summary).toContain('numbers whose outcome differs: 13');
    expect(summary).toContain('flags they would not open: 12');
    expect(summary).toContain(`  ... and ${12 - EXAMPLES_PER_CHANGE} more`);
    expect(summary).toContain('flags they would raise: 1');
    expect(summary).toContain(
      `  ${number(50)}  low (distinct-3-24h v2, watch) -> high (distinct-3-24h v2, watch)`,
    );
    expect(summary).not.toContain(number(11));
    expect(summary).not.toContain('would open');
    const list = formatWhatIf(withChanges, { list: true });
    for (const d of withChanges.differences) expect(list).toContain(d.reportedNumber);
    expect(list).not.toContain('more');
  });
});

describe('formatWhatIf: the campaign view', () => {
  const view = {
    nextSimMinReporters: 2,
    actionedCampaigns: 2,
    numbersCompared: 40,
    caughtEarlier: 1,
    caughtOnly: 1,
    reportsEarlierTotal: 4,
    reportsEarlierMedian: 4,
    hoursEarlierMedian: 6.5,
    catches: [
      {
        reportedNumber: number(1),
        campaignId: '12',
        caughtAt: Date.parse('2026-11-10T02:00:00Z'),
        caughtAtReport: 2,
        similarity: 0.81,
        flaggedAt: Date.parse('2026-11-10T08:30:00Z'),
        flaggedAtReport: 6,
        reportsEarlier: 4,
        msEarlier: 6.5 * 3_600_000,
      },
      {
        reportedNumber: number(2),
        campaignId: '12',
        caughtAt: Date.parse('2026-11-11T00:00:00Z'),
        caughtAtReport: 3,
        similarity: 0.7,
        flaggedAt: null,
        flaggedAtReport: null,
        reportsEarlier: null,
        msEarlier: null,
      },
    ],
  };

  it('says how many numbers the next-SIM rule catches first, by how much, and which', () => {
    const text = formatWhatIf({ ...outcome, campaignView: view });
    expect(text).toContain(
      'numbers it would have caught before the current rules: 1, 4 reports earlier in all (median 4 reports, 6.5 h)',
    );
    expect(text).toContain(
      `  ${number(1)}  campaign 12 at report 2 (2026-11-10T02:00:00.000Z, text 0.81 alike); the rules at report 6: 4 reports, 6.5 h earlier`,
    );
    expect(text).toContain('numbers only it would have caught: 1');
    expect(text).toContain(`  ${number(2)}  campaign 12 at report 3`);
    expect(text).toContain('the rules never flag it');
  });

  it('says so when no campaign is actioned', () => {
    const text = formatWhatIf({
      ...outcome,
      campaignView: { ...view, actionedCampaigns: 0, catches: [], caughtEarlier: 0, caughtOnly: 0 },
    });
    expect(text).toContain('no campaign is actioned: nothing to compare with');
  });
});
