/**
 * Whatever the flagged numbers and the supervisors' decisions, the grouping is a function of them
 * (not of their order), and every standing decision holds in what it returns.
 */
import fc from 'fast-check';
import { DEFAULT_CAMPAIGN_RULES } from './campaign-rules';
import type { FlaggedNumberEvidence } from './campaign-links';
import { groupCampaigns, resolveOverrides, type CampaignOverride } from './group-campaigns';
import { blockNumber, DAY, HOUR, reporterNumber, SCAM_SCRIPTS, scatteredNumber, T0 } from './spec-support';
import { fingerprint } from './text-fingerprint';

const SCRIPT_PRINTS = SCAM_SCRIPTS.slice(0, 3).map((script) => fingerprint(script));
const NUMBERS = [
  ...Array.from({ length: 6 }, (_, index) => blockNumber(index)),
  ...Array.from({ length: 6 }, (_, index) => scatteredNumber(index)),
];

const flaggedNumber: fc.Arbitrary<FlaggedNumberEvidence> = fc
  .record({
    number: fc.constantFrom(...NUMBERS),
    severity: fc.constantFrom('low' as const, 'medium' as const, 'high' as const),
    scripts: fc.subarray([0, 1, 2]),
    reporters: fc.subarray([0, 1, 2, 3, 4, 5], { maxLength: 4 }),
    startHours: fc.integer({ min: 0, max: 20 * 24 }),
  })
  .map(({ number, severity, scripts, reporters, startHours }) => ({
    number,
    carrier: null,
    severity,
    fingerprints: scripts.map((script) => SCRIPT_PRINTS[script]!),
    reports: reporters.map((reporter, position) => ({
      reporter: reporterNumber(reporter),
      at: T0 + startHours * HOUR + position * HOUR,
    })),
    firstReportAt: T0 + startHours * HOUR,
    lastReportAt: T0 + startHours * HOUR + DAY,
  }));

const numbers = fc.uniqueArray(flaggedNumber, { selector: (entry) => entry.number, maxLength: 12 });

const someNumbers = fc.subarray(NUMBERS, { minLength: 1, maxLength: 5 });
const override: fc.Arbitrary<CampaignOverride> = fc.oneof(
  fc.record({ kind: fc.constant('merge' as const), numbers: someNumbers, at: fc.nat(10) }),
  fc.record({
    kind: fc.constant('split' as const),
    apart: fc.tuple(someNumbers, someNumbers),
    at: fc.nat(10),
  }),
  fc.record({
    kind: fc.constant('remove_member' as const),
    number: fc.constantFrom(...NUMBERS),
    from: someNumbers,
    at: fc.nat(10),
  }),
);

describe('groupCampaigns (properties)', () => {
  it('does not depend on the order of the numbers', () => {
    fc.assert(
      fc.property(numbers, fc.array(override, { maxLength: 4 }), fc.nat(), (entries, overrides, seed) => {
        const at = entries.length === 0 ? 0 : seed % entries.length;
        const shuffled = [...entries.slice(at), ...entries.slice(0, at)].reverse();
        expect(groupCampaigns(shuffled, DEFAULT_CAMPAIGN_RULES, overrides)).toEqual(
          groupCampaigns(entries, DEFAULT_CAMPAIGN_RULES, overrides),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('gives each number at most one campaign, of at least minMembers, holding every standing split', () => {
    fc.assert(
      fc.property(numbers, fc.array(override, { maxLength: 4 }), (entries, overrides) => {
        const { campaigns } = groupCampaigns(entries, DEFAULT_CAMPAIGN_RULES, overrides);
        const all = campaigns.flatMap((campaign) => campaign.members);
        expect(new Set(all).size).toBe(all.length);
        for (const campaign of campaigns) {
          expect(campaign.members.length).toBeGreaterThanOrEqual(DEFAULT_CAMPAIGN_RULES.minMembers);
          for (const [left, right] of resolveOverrides(overrides).apart) {
            const onLeft = campaign.members.some((member) => left.has(member));
            const onRight = campaign.members.some((member) => right.has(member));
            expect(onLeft && onRight).toBe(false);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('puts two numbers together only through joining links or a merge', () => {
    fc.assert(
      fc.property(numbers, (entries) => {
        const { campaigns, links } = groupCampaigns(entries, DEFAULT_CAMPAIGN_RULES);
        for (const campaign of campaigns) {
          for (const member of campaign.evidence) {
            expect(member.links.length).toBeGreaterThan(0);
          }
          for (const link of campaign.links) expect(link.joins).toBe(true);
        }
        // A weak link alone never makes a campaign.
        const joining = links.filter((link) => link.joins);
        const grouped = new Set(campaigns.flatMap((campaign) => campaign.members));
        for (const number of grouped)
          expect(joining.some((link) => link.a === number || link.b === number)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps every member of a standing merge in one campaign when no split stands', () => {
    fc.assert(
      fc.property(
        numbers,
        fc.array(
          override.filter((entry) => entry.kind === 'merge'),
          { minLength: 1, maxLength: 3 },
        ),
        (entries, merges) => {
          const present = new Set(entries.map((entry) => entry.number));
          const { campaigns } = groupCampaigns(entries, DEFAULT_CAMPAIGN_RULES, merges);
          const campaignOf = new Map(
            campaigns.flatMap((campaign, index) =>
              campaign.members.map((member) => [member, index] as const),
            ),
          );
          for (const merge of merges) {
            if (merge.kind !== 'merge') continue;
            const members = merge.numbers.filter((number) => present.has(number));
            if (members.length < 2) continue;
            expect(new Set(members.map((member) => campaignOf.get(member))).size).toBe(1);
            expect(campaignOf.get(members[0]!)).toBeDefined();
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
