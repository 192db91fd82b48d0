import { DEFAULT_CAMPAIGN_RULES } from './campaign-rules';
import {
  findCampaignLinks,
  MAX_NUMBERS_PER_SHARED_REPORTER,
  type FlaggedNumberEvidence,
} from './campaign-links';
import { blockNumber, DAY, HOUR, reporterNumber, SCAM_SCRIPTS, scatteredNumber, T0 } from './spec-support';
import { fingerprint } from './text-fingerprint';

const RULES = DEFAULT_CAMPAIGN_RULES;
const SCRIPT = SCAM_SCRIPTS[0] as string;
const OTHER_SCRIPT = SCAM_SCRIPTS[1] as string;

function flagged(number: string, fields: Partial<FlaggedNumberEvidence> = {}): FlaggedNumberEvidence {
  return {
    number,
    carrier: 'vinaphone',
    severity: 'low',
    fingerprints: [],
    reports: [],
    firstReportAt: T0,
    lastReportAt: T0 + HOUR,
    ...fields,
  };
}

const kinds = (link: { signals: readonly { kind: string }[] }) => link.signals.map((signal) => signal.kind);

describe('findCampaignLinks', () => {
  it('joins two numbers on near-identical informative text alone, and says why', () => {
    const links = findCampaignLinks(
      [
        flagged(scatteredNumber(2), {
          fingerprints: [fingerprint(SCRIPT)],
          firstReportAt: T0 + 3 * DAY,
          lastReportAt: T0 + 4 * DAY,
        }),
        flagged(scatteredNumber(1), {
          fingerprints: [fingerprint(SCRIPT.toUpperCase().replace('482913', '111'))],
        }),
      ],
      RULES,
    );
    expect(links).toEqual([
      {
        a: scatteredNumber(1),
        b: scatteredNumber(2),
        signals: [
          {
            kind: 'content',
            similarity: 1,
            weight: 2,
            explanation: 'reports with near-identical text (similarity 1.00, at least 0.60)',
          },
        ],
        score: 2,
        joins: true,
        explanation:
          'reports with near-identical text (similarity 1.00, at least 0.60) (score 2, joins at 2)',
      },
    ]);
  });

  it('ignores the likeness of texts too short to mean anything', () => {
    const links = findCampaignLinks(
      [
        flagged(scatteredNumber(1), { fingerprints: [fingerprint('lừa đảo chiếm đoạt tiền')] }),
        flagged(scatteredNumber(2), {
          fingerprints: [fingerprint('Lua dao chiem doat tien!')],
          firstReportAt: T0 + 5 * DAY,
          lastReportAt: T0 + 5 * DAY,
        }),
      ],
      RULES,
    );
    expect(links).toEqual([]);
  });

  it('does not link different scripts', () => {
    const links = findCampaignLinks(
      [
        flagged(scatteredNumber(1), { fingerprints: [fingerprint(SCRIPT)] }),
        flagged(scatteredNumber(2), { fingerprints: [fingerprint(OTHER_SCRIPT)] }),
      ],
      RULES,
    );
    expect(links).toEqual([]);
  });

  it('finds a block but does not join on it alone', () => {
    const [link, ...rest] = findCampaignLinks(
      [
        flagged(blockNumber(1), { firstReportAt: T0, lastReportAt: T0 + DAY }),
        flagged(blockNumber(7), { firstReportAt: T0 + 4 * DAY, lastReportAt: T0 + 5 * DAY }),
      ],
      RULES,
    );
    expect(rest).toEqual([]);
    expect(link).toMatchObject({ a: blockNumber(1), b: blockNumber(7), score: 1, joins: false });
    expect(link?.signals).toEqual([
      {
        kind: 'number_block',
        prefixDigits: 7,
        gapDays: 3,
        weight: 1,
        explanation: 'one number block (the same first 7 digits), reported 3 days apart',
      },
    ]);
    expect(link?.explanation).toContain('below the 2 that joins: not enough alone');
  });

  it('joins a block with a co-timed onset', () => {
    const [link] = findCampaignLinks(
      [
        flagged(blockNumber(1)),
        flagged(blockNumber(2), { firstReportAt: T0 + 40 * 60_000, lastReportAt: T0 + 2 * HOUR }),
      ],
      RULES,
    );
    expect(kinds(link!)).toEqual(['number_block', 'co_timed_onset']);
    expect(link?.signals[1]?.explanation).toBe('first reported 40 minutes apart (within 6 hours)');
    expect(link?.joins).toBe(true);
  });

  it('leaves a block reported too far apart, and numbers outside Vietnam, out', () => {
    expect(
      findCampaignLinks(
        [
          flagged(blockNumber(1)),
          flagged(blockNumber(2), { firstReportAt: T0 + 9 * DAY, lastReportAt: T0 + 9 * DAY }),
        ],
        RULES,
      ),
    ).toEqual([]);
    expect(findCampaignLinks([flagged('+14155550100'), flagged('+14155550101')], RULES)).toEqual([]);
  });

  it('counts shared reporters only within the hours, never naming them', () => {
    const reports = (offset: number) => [
      { reporter: reporterNumber(1), at: T0 + offset },
      { reporter: reporterNumber(2), at: T0 + offset },
      { reporter: reporterNumber(3), at: T0 + offset + (offset > 0 ? 3 * DAY : 0) },
    ];
    const [link] = findCampaignLinks(
      [
        flagged(scatteredNumber(1), { reports: reports(0) }),
        flagged(scatteredNumber(2), {
          reports: reports(10 * HOUR),
          firstReportAt: T0 + 10 * HOUR,
          lastReportAt: T0 + 4 * DAY,
        }),
      ],
      RULES,
    );
    expect(link?.signals).toEqual([
      {
        kind: 'shared_reporters',
        reporters: 2,
        weight: 1,
        explanation: '2 people reported both within 24 hours',
      },
    ]);
    expect(link?.explanation).not.toContain('+84');
    expect(link?.joins).toBe(false);
  });

  it('leaves a reporter of very many numbers out of shared reporters', () => {
    const everything = Array.from({ length: MAX_NUMBERS_PER_SHARED_REPORTER + 1 }, (_, index) =>
      flagged(scatteredNumber(index), {
        reports: [
          { reporter: reporterNumber(1), at: T0 },
          ...(index < 2 ? [{ reporter: reporterNumber(2), at: T0 }] : []),
        ],
        firstReportAt: T0 + index * DAY,
        lastReportAt: T0 + index * DAY,
      }),
    );
    expect(findCampaignLinks(everything, RULES)).toEqual([]);
  });

  it('does not depend on the order of the input and counts a number given twice once', () => {
    const numbers = [
      flagged(blockNumber(3), { fingerprints: [fingerprint(SCRIPT)] }),
      flagged(blockNumber(1), { fingerprints: [fingerprint(SCRIPT)] }),
      flagged(scatteredNumber(4), { fingerprints: [fingerprint(SCRIPT)] }),
    ];
    const links = findCampaignLinks(numbers, RULES);
    expect(links.map((link) => `${link.a} ${link.b} ${kinds(link).join(',')}`)).toEqual([
      `${blockNumber(1)} ${blockNumber(3)} content,number_block,co_timed_onset`,
      `${blockNumber(1)} ${scatteredNumber(4)} content,co_timed_onset`,
      `${blockNumber(3)} ${scatteredNumber(4)} content,co_timed_onset`,
    ]);
    expect(findCampaignLinks([...numbers].reverse().concat(numbers), RULES)).toEqual(links);
  });
});
