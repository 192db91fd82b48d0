/**
 * Catching a campaign's next SIM: once a campaign is actioned, its scripts are known, and a new
 * number whose reports carry one of them is flagged at `nextSimMinReporters` distinct reporters
 * (2 by default) instead of waiting for the usual rules. Only reporters whose own report matches
 * count: one matching report and one about something else are not two witnesses of the scam.
 */
import type { CampaignRules } from './campaign-rules';
import { bandKeys, isEmptyFingerprint, similarity, type Fingerprint } from './text-fingerprint';

export interface ActionedCampaignFingerprints {
  readonly campaignId: string;
  readonly fingerprints: readonly Fingerprint[];
}

/** Actioned campaigns' fingerprints by band key: a new number's report is compared with candidates only. */
export interface ActionedCampaignIndex {
  readonly byBandKey: ReadonlyMap<
    string,
    readonly { readonly campaignId: string; readonly fingerprint: Fingerprint }[]
  >;
}

/** Indexes the informative fingerprints (at least `minContentWords` words) of actioned campaigns. */
export function indexActionedCampaigns(
  campaigns: readonly ActionedCampaignFingerprints[],
  rules: CampaignRules,
): ActionedCampaignIndex {
  const byBandKey = new Map<string, { campaignId: string; fingerprint: Fingerprint }[]>();
  for (const { campaignId, fingerprints } of campaigns) {
    const seen = new Set<string>();
    for (const fingerprint of fingerprints) {
      if (isEmptyFingerprint(fingerprint) || fingerprint.wordCount < rules.minContentWords) continue;
      const keys = bandKeys(fingerprint);
      const identity = keys.join();
      if (seen.has(identity)) continue;
      seen.add(identity);
      for (const key of keys) {
        const entries = byBandKey.get(key);
        if (entries === undefined) byBandKey.set(key, [{ campaignId, fingerprint }]);
        else entries.push({ campaignId, fingerprint });
      }
    }
  }
  return { byBandKey };
}

/** The best similarity of `fp` to each actioned campaign it matches (at least `contentSimilarity`). */
export function campaignsMatching(
  fp: Fingerprint,
  index: ActionedCampaignIndex,
  rules: CampaignRules,
): Map<string, number> {
  const matches = new Map<string, number>();
  if (isEmptyFingerprint(fp) || fp.wordCount < rules.minContentWords) return matches;
  const compared = new Set<Fingerprint>();
  for (const key of bandKeys(fp)) {
    for (const { campaignId, fingerprint } of index.byBandKey.get(key) ?? []) {
      if (compared.has(fingerprint)) continue;
      compared.add(fingerprint);
      const value = similarity(fp, fingerprint);
      if (value >= rules.contentSimilarity && value > (matches.get(campaignId) ?? 0)) {
        matches.set(campaignId, value);
      }
    }
  }
  return matches;
}

export interface NewNumberReport {
  readonly reporter: string;
  /** null for a report without text. */
  readonly fingerprint: Fingerprint | null;
}

export type NextSimDecision =
  | { readonly matched: false }
  | {
      readonly matched: true;
      readonly campaignId: string;
      /** The best similarity of a report of the number to the campaign's texts. */
      readonly similarity: number;
      /** Distinct reporters whose report matched the campaign. */
      readonly matchingReporters: number;
      /** nextSimMinReporters of the rules that decided. */
      readonly threshold: number;
      /** Whether the number is to be flagged now and join the campaign. */
      readonly flag: boolean;
      readonly reason: string;
    };

/**
 * Whether a new number's reports match an actioned campaign, which one (most matching reporters,
 * then the closest text, then the campaign id), and whether that is enough to flag it.
 */
export function matchNextSim(
  reports: readonly NewNumberReport[],
  index: ActionedCampaignIndex,
  rules: CampaignRules,
): NextSimDecision {
  const byCampaign = new Map<string, { reporters: Set<string>; similarity: number }>();
  const matchesOfPrint = new Map<Fingerprint, Map<string, number>>();
  for (const { reporter, fingerprint } of reports) {
    if (fingerprint === null) continue;
    let matches = matchesOfPrint.get(fingerprint);
    if (matches === undefined)
      matchesOfPrint.set(fingerprint, (matches = campaignsMatching(fingerprint, index, rules)));
    for (const [campaignId, value] of matches) {
      const found = byCampaign.get(campaignId) ?? { reporters: new Set<string>(), similarity: 0 };
      found.reporters.add(reporter);
      found.similarity = Math.max(found.similarity, value);
      byCampaign.set(campaignId, found);
    }
  }
  let best: { campaignId: string; reporters: number; similarity: number } | null = null;
  for (const [campaignId, found] of byCampaign) {
    const candidate = { campaignId, reporters: found.reporters.size, similarity: found.similarity };
    if (
      best === null ||
      candidate.reporters > best.reporters ||
      (candidate.reporters === best.reporters && candidate.similarity > best.similarity) ||
      (candidate.reporters === best.reporters &&
        candidate.similarity === best.similarity &&
        candidate.campaignId < best.campaignId)
    ) {
      best = candidate;
    }
  }
  if (best === null) return { matched: false };
  const threshold = rules.nextSimMinReporters;
  const flag = best.reporters >= threshold;
  const people = `${best.reporters} ${best.reporters === 1 ? 'person' : 'people'}`;
  const match = `reports from ${people} match actioned campaign ${best.campaignId} (text similarity ${best.similarity.toFixed(2)}, at least ${rules.contentSimilarity.toFixed(2)})`;
  const reason = flag
    ? `${match}: flagged at ${threshold} distinct reporters, the threshold for a known campaign's next number`
    : `${match}: ${threshold} distinct reporters flag it, ${threshold - best.reporters} more needed`;
  return {
    matched: true,
    campaignId: best.campaignId,
    similarity: best.similarity,
    matchingReporters: best.reporters,
    threshold,
    flag,
    reason,
  };
}
