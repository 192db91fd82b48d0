import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { reportTextKey } from '@abuse-monitor/persistence';

/** How many rows of each table the read bench seeds; `scale` 1 is the size issue 18 asks for. */
export interface DatasetSize {
  reports: number;
  reporters: number;
  numbers: number;
  flags: number;
  openFlags: number;
  auditEntries: number;
  allowlist: number;
  submissions: number;
}

export function datasetSize(scale: number): DatasetSize {
  const n = (full: number, least = 10) => Math.max(least, Math.round(full * scale));
  return {
    reports: n(1_000_000),
    reporters: n(100_000),
    numbers: n(200_000),
    flags: n(120_000),
    openFlags: n(50_000),
    auditEntries: n(200_000),
    allowlist: n(2_000),
    submissions: n(20_000),
  };
}

/** Reported numbers and reporters of the seed: valid Vietnamese mobiles, one range each. */
export const seededNumber = (i: number) => `+8491${String(i).padStart(7, '0')}`;
export const AUDIT_ACTORS = 20;
/** What every SMS report of the dataset says (a hotline report says nothing). */
const SMS_TEXT = 'goi vay nhanh lai suat thap';

/**
 * Seeds a migrated database in bulk, one INSERT ... SELECT per table (generate_series), as the
 * owner. Reports come in time order over 90 days, as the aggregator stores them; a few numbers get
 * most reports (the square of a uniform draw), and the flags go to the most reported numbers, so
 * a flag's page reads hundreds of reports, as a real flagged number's does. Values are not a
 * replay of the pipeline: counters and flags are drawn, not computed, which is all a read needs.
 */
