import { DEFAULT_CAMPAIGN_RULES } from './campaign-rules';
import type { FlaggedNumberEvidence } from './campaign-links';
import { campaignSeverity, groupCampaigns, resolveOverrides, type CampaignOverride } from './group-campaigns';
import {
  blockNumber,
  DAY,
  HOUR,
  reporterNumber,
  SCAM_SCRIPTS,
  scatteredNumber,
  seededRandom,
  T0,
  unrelatedText,
  variantOf,
} from './spec-support';
import { fingerprint } from './text-fingerprint';

const RULES = DEFAULT_CAMPAIGN_RULES;
const SCRIPT = SCAM_SCRIPTS[1] as string;

/**
 * The scene: 30 numbers of one block, rotated a few hours apart, each reported by 5
 * people with variants of one script; and 30 unrelated numbers with unrelated texts, reported at
 * the same times.
 */
function scene(seed = 1) {
  const random = seededRandom(seed);
  let reporter = 0;
  const numberWith = (number: string, index: number, text: () => string): FlaggedNumberEvidence => {
    const start = T0 + index * 8 * HOUR;
    const reports = Array.from({ length: 5 }, (_, report) => ({
      reporter: reporterNumber(reporter++),
      at: start + report * HOUR,
    }));
    return {
      number,
      carrier: index % 3 === 0 ? 'viettel' : 'vinaphone',
      severity: index === 4 ? 'medium' : 'low',
      fingerprints: reports.map(() => fingerprint(text())),
      reports,
      firstReportAt: start,
      lastReportAt: start + 4 * HOUR,
    };
  };
  const campaign = Array.from({ length: 30 }, (_, index) =>
    numberWith(blockNumber(index), index, () => variantOf(random, SCRIPT, 1 + Math.floor(random() * 2))),
  );
  const unrelated = Array.from({ length: 30 }, (_, index) =>
    numberWith(scatteredNumber(index), index, () => unrelatedText(random)),
  );
  return { campaign, unrelated };
}

