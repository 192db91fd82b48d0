import type { ReplayDifference, ReplayedFlag, ReplayResult } from '@abuse-monitor/domain';

export interface WhatIfOutcome {
  since: string;
  reports: number;
  numbers: number;
  /** Reports past the retention period: their reporters all read the same, "anonymised". */
  anonymisedReports: number;
  current: ReplayResult['totals'];
  candidate: ReplayResult['totals'];
  differences: ReplayDifference[];
}

const describe = (flag: ReplayedFlag | null) =>
  flag === null
    ? 'no flag'
    : `${flag.severity} (${flag.ruleId} v${flag.ruleVersion}, ${flag.recommendedAction})`;

/** The analyst-facing text: totals side by side, then each number whose outcome differs. */
export function formatWhatIf(outcome: WhatIfOutcome): string {
  const lines = [
    `What-if over ${outcome.reports} reports of ${outcome.numbers} numbers received since ${outcome.since}`,
    ...(outcome.anonymisedReports > 0
      ? [
          `note: ${outcome.anonymisedReports} of these reports are past the retention period and anonymised: their`,
          '      reporters all count as one, so distinct-reporter counts over them are too low, for both rule sets',
        ]
      : []),
    '',
    'flags by severity   current  candidate',
    ...(['low', 'medium', 'high'] as const).map(
      (severity) =>
        `  ${severity.padEnd(17)}${String(outcome.current[severity]).padStart(7)}${String(outcome.candidate[severity]).padStart(11)}`,
    ),
    '',
    `numbers whose outcome differs: ${outcome.differences.length}`,
    ...outcome.differences.map((d) => `  ${d.reportedNumber}  ${describe(d.before)} -> ${describe(d.after)}`),
  ];
  return `${lines.join('\n')}\n`;
}
