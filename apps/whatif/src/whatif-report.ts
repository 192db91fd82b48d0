import type { ReplayDifference, ReplayedFlag, ReplayResult } from '@abuse-monitor/domain';

export interface WhatIfOutcome {
  since: string;
  reports: number;
  numbers: number;
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
