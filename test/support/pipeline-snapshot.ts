import { IngestFixture } from './ingest-fixture';

/**
 * What aggregation leaves in the database that must not depend on how the work was split, killed
 * or redelivered: counters, flags, their history and the reporters' standing.
 */
export async function aggregationSnapshot(f: IngestFixture) {
  return Promise.all([
    f.db.query(
      `SELECT reported_number, first_seen_at, last_seen_at, total_reports, counted_at, reports_1h, distinct_reporters_1h,
              reports_24h, distinct_reporters_24h, reports_7d, distinct_reporters_7d, reports_30d,
              distinct_reporters_30d, by_kind_30d, by_category_30d
         FROM subscriber_counters ORDER BY reported_number`,
    ),
    f.db.query(
      // Not possibly_coordinated: that judgment reads other numbers' reports and is made apart from
      // the flag's timeline (docs/decisions/0011), so it may differ while partitions catch up.
      `SELECT reported_number, status, severity, rule_id, rule_version, opened_at, last_change_at, sequence, evidence
         FROM flags ORDER BY reported_number`,
    ),
    f.db.query(
      `SELECT reported_number, sequence, change, to_status, severity, rule_id, event_id, occurred_at, evidence
         FROM flag_history ORDER BY reported_number, sequence`,
    ),
    f.db.query('SELECT reporter, standing, total_reports FROM reporters ORDER BY reporter'),
  ]);
}
