/**
 * The what-if's campaign view (issue 20, decision 0063): on a replay, how many numbers the "next
 * SIM" rule (next-sim.ts) would have caught before the flag rules did, and by how many reports and
 * how much time.
 *
 * For each replayed number, its weighted reports with text are walked in timeline order. A report
 * matches an actioned campaign when its text is at least `contentSimilarity` like one of the
 * campaign's members' texts (the same band index and word floor as the scheduler), the campaign was
 * actioned at or before the report, and the member is not the number itself: a number is never
 * matched against its own texts, which the grouping may since have added to the campaign. The
 * campaign rule fires at the first report after which `nextSimMinReporters` distinct reporters
 * matched the campaign within 7 days (the scheduler's reach), as the job would see it at its next
 * run. That moment is compared with the replayed flag of the current rules:
 * - `earlier`: the campaign rule fires strictly before the flag opens; the reports earlier are the
 *   number's reports (all of them, as a person counts them) after the campaign moment up to and
 *   including the one that opened the flag;
 * - `only`: the campaign rule fires and the current rules never flag the number;
 * a number whose flag opens first, or that no campaign rule catches, is in neither.
 * What this leaves out, on purpose: the job runs once a minute (the view uses the report's moment),
 * a campaign's texts are today's members' (not those it had when actioned), and numbers too little
 * reported to reach any flag rule's threshold are not replayed at all.
 */
import type { CampaignRules } from './campaign-rules';
import { bandKeys, fingerprint, isEmptyFingerprint, similarity, type Fingerprint } from './text-fingerprint';

/** How far back the next-SIM rule looks for matching reporters (the scheduler's NEXT_SIM_REACH_MS). */
export const NEXT_SIM_REACH_MS = 7 * 24 * 3_600_000;

export interface ActionedCampaignAt {
  readonly campaignId: string;
  /** Epoch milliseconds of the action. */
  readonly actionedAt: number;
  /** Each member's fingerprints. */
  readonly members: readonly {
    readonly reportedNumber: string;
    readonly fingerprints: readonly Fingerprint[];
  }[];
}

interface IndexEntry {
  readonly campaignId: string;
  readonly actionedAt: number;
  readonly member: string;
  readonly fingerprint: Fingerprint;
}

/** Actioned campaigns' member texts by band key, each entry knowing its campaign, action time and member. */
export interface CampaignTextIndex {
  readonly byBandKey: ReadonlyMap<string, readonly IndexEntry[]>;
  readonly campaigns: number;
}

export function indexCampaignTexts(
  campaigns: readonly ActionedCampaignAt[],
  rules: CampaignRules,
): CampaignTextIndex {
  const byBandKey = new Map<string, IndexEntry[]>();
  for (const { campaignId, actionedAt, members } of campaigns)
    for (const { reportedNumber, fingerprints } of members)
      for (const fingerprint of fingerprints) {
        if (isEmptyFingerprint(fingerprint) || fingerprint.wordCount < rules.minContentWords) continue;
        const entry = { campaignId, actionedAt, member: reportedNumber, fingerprint };
        for (const key of bandKeys(fingerprint)) {
          const entries = byBandKey.get(key);
          if (entries === undefined) byBandKey.set(key, [entry]);
          else entries.push(entry);
        }
      }
  return { byBandKey, campaigns: campaigns.length };
}

/** A report of a replayed number as the campaign view needs it. */
export interface TextReport {
  readonly reportId: string;
  readonly reporter: string;
  readonly receivedAt: number;
  readonly weighted: boolean;
  /** null for a report without text. */
  readonly fingerprint: Fingerprint | null;
}

export interface CampaignCatch {
  readonly reportedNumber: string;
  readonly campaignId: string;
  /** The report after which the campaign rule fires, and its moment. */
  readonly caughtAt: number;
  /** Reports of the number up to and including that one. */
  readonly caughtAtReport: number;
  readonly similarity: number;
  /** When the current rules' flag opened, and at its how-many-th report; null when it never does. */
  readonly flaggedAt: number | null;
  readonly flaggedAtReport: number | null;
  /** Reports and milliseconds the campaign rule is ahead; null when the rules never flag it. */
  readonly reportsEarlier: number | null;
  readonly msEarlier: number | null;
}