export async function seedDataset(
  url: string,
  size: DatasetSize,
  log: (line: string) => void,
  options: { clock?: Date } = {},
): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  // A fixed clock (and UTC days) seeds the same rows on every run, for plans that must not drift.
  const now = options.clock ? `'${options.clock.toISOString()}'::timestamptz` : 'now()';
  const today = options.clock ? `(${now} AT TIME ZONE 'UTC')::date` : 'current_date';
  const step = async (label: string, sql: string, params: unknown[] = []) => {
    const started = Date.now();
    await client.query(sql, params);
    log(`  ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  };
  try {
    await client.query(`SET synchronous_commit = off`);
    await client.query(`SELECT setseed(0.18)`);
    const { reports, reporters, numbers, flags, openFlags, auditEntries, allowlist, submissions } = size;
    const number = (expr: string) => `'+8491' || lpad((${expr})::text, 7, '0')`;
    const reporter = (expr: string) => `'+8498' || lpad((${expr})::text, 7, '0')`;
    await step(
      `${reports} reports`,
      `INSERT INTO reports (report_id, reported_number, reporter, channel, short_code, source_id, kind, category,
                            number_type, carrier, content, agent_id, weighted, received_at, stored_at, text_key)
       SELECT md5('report-' || i)::uuid, ${number('1 + floor($2 * random() ^ 2)')},
              ${reporter('1 + floor($3 * random())')},
              CASE WHEN i % 10 = 0 THEN 'hotline' ELSE 'sms' END,
              CASE WHEN i % 10 = 0 THEN NULL ELSE '5656' END, 'src-' || i,
              (ARRAY['spam_call', 'spam_sms', 'scam_call'])[1 + i % 3],
              (ARRAY['impersonation', 'gambling', 'loan_offer', 'advertising', 'unknown'])[1 + i % 5],
              'mobile', 'viettel', CASE WHEN i % 10 = 0 THEN NULL ELSE $4::text END,
              CASE WHEN i % 10 = 0 THEN 'agent-' || (i % 7) END, i % 50 <> 0,
              ${now} - interval '90 days' * (1 - i::float8 / $1), ${now} - interval '90 days' * (1 - i::float8 / $1),
              CASE WHEN i % 10 = 0 THEN NULL ELSE $5::uuid END
         FROM generate_series(1, $1) i`,
      // One text, keyed as the aggregator keys it, so that "relatives by shared text" reads a real index.
      [reports, numbers, reporters, SMS_TEXT, reportTextKey(SMS_TEXT)],
    );
    await step(
      `${reporters} reporters`,
      `INSERT INTO reporters (reporter, standing, suspicious_since, cleared_at, cleared_by, first_seen_at,
                              last_seen_at, total_reports)
       SELECT ${reporter('i')},
              CASE WHEN i % 50 = 0 THEN 'suspicious' WHEN i % 97 = 0 THEN 'cleared' ELSE 'normal' END,
              CASE WHEN i % 50 = 0 THEN ${now} - interval '1 day' * (i % 60) END,
              CASE WHEN i % 50 <> 0 AND i % 97 = 0 THEN ${now} - interval '1 day' * (i % 30) END,
              CASE WHEN i % 50 <> 0 AND i % 97 = 0 THEN 'supervisor' END,
              ${now} - interval '90 days', ${now} - interval '1 minute' * (i % 10000), 1 + i % 40
         FROM generate_series(1, $1) i`,
      [reporters],
    );
    await step(
      `${numbers} subscriber counters`,
      `INSERT INTO subscriber_counters (reported_number, number_type, carrier, first_seen_at, last_seen_at,
              total_reports, counted_at, reports_1h, distinct_reporters_1h, reports_24h, distinct_reporters_24h,
              reports_7d, distinct_reporters_7d, reports_30d, distinct_reporters_30d, by_kind_30d, by_category_30d)
       SELECT ${number('i')}, 'mobile',
              (ARRAY['viettel', 'vinaphone', 'mobifone', 'vietnamobile'])[1 + i % 4],
              ${now} - interval '90 days', ${now} - interval '1 minute' * (i % 5000), 1 + 5000 / i,
              ${now} - interval '1 minute' * (i % 5000), i % 3, i % 2, i % 30, i % 20, i % 60, i % 40, i % 90, i % 60,
              jsonb_build_object('spam_call', jsonb_build_object('reports', i % 90, 'distinctReporters', i % 60)),
              jsonb_build_object('loan_offer', jsonb_build_object('reports', i % 90, 'distinctReporters', i % 60))
         FROM generate_series(1, $1) i`,
      [numbers],
    );
    // Statuses by id: the first `openFlags` are open, then in review, actioned, dismissed, expired.
    // Flags still in the queue were opened in the last two weeks, decided ones before, as the
    // queue's SLA and expiry keep it in production: an order by age meets them apart, not mixed.
    await step(
      `${flags} flags (${openFlags} open)`,
      `INSERT INTO flags (id, reported_number, status, severity, rule_id, rule_version, recommended_action,
              taken_action, opened_at, last_change_at, assignee, sequence, evidence, sla_started_at, overdue_since)
       SELECT i, ${number('i')}, s.status,
              (ARRAY['high', 'high', 'medium', 'medium', 'medium', 'medium', 'low', 'low', 'low', 'low'])[1 + (i * 7) % 10],
              'distinct-10-24h', 1, 'warn',
              CASE WHEN s.status = 'actioned' THEN 'warn' END,
              o.opened_at, o.opened_at + interval '1 hour',
              CASE WHEN s.status <> 'open' THEN 'analyst-' || (i % 12) END,
              CASE WHEN s.status = 'open' THEN 1 ELSE 2 END,
              jsonb_build_object('ruleId', 'distinct-10-24h', 'ruleVersion', 1, 'measured', 12, 'threshold', 10,
                                 'reportsBehind', 12, 'reportIds', jsonb_build_array(), 'counts', jsonb_build_object()),
              o.opened_at,
              CASE WHEN s.status IN ('open', 'in_review') AND i % 9 = 0 THEN o.opened_at + interval '4 hours' END
         FROM generate_series(1, $1) i
        CROSS JOIN LATERAL (SELECT CASE WHEN i <= $2 THEN 'open'
                                        WHEN i <= $2 + ($1 - $2) / 14 THEN 'in_review'
                                        WHEN i <= $2 + ($1 - $2) / 2 THEN 'actioned'
                                        WHEN i <= $2 + ($1 - $2) * 5 / 6 THEN 'dismissed'
                                        ELSE 'expired' END AS status) s
        CROSS JOIN LATERAL (SELECT CASE WHEN s.status IN ('open', 'in_review') THEN ${now} - interval '14 days' * random()
                                        ELSE ${now} - interval '14 days' - interval '76 days' * random() END AS opened_at) o`,
      [flags, openFlags],
    );
    await client.query(`SELECT setval('flags_id_seq', $1)`, [flags]);
    await step(
      'flag history',
      `INSERT INTO flag_history (flag_id, reported_number, sequence, change, from_status, to_status, severity,
              rule_id, rule_version, recommended_action, taken_action, possibly_coordinated, actor, occurred_at)
       SELECT f.id, f.reported_number, seq, CASE WHEN seq = 1 THEN 'raised' ELSE 'claimed' END,
              CASE WHEN seq = 1 THEN NULL ELSE 'open' END, CASE WHEN seq = 1 THEN 'open' ELSE f.status END,
              f.severity, f.rule_id, 1, f.recommended_action, NULL, false,
              CASE WHEN seq = 1 THEN 'aggregator' ELSE f.assignee END, f.opened_at + interval '1 minute' * seq
         FROM flags f CROSS JOIN generate_series(1, f.sequence) seq`,
    );
    await step(
      `${auditEntries} audit entries`,
      `INSERT INTO audit_log (occurred_at, actor, actor_role, action, target_type, target_id, method, path)
       SELECT ${now} - interval '60 days' * (1 - i::float8 / $1), 'analyst-' || (i % ${AUDIT_ACTORS}), 'analyst',
              (ARRAY['flag.claim', 'flag.warn', 'flag.dismiss', 'flag.block_outgoing'])[1 + i % 4], 'flag',
              (1 + i % $2)::text, 'POST', '/api/v1/flags/' || (1 + i % $2) || '/actions'
         FROM generate_series(1, $1) i`,
      [auditEntries, flags],
    );
    await step(
      `${allowlist} allowlist entries`,
      `INSERT INTO allowlist (kind, pattern, reason, owner, created_by)
       SELECT 'number', '+8492' || lpad(i::text, 7, '0'), 'bank hotline', 'fraud team', 'supervisor'
         FROM generate_series(1, $1) i`,
      [allowlist],
    );
    await step(
      `${submissions} agent submissions (1 in 20 held)`,
      `INSERT INTO agent_submissions (submission_key, agent_id, report_id, status, submission, submitted_at)
       SELECT 'key-' || i, 'agent-' || (i % 7), md5('submission-' || i)::uuid,
              CASE WHEN i % 20 = 0 THEN 'held' ELSE 'queued' END,
              CASE WHEN i % 20 = 0 THEN jsonb_build_object('reportedNumber', ${number('1 + i % 1000')}) END,
              ${now} - interval '30 days' * (1 - i::float8 / $1)
         FROM generate_series(1, $1) i`,
      [submissions],
    );
    await step(
      '365 daily summaries',
      `INSERT INTO daily_summaries (day, time_zone, summary)
       SELECT d::date, 'Asia/Ho_Chi_Minh', jsonb_build_object(
                'date', d::date::text, 'timeZone', 'Asia/Ho_Chi_Minh',
                'reports', jsonb_build_object('total', 11000, 'byChannel', jsonb_build_object('sms', 10000, 'hotline', 1000),
                  'byShortCode', jsonb_build_object('5656', 10000), 'byKind', jsonb_build_object('spam_call', 11000),
                  'byCategory', jsonb_build_object('unknown', 11000), 'byCarrier', jsonb_build_object('viettel', 11000)),
                'rejections', jsonb_build_object('total', 40, 'byReason', jsonb_build_object('invalid_number', 40),
                  'byChannel', jsonb_build_object('sms', 40)),
                'flags', jsonb_build_object('opened', 800, 'reopened', 3, 'raised', 50, 'escalated', 20, 'overdue', 2,
                  'actioned', 600, 'actionedByAction', jsonb_build_object('warn', 600), 'dismissed', 150, 'expired', 40),
                'timeToActionSeconds', jsonb_build_object('count', 600, 'median', 3600, 'p90', 20000))
         FROM generate_series(${today} - 365, ${today} - 1, interval '1 day') d`,
    );
  } finally {
    await client.end();
  }
}

/** The seed's i-th reporter, and the id of its i-th report (md5, as the seed makes it). */
export const seededReporter = (i: number) => `+8498${String(i).padStart(7, '0')}`;
export function seededReportId(i: number): string {
  const hex = createHash('md5').update(`report-${i}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
