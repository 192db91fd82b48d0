import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { WINDOWS, type WindowCounts } from '@abuse-monitor/domain';
import { numberArray, textArray, timestampFromEpochMs } from '../array-literal';
import { countsByKeyArray } from './counts-by-key-array';
import { lockedRows } from './locked-rows';

export interface CounterUpdate {
  reportedNumber: string;
  numberType: string;
  carrier: string | null;
  counts: WindowCounts;
  newReports: number;
}

/** save's parameters: the updates' fields column by column, in one pass over the updates. */
function counterColumns(updates: readonly CounterUpdate[]): string[] {
  const n = updates.length;
  const [numbers, numberTypes, carriers] = Array.from({ length: 3 }, () => new Array<string | null>(n));
  const byKind = new Array<WindowCounts['last30DaysByKind']>(n);
  const byCategory = new Array<WindowCounts['last30DaysByCategory']>(n);
  // first seen, last seen, new reports, counted at, then reports and distinct reporters per window.
  const values = Array.from({ length: 4 + 2 * WINDOWS.length }, () => new Array<number>(n));
  for (let i = 0; i < n; i += 1) {
    const { reportedNumber, numberType, carrier, counts, newReports } = updates[i];
    numbers[i] = reportedNumber;
    numberTypes[i] = numberType;
    carriers[i] = carrier;
    values[0][i] = counts.firstSeenAt ?? counts.at;
    values[1][i] = counts.lastSeenAt ?? counts.at;
    values[2][i] = newReports;
    values[3][i] = counts.at;
    for (let w = 0; w < WINDOWS.length; w += 1) {
      const window = counts.windows[WINDOWS[w]];
      values[4 + 2 * w][i] = window.reports;
      values[5 + 2 * w][i] = window.distinctReporters;
    }
    byKind[i] = counts.last30DaysByKind;
    byCategory[i] = counts.last30DaysByCategory;
  }
  // In the statement's order ($1 to $17).
  return [
    textArray(numbers),
    textArray(numberTypes),
    textArray(carriers),
    ...values.map((column) => numberArray(column)),
    countsByKeyArray(byKind),
    countsByKeyArray(byCategory),
  ];
}

/**
 * Counters per reported number, as of the latest report's time: cheap to read for one number
 * and, through an index, for the top numbers. Windows slide with that time, not the clock: a
 * reader that needs "now" recounts from the reports of that number.
 */
@Injectable()
export class CountersRepository {
  /**
   * How many reports of each number are stored (numbers with none are absent), with the rows
   * locked: the aggregator checks its remembered timelines against these.
   */
  async storedReportCounts(numbers: readonly string[], manager: EntityManager): Promise<Map<string, number>> {
    if (numbers.length === 0) return new Map();
    const rows = await lockedRows<{ reported_number: string; total_reports: string }>(
      manager,
      'subscriber_counters',
      'reported_number',
      'reported_number, total_reports',
      numbers,
    );
    return new Map(rows.map((r) => [r.reported_number, Number(r.total_reports)]));
  }

  async save(updates: readonly CounterUpdate[], manager: EntityManager): Promise<void> {
    if (updates.length === 0) return;
    await manager.query(
      `INSERT INTO subscriber_counters (reported_number, number_type, carrier, first_seen_at, last_seen_at, total_reports,
         counted_at, reports_1h, distinct_reporters_1h, reports_24h, distinct_reporters_24h, reports_7d,
         distinct_reporters_7d, reports_30d, distinct_reporters_30d, by_kind_30d, by_category_30d)
       SELECT n, nt, car, ${timestampFromEpochMs('fs')}, ${timestampFromEpochMs('ls')}, t, ${timestampFromEpochMs('ca')},
              r1, d1, r24, d24, r7, d7, r30, d30, bk, bc
         FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[],
                     $8::int[], $9::int[], $10::int[], $11::int[], $12::int[], $13::int[], $14::int[], $15::int[],
                     $16::jsonb[], $17::jsonb[])
           AS b(n, nt, car, fs, ls, t, ca, r1, d1, r24, d24, r7, d7, r30, d30, bk, bc)
       ON CONFLICT (reported_number) DO UPDATE SET
         first_seen_at = LEAST(subscriber_counters.first_seen_at, EXCLUDED.first_seen_at),
         last_seen_at = GREATEST(subscriber_counters.last_seen_at, EXCLUDED.last_seen_at),
         total_reports = subscriber_counters.total_reports + EXCLUDED.total_reports,
         counted_at = EXCLUDED.counted_at,
         reports_1h = EXCLUDED.reports_1h, distinct_reporters_1h = EXCLUDED.distinct_reporters_1h,
         reports_24h = EXCLUDED.reports_24h, distinct_reporters_24h = EXCLUDED.distinct_reporters_24h,
         reports_7d = EXCLUDED.reports_7d, distinct_reporters_7d = EXCLUDED.distinct_reporters_7d,
         reports_30d = EXCLUDED.reports_30d, distinct_reporters_30d = EXCLUDED.distinct_reporters_30d,
         by_kind_30d = EXCLUDED.by_kind_30d, by_category_30d = EXCLUDED.by_category_30d,
         updated_at = now()`,
      counterColumns(updates),
    );
  }
}