/**
 * When the campaign rule catches this number, compared with its replayed flag (`flaggedAt`, the
 * moment the current rules open it, or null); null when it does not catch it strictly earlier.
 * `timeline` in timeline order (compareReports), every report of the number in the period.
 */
export function campaignCatchOf(
  reportedNumber: string,
  timeline: readonly TextReport[],
  flaggedAt: number | null,
  index: CampaignTextIndex,
  rules: CampaignRules,
): CampaignCatch | null {
  const matchesOf = new Map<Fingerprint, Map<string, { at: number; similarity: number }>>();
  /** Per campaign: the matching weighted reports so far, oldest first. */
  const matching = new Map<string, { reporter: string; at: number; similarity: number }[]>();
  for (let moment = 0; moment < timeline.length; moment++) {
    const report = timeline[moment] as TextReport;
    if (flaggedAt !== null && report.receivedAt >= flaggedAt) return null;
    const print = report.fingerprint;
    if (!report.weighted || print === null) continue;
    let matches = matchesOf.get(print);
    if (matches === undefined)
      matchesOf.set(print, (matches = campaignsMatchingOther(print, reportedNumber, index, rules)));
    for (const [campaignId, match] of matches) {
      if (match.at > report.receivedAt) continue;
      const list = matching.get(campaignId) ?? [];
      list.push({ reporter: report.reporter, at: report.receivedAt, similarity: match.similarity });
      matching.set(campaignId, list);
    }
    // Fired now? The campaign with the most matching reporters in reach, then the closest text, then the id.
    let best: { campaignId: string; reporters: number; similarity: number } | null = null;
    for (const [campaignId, list] of matching) {
      const inReach = list.filter((m) => m.at > report.receivedAt - NEXT_SIM_REACH_MS);
      const reporters = new Set(inReach.map((m) => m.reporter)).size;
      if (reporters < rules.nextSimMinReporters) continue;
      const closest = Math.max(...inReach.map((m) => m.similarity));
      if (
        best === null ||
        reporters > best.reporters ||
        (reporters === best.reporters && closest > best.similarity) ||
        (reporters === best.reporters && closest === best.similarity && campaignId < best.campaignId)
      )
        best = { campaignId, reporters, similarity: closest };
    }
    if (best === null) continue;
    const flaggedAtReport = flaggedAt === null ? null : lastIndexAtOrBefore(timeline, flaggedAt, moment) + 1;
    return {
      reportedNumber,
      campaignId: best.campaignId,
      caughtAt: report.receivedAt,
      caughtAtReport: moment + 1,
      similarity: best.similarity,
      flaggedAt,
      flaggedAtReport,
      reportsEarlier: flaggedAtReport === null ? null : flaggedAtReport - (moment + 1),
      msEarlier: flaggedAt === null ? null : flaggedAt - report.receivedAt,
    };
  }
  return null;
}

/** The index of the last report received at or before `at`, searching from `from` on. */
function lastIndexAtOrBefore(timeline: readonly TextReport[], at: number, from: number): number {
  let last = from;
  for (let i = from + 1; i < timeline.length && (timeline[i] as TextReport).receivedAt <= at; i++) last = i;
  return last;
}

/**
 * Each campaign this text matches through another number's text, with the best similarity and
 * the earliest moment it could (the campaign's action).
 */
function campaignsMatchingOther(
  print: Fingerprint,
  reportedNumber: string,
  index: CampaignTextIndex,
  rules: CampaignRules,
): Map<string, { at: number; similarity: number }> {
  const matches = new Map<string, { at: number; similarity: number }>();
  if (isEmptyFingerprint(print) || print.wordCount < rules.minContentWords) return matches;
  const compared = new Set<IndexEntry>();
  for (const key of bandKeys(print))
    for (const entry of index.byBandKey.get(key) ?? []) {
      if (compared.has(entry) || entry.member === reportedNumber) continue;
      compared.add(entry);
      const value = similarity(print, entry.fingerprint);
      if (value < rules.contentSimilarity) continue;
      const found = matches.get(entry.campaignId);
      if (found === undefined || value > found.similarity)
        matches.set(entry.campaignId, { at: entry.actionedAt, similarity: value });
    }
  return matches;
}

