import { summariseChanges } from '@abuse-monitor/domain';
import type { CampaignCatch, CampaignView, ReplayedFlag, WhatIfRun } from '@abuse-monitor/domain';

export interface WhatIfOutcome extends WhatIfRun {
  since: string;
  until: string;
  /** The next-SIM rule against the current rules (decision 0063); absent when not computed. */
  campaignView?: CampaignView & { nextSimMinReporters: number };
}

const hours = (ms: number) => `${(ms / 3_600_000).toFixed(1)} h`;

const catchLine = (c: CampaignCatch) =>
  `  ${c.reportedNumber}  campaign ${c.campaignId} at report ${c.caughtAtReport} (${new Date(c.caughtAt).toISOString()}, ` +
  `text ${c.similarity.toFixed(2)} alike)` +
  (c.flaggedAtReport === null
    ? '; the rules never flag it'
    : `; the rules at report ${c.flaggedAtReport}: ${c.reportsEarlier} reports, ${hours(c.msEarlier ?? 0)} earlier`);

/** The campaign view's lines: what the next-SIM rule would have caught before the rules. */
function campaignLines(view: NonNullable<WhatIfOutcome['campaignView']>, list: boolean): string[] {
  const head = `campaign view: the next-SIM rule (${view.nextSimMinReporters} distinct reporters whose texts match an actioned campaign's)`;
  if (view.actionedCampaigns === 0) return ['', head, '  no campaign is actioned: nothing to compare with'];
  const earlier = view.catches.filter((c) => c.reportsEarlier !== null);
  const only = view.catches.filter((c) => c.reportsEarlier === null);
  const shown = (catches: readonly CampaignCatch[]) => [
    ...(list ? catches : catches.slice(0, EXAMPLES_PER_CHANGE)).map(catchLine),
    ...(!list && catches.length > EXAMPLES_PER_CHANGE
      ? [`  ... and ${catches.length - EXAMPLES_PER_CHANGE} more`]
      : []),
  ];
  return [
    '',
    head,
    `  ${view.actionedCampaigns} actioned campaigns; ${view.numbersCompared} replayed numbers not flagged before the first action compared`,
    `numbers it would have caught before the current rules: ${view.caughtEarlier}` +
      (view.caughtEarlier > 0
        ? `, ${view.reportsEarlierTotal} reports earlier in all (median ${view.reportsEarlierMedian} reports, ${(view.hoursEarlierMedian ?? 0).toFixed(1)} h)`
        : ''),
    ...shown(earlier),
    `numbers only it would have caught: ${view.caughtOnly}`,
    ...shown(only),
  ];
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
    ...(outcome.campaignView ? campaignLines(outcome.campaignView, options.list) : []),
    ...(!options.list && (outcome.differences.length > 0 || (outcome.campaignView?.catches.length ?? 0) > 0)
      ? ['', 'every number: run again with --list (or --json)']
      : []),
  ];
  return `${lines.join('\n')}\n`;
}
