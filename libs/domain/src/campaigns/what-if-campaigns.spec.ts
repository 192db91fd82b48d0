import fc from 'fast-check';
import { DEFAULT_CAMPAIGN_RULES } from './campaign-rules';
import { SCAM_SCRIPTS, seededRandom, unrelatedText, variantOf } from './spec-support';
import { fingerprint, type Fingerprint } from './text-fingerprint';
import {
  campaignCatchOf,
  indexCampaignTexts,
  runCampaignView,
  summariseCampaignView,
  type ActionedCampaignAt,
  type TextReport,
} from './what-if-campaigns';

const RULES = DEFAULT_CAMPAIGN_RULES;
const HOUR = 3_600_000;

const random = seededRandom(7);
const BANK = SCAM_SCRIPTS[0] as string;
const PRIZE = SCAM_SCRIPTS[1] as string;
const scam = (script = BANK) => fingerprint(variantOf(random, script, 1));
const other = () => fingerprint(unrelatedText(random));

const MEMBER = '+84987654300';
const NUMBER = '+84987654377';
const bank: ActionedCampaignAt = {
  campaignId: '7',
  actionedAt: 10 * HOUR,
  members: [{ reportedNumber: MEMBER, fingerprints: Array.from({ length: 5 }, () => scam()) }],
};
const index = indexCampaignTexts([bank], RULES);

let id = 0;
const report = (hour: number, reporter: string, print: Fingerprint | null, weighted = true): TextReport => ({
  reportId: `r${String(id++).padStart(4, '0')}`,
  reporter,
  receivedAt: hour * HOUR,
  weighted,
  fingerprint: print,
});

describe('campaignCatchOf', () => {
  it('catches a number at the second matching reporter, reports and hours before its flag', () => {
    const timeline = [
      report(11, 'p1', scam()),
      report(12, 'p2', other()),
      report(13, 'p3', scam()),
      report(14, 'p4', other()),
      report(15, 'p5', null),
    ];
    expect(campaignCatchOf(NUMBER, timeline, 15 * HOUR, index, RULES)).toMatchObject({
      campaignId: '7',
      caughtAt: 13 * HOUR,
      caughtAtReport: 3,
      flaggedAt: 15 * HOUR,
      flaggedAtReport: 5,
      reportsEarlier: 2,
      msEarlier: 2 * HOUR,
    });
  });

  it('counts no report received before the campaign was actioned', () => {
    const timeline = [report(9, 'p1', scam()), report(11, 'p2', scam()), report(12, 'p3', scam())];
    expect(campaignCatchOf(NUMBER, timeline, null, index, RULES)).toMatchObject({
      caughtAtReport: 3,
      reportsEarlier: null,
    });
  });

  it('catches nothing the flag rules caught first or at the same report', () => {
    const timeline = [report(11, 'p1', scam()), report(12, 'p2', scam())];
    expect(campaignCatchOf(NUMBER, timeline, 12 * HOUR, index, RULES)).toBeNull();
    expect(campaignCatchOf(NUMBER, timeline, 13 * HOUR, index, RULES)).toMatchObject({ reportsEarlier: 0 });
  });

  it('never matches a number against its own texts in the campaign', () => {
    const own = scam();
    const alone = indexCampaignTexts(
      [{ ...bank, members: [{ reportedNumber: NUMBER, fingerprints: [own] }] }],
      RULES,
    );
    const timeline = [report(11, 'p1', own), report(12, 'p2', own)];
    expect(campaignCatchOf(NUMBER, timeline, null, alone, RULES)).toBeNull();
    expect(campaignCatchOf('+84987654399', timeline, null, alone, RULES)).not.toBeNull();
  });

  it('needs distinct weighted reporters within 7 days, and the same script', () => {
    expect(
      campaignCatchOf(NUMBER, [report(11, 'p1', scam()), report(12, 'p1', scam())], null, index, RULES),
    ).toBeNull();
    expect(
      campaignCatchOf(
        NUMBER,
        [report(11, 'p1', scam()), report(12, 'p2', scam(), false)],
        null,
        index,
        RULES,
      ),
    ).toBeNull();
    expect(
      campaignCatchOf(
        NUMBER,
        [report(11, 'p1', scam()), report(11 + 8 * 24, 'p2', scam())],
        null,
        index,
        RULES,
      ),
    ).toBeNull();
    expect(
      campaignCatchOf(
        NUMBER,
        [report(11, 'p1', scam(PRIZE)), report(12, 'p2', scam(PRIZE))],
        null,
        index,
        RULES,
      ),
    ).toBeNull();
  });

  it('is ahead of the flag whenever it catches one, by at least the reports between', () => {
    const prints = [scam(), scam(), other(), null];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            hour: fc.integer({ min: 0, max: 30 * 24 }),
            reporter: fc.integer({ min: 1, max: 4 }),
            print: fc.integer({ min: 0, max: 3 }),
            weighted: fc.boolean(),
          }),
          { minLength: 1, maxLength: 20 },
        ),
        fc.nat(),
        (drawn, flagAt) => {
          const timeline = drawn
            .map((d, i) => ({
              reportId: `r${String(i).padStart(3, '0')}`,
              reporter: `p${d.reporter}`,
              receivedAt: d.hour * HOUR,
              weighted: d.weighted,
              fingerprint: prints[d.print] ?? null,
            }))
            .sort((a, b) => a.receivedAt - b.receivedAt || (a.reportId < b.reportId ? -1 : 1));
          const flaggedAt = (timeline[flagAt % timeline.length] as TextReport).receivedAt;
          const caught = campaignCatchOf(NUMBER, timeline, flaggedAt, index, RULES);
          if (caught === null) return;
          expect(caught.caughtAt).toBeLessThan(flaggedAt);
          expect(caught.caughtAt).toBeGreaterThanOrEqual(bank.actionedAt);
          expect(caught.reportsEarlier).toBeGreaterThanOrEqual(1);
          expect(caught.msEarlier).toBe(flaggedAt - caught.caughtAt);
        },
      ),
    );
  });
});

