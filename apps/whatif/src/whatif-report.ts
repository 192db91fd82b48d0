import { summariseChanges } from '@abuse-monitor/domain';
import type { ReplayedFlag, WhatIfRun } from '@abuse-monitor/domain';

export interface WhatIfOutcome extends WhatIfRun {
  since: string;
  until: string;
}

/** How many numbers of each kind of change the text shows without --list. */
export const EXAMPLES_PER_CHANGE = 5;

const describe = (flag: ReplayedFlag | null) =>
  flag === null
    ? 'no flag'
    : `${flag.severity} (${flag.ruleId} v${flag.ruleVersion}, ${flag.recommendedAction})`;

const CHANGE_TITLES = {
  opened: 'flags the candidate rules would open',
  closed: 'flags they would not open',
  raised: 'flags they would raise',
  lowered: 'flags they would lower',
  actionChanged: 'same severity, another recommended action',
} as const;

/**
 * The analyst-facing text: totals side by side, then the changes by kind with a few numbers of
 * each, or every number whose outcome differs when `list` is asked for.
 */
export function formatWhatIf(outcome: WhatIfOutcome, options: { list: boolean } = { list: false }): string {
  const { counts, examples } = summariseChanges(outcome.differences, EXAMPLES_PER_CHANGE);
  const line = (d: WhatIfOutcome['differences'][number]) =>
    `  ${d.reportedNumber}  ${describe(d.before)} -> ${describe(d.after)}`;
  const lines = [
    `What-if over ${outcome.reports} reports of ${outcome.numbers} numbers received from ${outcome.since} to ${outcome.until}`,
    `(${outcome.numbersReplayed} numbers had enough reports to reach a threshold and were replayed)`,
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
    ...(options.list
      ? outcome.differences.map(line)
      : (Object.keys(CHANGE_TITLES) as (keyof typeof CHANGE_TITLES)[])
          .filter((kind) => counts[kind] > 0)
          .flatMap((kind) => [
            `${CHANGE_TITLES[kind]}: ${counts[kind]}`,
            ...examples[kind].map(line),
            ...(counts[kind] > examples[kind].length
              ? [`  ... and ${counts[kind] - examples[kind].length} more`]
              : []),
          ])),
    ...(!options.list && outcome.differences.length > 0
      ? ['', 'every number: run again with --list (or --json)']
      : []),
  ];
  return `${lines.join('\n')}\n`;
}
