import { Client } from 'pg';
import { SCAM_SCRIPTS, seededRandom, variantOf } from '../../libs/domain/src/campaigns/spec-support';
import { whatIfDatasetShape } from './whatif-dataset';
import type { WhatIfDatasetShape } from './whatif-dataset';

/** The period the campaigns bench seeds: the last 30 days before `now`, the grouping's reach. */
export const CAMPAIGN_DAYS = 30;
/** Numbers of one campaign, in one block of 100 (+8498765 4c xx: the same first 7 NSN digits). */
export const CAMPAIGN_NUMBERS = 50;
const VARIANTS_PER_SCRIPT = 200;
const UNRELATED_TEXTS = 20_000;

/** The what-if bench's spread of reports, plus campaigns rotating through SIMs of one block. */
export interface CampaignDatasetShape extends WhatIfDatasetShape {
  /** Campaigns rotating through SIMs of one block, each with its own script. */
  campaigns: number;
  /** Of the reports, those of the campaigns. */
  campaignReports: number;
}

export function campaignDatasetShape(reports: number): CampaignDatasetShape {
  const scale = reports / 1_000_000;
  const n = (full: number, least: number) => Math.max(least, Math.round(full * scale));
  return { ...whatIfDatasetShape(reports), campaigns: n(6, 2), campaignReports: n(20_000, 400) };
}

/** The number of campaign `c`'s k-th SIM. */
export const campaignNumber = (c: number, k: number) => `+84987654${c}${String(k).padStart(2, '0')}`;

const ONSETS = [
  'b',
  'c',
  'ch',
  'd',
  'đ',
  'g',
  'gi',
  'h',
  'k',
  'kh',
  'l',
  'm',
  'n',
  'ng',
  'nh',
  'ph',
  'qu',
  'r',
  's',
  't',
  'th',
  'tr',
  'v',
  'x',
];
const RIMES = [
  'a',
  'ai',
  'am',
  'an',
  'ang',
  'anh',
  'ao',
  'at',
  'ay',
  'e',
  'em',
  'en',
  'eo',
  'i',
  'ia',
  'im',
  'in',
  'inh',
  'o',
  'oi',
  'om',
  'on',
  'ong',
  'ot',
  'u',
  'ua',
  'ui',
  'um',
  'un',
  'ung',
  'ut',
  'ưa',
  'ương',
  'ây',
  'ên',
  'ô',
  'ơi',
];

/**
 * A report about something else: 8 to 24 syllables drawn from about 900 (onset and rime). The
 * spec corpus's unrelated texts share a vocabulary of about 100 words, so among hundreds of
 * thousands of them some pairs pass the match threshold by chance; people's own words do not
 * repeat that much.
 */
function otherText(random: () => number): string {
  const length = 8 + Math.floor(random() * 17);
  return Array.from(
    { length },
    () => `${ONSETS[Math.floor(random() * ONSETS.length)]}${RIMES[Math.floor(random() * RIMES.length)]}`,
  ).join(' ');
}

/** Texts the SQL draws from: variants of each campaign's script, and texts about other things. */
export function campaignTexts(campaigns: number): { variants: string[]; unrelated: string[] } {
  const random = seededRandom(20_261_205);
  const variants = Array.from({ length: campaigns }, (_, c) =>
    Array.from({ length: VARIANTS_PER_SCRIPT }, () =>
      variantOf(random, SCAM_SCRIPTS[c % SCAM_SCRIPTS.length] as string, 1 + Math.floor(random() * 2)),
    ),
  ).flat();
  const unrelated = Array.from({ length: UNRELATED_TEXTS }, () => otherText(random));
  return { variants, unrelated };
}

/**
 * Seeds `shape.reports` reports over the 30 days before `now` in reception order, and the flags the
 * rules would have opened on them. The mix is the what-if bench's (whatif-dataset.ts: heavy
 * spammers in bursts, a tail, a large pool of numbers reported once or twice, every 10th report by
 * the hotline without text), with each burst starting at an hour of its own, plus `campaigns`
 * campaigns: each rotates through 50 SIMs of one block, a SIM every 6 hours, each reported for
 * two days by people retyping the campaign's script. Other SMS reports carry a text of their own
 * about other things (otherText's syllables, drawn in SQL).
 *
 * Flags: a number is flagged where it reached 3 reports within 24 hours (distinct-3-24h; with
 * 100,000 reporters a repeat reporter is rare), opened at that report. A flag opened more than a
 * week before `now` has been closed a day later (half actioned, a fifth dismissed, the rest
 * expired); the others are open. updated_at is the last change, as the flag commands write it.
 */
