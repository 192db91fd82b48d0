import { formatWhatIf, WhatIfOutcome } from './whatif-report';

const outcome: WhatIfOutcome = {
  since: '2026-11-01T00:00:00.000Z',
  reports: 120,
  numbers: 40,
  anonymisedReports: 0,
  current: { low: 3, medium: 1, high: 0 },
  candidate: { low: 2, medium: 1, high: 0 },
  differences: [],
};

describe('formatWhatIf', () => {
  it('gives the totals side by side', () => {
    const text = formatWhatIf(outcome);
    expect(text).toContain('What-if over 120 reports of 40 numbers received since 2026-11-01T00:00:00.000Z');
    expect(text).toContain('  low                    3          2');
    expect(text).not.toContain('anonymised');
  });

  it('warns when reports past retention, whose reporters all read the same, are in the range', () => {
    const text = formatWhatIf({ ...outcome, anonymisedReports: 17 });
    expect(text).toContain('note: 17 of these reports are past the retention period and anonymised');
    expect(text).toContain('distinct-reporter counts over them are too low');
  });
});