export interface CampaignView {
  /** Actioned campaigns the replay compared with. */
  readonly actionedCampaigns: number;
  /** Numbers whose texts were compared: replayed, and not flagged before the first action. */
  readonly numbersCompared: number;
  /** Flagged by the current rules, and caught strictly earlier by the campaign rule. */
  readonly caughtEarlier: number;
  /** Caught by the campaign rule, never flagged by the current rules. */
  readonly caughtOnly: number;
  /** Over the numbers caught earlier: the reports and hours they are ahead, summed and at the median. */
  readonly reportsEarlierTotal: number;
  readonly reportsEarlierMedian: number | null;
  readonly hoursEarlierMedian: number | null;
  /** Every catch, by number. */
  readonly catches: readonly CampaignCatch[];
}

const median = (values: readonly number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** The figures of the view from its catches. */
export function summariseCampaignView(
  catches: readonly CampaignCatch[],
  counted: { actionedCampaigns: number; numbersCompared: number },
): CampaignView {
  const sorted = [...catches].sort((a, b) =>
    a.reportedNumber < b.reportedNumber ? -1 : a.reportedNumber > b.reportedNumber ? 1 : 0,
  );
  const earlier = sorted.filter((c) => c.reportsEarlier !== null);
  return {
    ...counted,
    caughtEarlier: earlier.length,
    caughtOnly: sorted.length - earlier.length,
    reportsEarlierTotal: earlier.reduce((sum, c) => sum + (c.reportsEarlier ?? 0), 0),
    reportsEarlierMedian: median(earlier.map((c) => c.reportsEarlier ?? 0)),
    hoursEarlierMedian: median(earlier.map((c) => (c.msEarlier ?? 0) / 3_600_000)),
    catches: sorted,
  };
}

/** Where the campaign view reads the replayed numbers' reports with their text. */
export interface CampaignReplaySource {
  /** Every report of these numbers in the period, any order; content null when it has none. */
  texts(
    numbers: readonly string[],
  ): Promise<
    Map<
      string,
      { reportId: string; reporter: string; receivedAt: number; weighted: boolean; content: string | null }[]
    >
  >;
}

/**
 * The campaign view of a replay: `replayed` are the numbers the what-if replayed, each with the
 * moment the current rules flag it (null: never). Only numbers not flagged before the first action
 * can be caught earlier, so only their texts are read and fingerprinted, `numbersPerBatch` at a time.
 */
export async function runCampaignView(
  source: CampaignReplaySource,
  replayed: readonly { reportedNumber: string; flaggedAt: number | null }[],
  campaigns: readonly ActionedCampaignAt[],
  rules: CampaignRules,
  options: { numbersPerBatch?: number } = {},
): Promise<CampaignView> {
  const { numbersPerBatch = 2_000 } = options;
  if (campaigns.length === 0) return summariseCampaignView([], { actionedCampaigns: 0, numbersCompared: 0 });
  const firstAction = Math.min(...campaigns.map((c) => c.actionedAt));
  const candidates = replayed.filter((n) => n.flaggedAt === null || n.flaggedAt > firstAction);
  const index = indexCampaignTexts(campaigns, rules);
  const catches: CampaignCatch[] = [];
  for (let start = 0; start < candidates.length; start += numbersPerBatch) {
    const batch = candidates.slice(start, start + numbersPerBatch);
    const texts = await source.texts(batch.map((n) => n.reportedNumber));
    for (const { reportedNumber, flaggedAt } of batch) {
      const printOf = new Map<string, Fingerprint>();
      const timeline: TextReport[] = (texts.get(reportedNumber) ?? [])
        .map((r) => {
          let print: Fingerprint | null = null;
          if (r.content !== null && r.weighted) {
            print = printOf.get(r.content) ?? fingerprint(r.content);
            printOf.set(r.content, print);
          }
          return {
            reportId: r.reportId,
            reporter: r.reporter,
            receivedAt: r.receivedAt,
            weighted: r.weighted,
            fingerprint: print,
          };
        })
        .sort(
          (a, b) =>
            a.receivedAt - b.receivedAt || (a.reportId < b.reportId ? -1 : a.reportId > b.reportId ? 1 : 0),
        );
      const caught = campaignCatchOf(reportedNumber, timeline, flaggedAt, index, rules);
      if (caught) catches.push(caught);
    }
  }
  return summariseCampaignView(catches, {
    actionedCampaigns: campaigns.length,
    numbersCompared: candidates.length,
  });
}
