import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { WindowCounts } from '@abuse-monitor/domain';
import { timestampFromEpochMs } from '../array-literal';
import { binaryInt4Array, binaryInt8Array, binaryTextArray } from '../binary-array';
import { countsByKeyJson } from './counts-by-key-array';
import { lockedRows } from './locked-rows';

export interface CounterUpdate {
  reportedNumber: string;
  numberType: string;
  carrier: string | null;
  counts: WindowCounts;
  /** Added to the stored total; for a number's first row (insertFirst), its whole total. */
  newReports: number;
  /** The number's first report, where it is older than the counts' 30 days. */
  firstSeenAt?: number;
}

const COUNTER_COLUMNS = `reported_number, number_type, carrier, first_seen_at, last_seen_at, total_reports,
         counted_at, reports_1h, distinct_reporters_1h, reports_24h, distinct_reporters_24h, reports_7d,
         distinct_reporters_7d, reports_30d, distinct_reporters_30d, by_kind_30d, by_category_30d`;

const COUNTER_ROWS = `SELECT n, nt, car, ${timestampFromEpochMs('fs')}, ${timestampFromEpochMs('ls')}, t, ${timestampFromEpochMs('ca')},
              r1, d1, r24, d24, r7, d7, r30, d30, bk::jsonb, bc::jsonb
         FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[],
                     $8::int[], $9::int[], $10::int[], $11::int[], $12::int[], $13::int[], $14::int[], $15::int[],
                     $16::text[], $17::text[])
           AS b(n, nt, car, fs, ls, t, ca, r1, d1, r24, d24, r7, d7, r30, d30, bk, bc)`;

/** The parameters of COUNTER_ROWS, each a binary array. */
function counterColumns(updates: readonly CounterUpdate[]): Buffer[] {
  const w = (u: CounterUpdate, seconds: 3600 | 86400 | 604800 | 2592000) => u.counts.windows[seconds];
  const bigints = (value: (u: CounterUpdate) => number) => binaryInt8Array(updates.map(value));
  const ints = (value: (u: CounterUpdate) => number) => binaryInt4Array(updates.map(value));
  // The counts by kind and category go as text, each made jsonb as its row is built: as jsonb[],
  // every element's parse kept its memory until the statement ended, and cost twice as much.
  return [
    binaryTextArray(updates.map((u) => u.reportedNumber)),
    binaryTextArray(updates.map((u) => u.numberType)),
    binaryTextArray(updates.map((u) => u.carrier)),
    bigints((u) => Math.min(u.firstSeenAt ?? Infinity, u.counts.firstSeenAt ?? u.counts.at)),
    bigints((u) => u.counts.lastSeenAt ?? u.counts.at),
    bigints((u) => u.newReports),
    bigints((u) => u.counts.at),
    ints((u) => w(u, 3600).reports),
    ints((u) => w(u, 3600).distinctReporters),
    ints((u) => w(u, 86400).reports),
    ints((u) => w(u, 86400).distinctReporters),
    ints((u) => w(u, 604800).reports),
    ints((u) => w(u, 604800).distinctReporters),
    ints((u) => w(u, 2592000).reports),
    ints((u) => w(u, 2592000).distinctReporters),
    binaryTextArray(countsByKeyJson(updates.map((u) => u.counts.last30DaysByKind))),
    binaryTextArray(countsByKeyJson(updates.map((u) => u.counts.last30DaysByCategory))),
  ];
}

/**
 * Counters per reported number, as of the latest report's time: cheap to read for one number
 * and, through an index, for the top numbers. Windows slide with that time, not the clock: a
 * reader that needs "now" recounts from the reports of that number. A number gets its row with
 * its second report or its flag (decision 0083): most numbers are reported once, and their row
 * was a third of what PostgreSQL spent on them. countersFromReports stands in for the missing row.
 */
@Injectable()
export class CountersRepository {
  /**
   * How many reports of each number with a row are stored, with the rows locked: the aggregator
   * checks its remembered timelines against these. A number without a row (none, or one report)
   * is absent; its reports are read instead (ReportsRepository.everyReportOf).
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

  /** Updates the counters of numbers that have a row, locked by storedReportCounts. */
  async save(updates: readonly CounterUpdate[], manager: EntityManager): Promise<void> {
    if (updates.length === 0) return;
    await manager.query(
      `INSERT INTO subscriber_counters (${COUNTER_COLUMNS})
       ${COUNTER_ROWS}
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

  /**
   * The first row of numbers that had none (decision 0083), each with its whole total. Plainly
   * inserted: a row another writer made meanwhile is a unique violation that fails the batch,
   * whose retry then finds the row and adds to it, where an upsert would count the reports this
   * batch read twice.
   */
  async insertFirst(updates: readonly CounterUpdate[], manager: EntityManager): Promise<void> {
    if (updates.length === 0) return;
    await manager.query(
      `INSERT INTO subscriber_counters (${COUNTER_COLUMNS})
       ${COUNTER_ROWS}`,
      counterColumns(updates),
    );
  }
}
