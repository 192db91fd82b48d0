import { DEFAULT_CAMPAIGN_RULES } from './campaign-rules';
import { campaignsMatching, indexActionedCampaigns, matchNextSim } from './next-sim';
import { reporterNumber, SCAM_SCRIPTS, seededRandom, unrelatedText, variantOf } from './spec-support';
import { fingerprint } from './text-fingerprint';

const RULES = DEFAULT_CAMPAIGN_RULES;
const random = seededRandom(42);
const variants = (script: string, count: number) =>
  Array.from({ length: count }, () => fingerprint(variantOf(random, script, 1)));

const index = indexActionedCampaigns(
  [
    { campaignId: 'c-prize', fingerprints: variants(SCAM_SCRIPTS[1] as string, 10) },
    {
      campaignId: 'c-bank',
      fingerprints: [...variants(SCAM_SCRIPTS[0] as string, 10), fingerprint('lừa đảo')],
    },
  ],
  RULES,
);

describe('matchNextSim', () => {
  it('flags a new number reported twice with a variant of an actioned campaign, and says why', () => {
    const decision = matchNextSim(
      [
        {
          reporter: reporterNumber(1),
          fingerprint: fingerprint(variantOf(random, SCAM_SCRIPTS[1] as string, 2)),
        },
        {
          reporter: reporterNumber(2),
          fingerprint: fingerprint(variantOf(random, SCAM_SCRIPTS[1] as string, 1)),
        },
      ],
      index,
      RULES,
    );
    expect(decision).toMatchObject({
      matched: true,
      campaignId: 'c-prize',
      matchingReporters: 2,
      threshold: 2,
      flag: true,
    });
    if (!decision.matched) throw new Error('expected a match');
    expect(decision.similarity).toBeGreaterThanOrEqual(RULES.contentSimilarity);
    expect(decision.reason).toMatch(
      /^reports from 2 people match actioned campaign c-prize \(text similarity 0\.\d\d, at least 0\.60\): flagged at 2 distinct reporters, the threshold for a known campaign's next number$/,
    );
  });

  it('does not flag on one matching reporter, however often they report', () => {
    const text = variantOf(random, SCAM_SCRIPTS[0] as string, 1);
    const decision = matchNextSim(
      [
        { reporter: reporterNumber(1), fingerprint: fingerprint(text) },
        { reporter: reporterNumber(1), fingerprint: fingerprint(text) },
        { reporter: reporterNumber(2), fingerprint: fingerprint(unrelatedText(random)) },
        { reporter: reporterNumber(3), fingerprint: null },
      ],
      index,
      RULES,
    );
    expect(decision).toMatchObject({
      matched: true,
      campaignId: 'c-bank',
      matchingReporters: 1,
      flag: false,
    });
    if (decision.matched) expect(decision.reason).toMatch(/: 2 distinct reporters flag it, 1 more needed$/);
  });

  it('follows the configured threshold', () => {
    const reports = [1, 2].map((reporter) => ({
      reporter: reporterNumber(reporter),
      fingerprint: fingerprint(variantOf(random, SCAM_SCRIPTS[0] as string, 1)),
    }));
    expect(matchNextSim(reports, index, { ...RULES, nextSimMinReporters: 3 })).toMatchObject({
      flag: false,
      threshold: 3,
    });
  });

  it('matches nothing for unrelated texts, short texts or no campaigns', () => {
    const reports = [
      { reporter: reporterNumber(1), fingerprint: fingerprint(unrelatedText(random)) },
      { reporter: reporterNumber(2), fingerprint: fingerprint('Lừa đảo!') },
      { reporter: reporterNumber(3), fingerprint: fingerprint(SCAM_SCRIPTS[5] as string) },
    ];
    expect(matchNextSim(reports, index, RULES)).toEqual({ matched: false });
    expect(matchNextSim(reports.slice(0, 1), indexActionedCampaigns([], RULES), RULES)).toEqual({
      matched: false,
    });
    expect(campaignsMatching(fingerprint('lua dao'), index, RULES).size).toBe(0);
  });

  it('prefers the campaign more reporters match', () => {
    const decision = matchNextSim(
      [
        {
          reporter: reporterNumber(1),
          fingerprint: fingerprint(variantOf(random, SCAM_SCRIPTS[0] as string, 0)),
        },
        {
          reporter: reporterNumber(2),
          fingerprint: fingerprint(variantOf(random, SCAM_SCRIPTS[1] as string, 2)),
        },
        {
          reporter: reporterNumber(3),
          fingerprint: fingerprint(variantOf(random, SCAM_SCRIPTS[1] as string, 2)),
        },
      ],
      index,
      RULES,
    );
    expect(decision).toMatchObject({ matched: true, campaignId: 'c-prize', matchingReporters: 2 });
  });
});