describe('groupCampaigns', () => {
  it('makes one campaign of 30 numbers of one block reported with one script, and leaves unrelated numbers out', () => {
    const { campaign, unrelated } = scene();
    const { campaigns } = groupCampaigns([...unrelated, ...campaign], RULES);
    expect(campaigns).toHaveLength(1);
    const [found] = campaigns;
    expect(found?.members).toEqual(campaign.map((entry) => entry.number));
    expect(found?.distinctReporters).toBe(150);
    expect(found?.carriers).toEqual(['viettel', 'vinaphone']);
    expect(found?.firstSeenAt).toBe(T0);
    expect(found?.lastSeenAt).toBe(T0 + 29 * 8 * HOUR + 4 * HOUR);
    // 30 members reach highSeverityMembers (10) although the strongest flag is medium.
    expect(found?.severity).toBe('high');
    expect(found?.severityReason).toBe('30 numbers, at least 10: an organised operation');
    for (const member of found?.evidence ?? []) {
      expect(member.links.length).toBeGreaterThan(0);
      expect(member.mergedBySupervisor).toBe(false);
    }
    expect(found?.evidence[0]?.links[0]?.explanation).toMatch(/near-identical text .*one number block/);
  });

  it('does not group numbers of one block with nothing else in common, nor numbers with a short common text', () => {
    const numbers = Array.from({ length: 5 }, (_, index) => ({
      number: blockNumber(index),
      carrier: null,
      severity: 'low' as const,
      fingerprints: [fingerprint('lừa đảo')],
      reports: [{ reporter: reporterNumber(index), at: T0 + index * DAY }],
      firstReportAt: T0 + index * DAY,
      lastReportAt: T0 + index * DAY,
    }));
    const { campaigns, links } = groupCampaigns(numbers, RULES);
    expect(campaigns).toEqual([]);
    expect(links.length).toBeGreaterThan(0);
    expect(links.every((link) => !link.joins)).toBe(true);
  });

  it('respects minMembers', () => {
    const { campaign } = scene();
    expect(groupCampaigns(campaign.slice(0, 2), RULES).campaigns).toHaveLength(1);
    expect(groupCampaigns(campaign.slice(0, 2), { ...RULES, minMembers: 3 }).campaigns).toEqual([]);
  });

  it('merges what a supervisor merged and marks it', () => {
    const { campaign, unrelated } = scene();
    const merge: CampaignOverride = {
      kind: 'merge',
      numbers: [campaign[0]!.number, unrelated[0]!.number, unrelated[1]!.number],
      at: T0,
    };
    const { campaigns } = groupCampaigns([...campaign, ...unrelated], RULES, [merge]);
    expect(campaigns).toHaveLength(1);
    expect(campaigns[0]?.members).toHaveLength(32);
    const evidenceOf = (number: string) => campaigns[0]?.evidence.find((entry) => entry.number === number);
    expect(evidenceOf(unrelated[1]!.number)).toEqual({
      number: unrelated[1]!.number,
      links: [],
      mergedBySupervisor: true,
    });
  });

  it('keeps the sides of a split apart even where links cross it', () => {
    const { campaign } = scene();
    const first = campaign.slice(0, 10).map((entry) => entry.number);
    const rest = campaign.slice(10).map((entry) => entry.number);
    const { campaigns } = groupCampaigns(campaign, RULES, [{ kind: 'split', apart: [first, rest], at: T0 }]);
    expect(campaigns.map((found) => found.members)).toEqual([first, rest]);
    for (const found of campaigns) {
      for (const link of found.links) expect(found.members).toEqual(expect.arrayContaining([link.a, link.b]));
    }
  });

  it('keeps a removed member out of the campaign it was removed from', () => {
    const { campaign } = scene();
    const members = campaign.map((entry) => entry.number);
    const removed = members[5] as string;
    const { campaigns } = groupCampaigns(campaign, RULES, [
      { kind: 'remove_member', number: removed, from: members, at: T0 },
    ]);
    expect(campaigns).toHaveLength(1);
    expect(campaigns[0]?.members).toEqual(members.filter((number) => number !== removed));
  });

  it('lets a later merge lift an earlier split, and a later split cut an earlier merge', () => {
    const { campaign } = scene();
    const first = campaign.slice(0, 10).map((entry) => entry.number);
    const rest = campaign.slice(10).map((entry) => entry.number);
    const split: CampaignOverride = { kind: 'split', apart: [first, rest], at: T0 };
    const merge: CampaignOverride = { kind: 'merge', numbers: [first[0]!, rest[0]!], at: T0 + DAY };
    expect(groupCampaigns(campaign, RULES, [merge, split]).campaigns).toHaveLength(1);
    expect(groupCampaigns(campaign, RULES, [{ ...merge, at: T0 - DAY }, split]).campaigns).toHaveLength(2);
  });
});

describe('resolveOverrides', () => {
  it('orders decisions by time, then as given, and drops a split a later merge crosses', () => {
    const resolved = resolveOverrides([
      { kind: 'merge', numbers: ['a', 'b', 'a'], at: 5 },
      { kind: 'split', apart: [['a'], ['b']], at: 4 },
      { kind: 'remove_member', number: 'c', from: ['c', 'd'], at: 6 },
      {
        kind: 'split',
        apart: [
          ['x', 'y'],
          ['y', 'z'],
        ],
        at: 7,
      },
    ]);
    expect(resolved.together).toEqual([['a', 'b']]);
    expect(resolved.apart).toEqual([
      [new Set(['c']), new Set(['d'])],
      [new Set(['x']), new Set(['z'])],
    ]);
  });
});

describe('campaignSeverity', () => {
  it('is the strongest member flag, high from highSeverityMembers on', () => {
    expect(campaignSeverity(['low', 'medium', 'low'], RULES).severity).toBe('medium');
    expect(campaignSeverity(['low', 'high'], RULES)).toEqual({
      severity: 'high',
      reason: "the highest severity among its members' flags (high)",
    });
    expect(
      campaignSeverity(
        Array.from({ length: 10 }, () => 'low' as const),
        RULES,
      ).severity,
    ).toBe('high');
    expect(
      campaignSeverity(
        Array.from({ length: 9 }, () => 'low' as const),
        RULES,
      ).severity,
    ).toBe('low');
  });
});