export async function seedCampaignDataset(
  url: string,
  shape: CampaignDatasetShape,
  now: Date,
  log: (line: string) => void,
): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const { variants } = campaignTexts(shape.campaigns);
  try {
    await client.query(`SET synchronous_commit = off`);
    await client.query(`SET work_mem = '256MB'`);
    await client.query(`SELECT setseed(0.2)`);
    let started = Date.now();
    const others = shape.reports - shape.campaignReports;
    await client.query(
      `INSERT INTO reports (report_id, reported_number, reporter, channel, short_code, source_id, kind, category,
                            number_type, carrier, content, agent_id, weighted, received_at, stored_at)
       SELECT md5('campaigns-' || i)::uuid, number, '+8498' || lpad(rep::text, 7, '0'),
              CASE WHEN hotline THEN 'hotline' ELSE 'sms' END, CASE WHEN hotline THEN NULL ELSE '5656' END,
              'src-' || i, kind, (ARRAY['impersonation', 'gambling', 'loan_offer', 'advertising', 'unknown'])[1 + i % 5],
              'mobile', (ARRAY['viettel', 'vinaphone', 'mobifone'])[1 + abs(hashtext(number)) % 3],
              CASE WHEN hotline THEN NULL ELSE content END,
              CASE WHEN hotline THEN 'agent-' || (i / 10 % 5) END, i % 33 <> 0, at, at
         FROM (
           -- The usual mix (whatif-dataset.ts), bursts starting at an hour of their own.
           SELECT i, '+8491' || lpad(num::text, 7, '0') AS number, 1 + floor($5::int * random())::int AS rep,
                  i % 10 = 0 AS hotline,
                  CASE WHEN heavy AND num % 5 = 0 THEN 'scam_call' WHEN NOT heavy AND i % 20 = 7 THEN 'scam_call'
                       ELSE (ARRAY['spam_call', 'spam_sms'])[1 + i % 2] END AS kind,
                  -- A text of its own (otherText's syllables): it refers to i, so it is drawn per row.
                  (SELECT string_agg(($7::text[])[1 + floor(cardinality($7::text[]) * random())::int]
                                     || ($11::text[])[1 + floor(cardinality($11::text[]) * random())::int], ' ')
                     FROM generate_series(1, 8 + i % 17)) AS content,
                  CASE WHEN heavy
                       THEN $6::timestamptz - interval '${CAMPAIGN_DAYS} days'
                            + interval '1 day' * (abs(hashint4(num)) % ${CAMPAIGN_DAYS - 4})
                            + interval '1 hour' * (abs(hashint4(num + 2)) % 24)
                            + interval '1 day' * (1 + abs(hashint4(num + 1)) % 3) * random()
                       ELSE $6::timestamptz - interval '${CAMPAIGN_DAYS} days' * random() END AS at
             FROM (SELECT i, i % 10 < 3 AS heavy,
                          CASE WHEN i % 10 < 3 THEN 1 + floor($2::int * random() ^ 2)::int
                               WHEN i % 10 < 5 THEN 1 + $2::int + floor($3::int * random() ^ 3)::int
                               ELSE 1 + $2::int + $3::int + floor($4::int * random())::int END AS num
                     FROM generate_series(1, $1::int) i) drawn
           UNION ALL
           -- Campaign c's SIM k is reported for two days from day 2 + 2.5c + k/4: one SIM every 6 hours.
           SELECT i, '+84987654' || c || lpad(k::text, 2, '0'), 1 + floor($5::int * random())::int,
                  i % 10 = 0, 'scam_call', ($8::text[])[1 + c * ${VARIANTS_PER_SCRIPT} + floor(${VARIANTS_PER_SCRIPT} * random())::int],
                  $6::timestamptz - interval '${CAMPAIGN_DAYS} days' + interval '1 day' * (2 + c * 2.5)
                    + interval '6 hours' * k + interval '2 days' * random()
             FROM (SELECT i, (i - $1::int) % $9::int AS c, ((i - $1::int) / $9::int) % ${CAMPAIGN_NUMBERS} AS k
                     FROM generate_series($1::int + 1, $1::int + $10::int) i) campaign
         ) drawn
        WHERE at < $6::timestamptz
        ORDER BY at`,
      [
        others,
        shape.heavy,
        shape.tail,
        shape.single,
        shape.reporters,
        now.toISOString(),
        ONSETS,
        variants,
        shape.campaigns,
        shape.campaignReports,
        RIMES,
      ],
    );
    log(`  ${shape.reports} reports (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    started = Date.now();
    await client.query(
      `INSERT INTO flags (reported_number, status, severity, rule_id, rule_version, recommended_action, taken_action,
                          opened_at, last_change_at, sequence, sla_started_at, updated_at)
       SELECT reported_number, status, 'medium', 'distinct-3-24h', 1, 'warn',
              CASE WHEN status = 'actioned' THEN 'warn' END, opened_at, changed, 1, opened_at, changed
         FROM (SELECT reported_number, opened_at,
                      CASE WHEN opened_at >= $1::timestamptz - interval '7 days' THEN 'open'
                           WHEN abs(hashtext(reported_number)) % 10 < 5 THEN 'actioned'
                           WHEN abs(hashtext(reported_number)) % 10 < 7 THEN 'dismissed'
                           ELSE 'expired' END AS status,
                      CASE WHEN opened_at >= $1::timestamptz - interval '7 days' THEN opened_at
                           ELSE opened_at + interval '1 day' END AS changed
                 FROM (SELECT reported_number, min(received_at) AS opened_at
                         FROM (SELECT reported_number, received_at,
                                      count(*) FILTER (WHERE weighted) OVER (
                                        PARTITION BY reported_number ORDER BY received_at
                                        RANGE BETWEEN interval '24 hours' PRECEDING AND CURRENT ROW) AS in_24h
                                 FROM reports) counted
                        WHERE in_24h >= 3 GROUP BY reported_number) firing) flagged`,
      [now.toISOString()],
    );
    await client.query('ANALYZE');
    const { rows } = await client.query(
      `SELECT (SELECT count(DISTINCT reported_number)::int FROM reports) AS numbers,
              (SELECT count(*)::int FROM reports WHERE content IS NOT NULL) AS with_text,
              count(*)::int AS flags, count(*) FILTER (WHERE status = 'open')::int AS open,
              count(*) FILTER (WHERE reported_number LIKE '+84987654%')::int AS campaign_flags
         FROM flags`,
    );
    const r = rows[0];
    log(
      `  ${r.numbers} numbers, ${r.with_text} reports with text; ${r.flags} flags (${r.open} open, ` +
        `${r.campaign_flags} of the campaigns' ${shape.campaigns * CAMPAIGN_NUMBERS} SIMs) ` +
        `(${((Date.now() - started) / 1000).toFixed(1)} s, analysed)`,
    );
  } finally {
    await client.end();
  }
}