describe('runCampaignView', () => {
  const texts = (content: string, hours: number[]) =>
    hours.map((hour, i) => ({
      reportId: `${content.length}-${i}`,
      reporter: `p${i}`,
      receivedAt: hour * HOUR,
      weighted: true,
      content,
    }));
  const bankText = variantOf(random, BANK, 1);
  const campaign: ActionedCampaignAt = {
    campaignId: '7',
    actionedAt: 10 * HOUR,
    members: [{ reportedNumber: MEMBER, fingerprints: [fingerprint(variantOf(random, BANK, 1))] }],
  };

  it('reads only numbers not flagged before the first action, and sums what the rule gains', async () => {
    const asked: string[][] = [];
    const source = {
      texts: async (numbers: readonly string[]) => {
        asked.push([...numbers]);
        return new Map([
          ['+84900000001', texts(bankText, [11, 12, 13, 14])],
          ['+84900000002', texts(bankText, [20, 21])],
          ['+84900000003', texts(unrelatedText(random), [11, 12, 13])],
        ]);
      },
    };
    const view = await runCampaignView(
      source,
      [
        { reportedNumber: '+84900000001', flaggedAt: 14 * HOUR },
        { reportedNumber: '+84900000002', flaggedAt: null },
        { reportedNumber: '+84900000003', flaggedAt: 13 * HOUR },
        { reportedNumber: MEMBER, flaggedAt: 2 * HOUR },
      ],
      [campaign],
      RULES,
    );
    expect(asked).toEqual([['+84900000001', '+84900000002', '+84900000003']]);
    expect(view).toMatchObject({
      actionedCampaigns: 1,
      numbersCompared: 3,
      caughtEarlier: 1,
      caughtOnly: 1,
      reportsEarlierTotal: 2,
      reportsEarlierMedian: 2,
      hoursEarlierMedian: 2,
    });
    expect(view.catches.map((c) => c.reportedNumber)).toEqual(['+84900000001', '+84900000002']);
  });

  it('reads nothing without an actioned campaign', async () => {
    const view = await runCampaignView(
      { texts: () => Promise.reject(new Error('not to be read')) },
      [{ reportedNumber: '+84900000001', flaggedAt: null }],
      [],
      RULES,
    );
    expect(view).toEqual(summariseCampaignView([], { actionedCampaigns: 0, numbersCompared: 0 }));
  });
});
