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