/**
 * A batch of `count` new reports in the `minutes` before `at`, drawn like the month's (so some are
 * about flagged numbers), plus, for each campaign, two new SIMs of its block reported by two
 * people each with its script: next SIMs once the campaign is actioned.
 */
export async function seedNewBatch(
  url: string,
  shape: CampaignDatasetShape,
  count: number,
  at: Date,
  minutes: number,
): Promise<{ nextSims: string[] }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const { variants, unrelated } = campaignTexts(shape.campaigns);
  const nextSims = Array.from({ length: shape.campaigns }, (_, c) => [
    campaignNumber(c, 80),
    campaignNumber(c, 81),
  ]).flat();
  try {
    await client.query(`SET synchronous_commit = off`);
    await client.query(
      `INSERT INTO reports (report_id, reported_number, reporter, channel, short_code, source_id, kind, category,
                            number_type, carrier, content, agent_id, weighted, received_at, stored_at)
       SELECT md5('batch-' || $4::text || '-' || i)::uuid, number, '+8498' || lpad((1 + floor($3::int * random())::int)::text, 7, '0'),
              'sms', '5656', 'batch-' || i, 'spam_sms', 'advertising', 'mobile', 'viettel',
              ($9::text[])[1 + floor(${UNRELATED_TEXTS} * random())::int], NULL, true, t, t
         FROM (SELECT i, $2::timestamptz - interval '1 minute' * $5::int * random() AS t,
                      CASE WHEN i % 10 < 3 THEN '+8491' || lpad((1 + floor($6::int * random() ^ 2)::int)::text, 7, '0')
                           WHEN i % 10 < 5 THEN '+8491' || lpad((1 + $6::int + floor($7::int * random() ^ 3)::int)::text, 7, '0')
                           ELSE '+8491' || lpad((1 + $6::int + $7::int + floor($8::int * random())::int)::text, 7, '0') END AS number
                 FROM generate_series(1, $1::int) i) drawn`,
      [
        count,
        at.toISOString(),
        shape.reporters,
        at.getTime(),
        minutes,
        shape.heavy,
        shape.tail,
        shape.single,
        unrelated,
      ],
    );
    await client.query(
      `INSERT INTO reports (report_id, reported_number, reporter, channel, short_code, source_id, kind, category,
                            number_type, carrier, content, agent_id, weighted, received_at, stored_at)
       SELECT md5('next-sim-' || number || '-' || p)::uuid, number, '+8499' || lpad((p * 1000 + abs(hashtext(number)) % 1000)::text, 7, '0'),
              'sms', '5656', 'next-' || number || p, 'scam_call', 'impersonation', 'mobile', 'viettel',
              ($3::text[])[1 + (substr(number, 10, 1)::int) * ${VARIANTS_PER_SCRIPT} + p], NULL, true,
              $2::timestamptz - interval '1 minute' * p, $2::timestamptz - interval '1 minute' * p
         FROM unnest($1::text[]) AS number CROSS JOIN generate_series(1, 2) p`,
      [nextSims, at.toISOString(), variants],
    );
    await client.query('ANALYZE reports');
    return { nextSims };
  } finally {
    await client.end();
  }
}
