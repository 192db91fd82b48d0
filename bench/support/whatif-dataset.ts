import { Client } from 'pg';

/** The period the what-if bench seeds and previews: the last 30 days before `now`. */
export const WHATIF_DAYS = 30;

/** How the reports of the what-if bench spread over numbers; every count scales with the reports. */
export interface WhatIfDatasetShape {
  reports: number;
  /** Spammers reported hundreds or thousands of times, each in a burst of a few days. */
  heavy: number;
  /** Numbers reported a few to a few hundred times over the month. */
  tail: number;
  /** Numbers reported once or twice, drawn from a pool this large. */
  single: number;
  reporters: number;
}

export function whatIfDatasetShape(reports: number): WhatIfDatasetShape {
  const scale = reports / 1_000_000;
  const n = (full: number, least: number) => Math.max(least, Math.round(full * scale));
  return {
    reports,
    heavy: n(300, 5),
    tail: n(20_000, 50),
    single: n(1_000_000, 100),
    reporters: n(100_000, 100),
  };
}

/**
 * Seeds `shape.reports` reports received over the 30 days before `now`, in one INSERT ... SELECT
 * in reception order (as the aggregator stores them, so a number's reports lie apart on disk, as in
 * production). Of the reports: 30% go to the heavy spammers (the square of a uniform draw, so a few
 * of them get thousands), each spammer's in a burst of 1 to 4 days, from uniformly drawn reporters
 * (hundreds or thousands of distinct ones); 20% to the tail numbers (the cube of a uniform draw:
 * most a few, some hundreds); 50% to a pool as large as the reports, so most of those numbers
 * have one or two. Every 10th report came by the hotline, entered by one of 5 agents; one in 33 is
 * not weighted; a fifth of the spammers are scam callers, and 5% of the other reports say scam.
 */
export async function seedWhatIfDataset(
  url: string,
  shape: WhatIfDatasetShape,
  now: Date,
  log: (line: string) => void,
): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET synchronous_commit = off`);
    await client.query(`SELECT setseed(0.21)`);
    const started = Date.now();
    await client.query(
      `INSERT INTO reports (report_id, reported_number, reporter, channel, short_code, source_id, kind, category,
                            number_type, carrier, content, agent_id, weighted, received_at, stored_at)
       SELECT md5('whatif-' || i)::uuid, '+8491' || lpad(num::text, 7, '0'), '+8498' || lpad(rep::text, 7, '0'),
              CASE WHEN i % 10 = 0 THEN 'hotline' ELSE 'sms' END,
              CASE WHEN i % 10 = 0 THEN NULL ELSE '5656' END, 'src-' || i,
              CASE WHEN heavy AND num % 5 = 0 THEN 'scam_call'
                   WHEN NOT heavy AND i % 20 = 7 THEN 'scam_call'
                   ELSE (ARRAY['spam_call', 'spam_sms'])[1 + i % 2] END,
              (ARRAY['impersonation', 'gambling', 'loan_offer', 'advertising', 'unknown'])[1 + (num + i) % 5],
              'mobile', (ARRAY['viettel', 'vinaphone', 'mobifone'])[1 + num % 3],
              CASE WHEN i % 10 = 0 THEN NULL ELSE 'goi vay nhanh lai suat thap' END,
              CASE WHEN i % 10 = 0 THEN 'agent-' || (i / 10 % 5) END, i % 33 <> 0, at, at
         FROM (SELECT i, heavy, num,
                      1 + floor($5::int * random())::int AS rep,
                      CASE WHEN heavy
                           -- A burst of 1 to 4 days starting on a day of its own, within the period.
                           THEN $6::timestamptz - interval '${WHATIF_DAYS} days'
                                + interval '1 day' * (abs(hashint4(num)) % ${WHATIF_DAYS - 4})
                                + interval '1 day' * (1 + abs(hashint4(num + 1)) % 4) * random()
                           ELSE $6::timestamptz - interval '${WHATIF_DAYS} days' * random() END AS at
                 FROM (SELECT i, i % 10 < 3 AS heavy,
                              CASE WHEN i % 10 < 3 THEN 1 + floor($2::int * random() ^ 2)::int
                                   WHEN i % 10 < 5 THEN 1 + $2::int + floor($3::int * random() ^ 3)::int
                                   ELSE 1 + $2::int + $3::int + floor($4::int * random())::int END AS num
                         FROM generate_series(1, $1::int) i) drawn) timed
        ORDER BY at`,
      [shape.reports, shape.heavy, shape.tail, shape.single, shape.reporters, now.toISOString()],
    );
    log(`  ${shape.reports} reports (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    await client.query('ANALYZE');
    const { rows } = await client.query(
      `SELECT count(DISTINCT reported_number)::int AS numbers,
              (SELECT count(*)::int FROM (SELECT 1 FROM reports GROUP BY reported_number
                                           HAVING count(*) FILTER (WHERE weighted) >= 3) x) AS three_or_more,
              (SELECT max(d)::int FROM (SELECT count(DISTINCT reporter) AS d FROM reports
                                         GROUP BY reported_number) y) AS most_reporters
         FROM reports`,
    );
    log(
      `  ${rows[0].numbers} numbers, ${rows[0].three_or_more} with 3 or more weighted reports, ` +
        `the most reported by ${rows[0].most_reporters} distinct reporters (analysed)`,
    );
  } finally {
    await client.end();
  }
}
