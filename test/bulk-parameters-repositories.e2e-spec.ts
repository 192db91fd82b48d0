import { randomUUID } from 'node:crypto';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import type { Category, ReportKind, WindowCounts } from '@abuse-monitor/domain';
import {
  CountersRepository,
  enqueueOutbox,
  holdsAStoredReport,
  RejectionsRepository,
  ReporterActivityRepository,
  ReportRow,
  ReportsRepository,
  reportTextKey,
  storableText,
} from '@abuse-monitor/persistence';
import { createTestDatabase, openDataSource, TestDatabase } from './support/test-database';

/** Texts a literal had to quote or escape, and text beyond ASCII, in every column a person writes. */
const TRICKY = [
  'Lừa đảo trúng thưởng 100 triệu, gọi ngay',
  '😀 quà "tặng" \\ {a,b}',
  'NULL',
  '',
  'lone \ud800 surrogate',
  'nul \u0000 inside',
  "it's",
];

/** The aggregator's batch writes, end to end through the real schema, as binary arrays. */
describe('bulk writes of the aggregator, parameters in binary', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase('binparams');
    dataSource = await openDataSource(db.url);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const row = (i: number, text: string | null): ReportRow => ({
    reportId: randomUUID(),
    reportedNumber: `+8498700${String(i).padStart(4, '0')}`,
    reporter: `+8497100${String(i).padStart(4, '0')}`,
    channel: i % 2 ? 'sms' : 'hotline',
    shortCode: i % 3 ? '156' : null,
    sourceId: `src-${i}-${text ?? 'none'}`,
    kind: (i % 2 ? 'spam_sms' : 'scam_call') as ReportKind,
    category: 'unknown' as Category,
    categoryKeyword: text,
    numberType: 'mobile',
    carrier: i % 4 ? 'viettel' : null,
    content: text,
    agentId: i % 5 ? null : `agent "${i}"`,
    receivedAt: new Date(Date.UTC(2026, 11, 6, 1, 2, 3, i)),
    textKey: reportTextKey(text),
  });

  it('stores reports as sent (storable text), returns the new ids, and nothing on redelivery', async () => {
    const rows = [...TRICKY, null].map((text, i) => row(i, text));
    const inserted = await dataSource.transaction((m) => new ReportsRepository().insertAll(rows, m));
    expect([...inserted].sort()).toEqual(rows.map((r) => r.reportId).sort());
    const stored = await db.query<Record<string, unknown>>(
      `SELECT report_id, reported_number, reporter, channel, short_code, source_id, kind, category, category_keyword,
              number_type, carrier, content, agent_id, received_at, weighted, text_key FROM reports`,
    );
    const text = (v: string | null) => (v === null ? null : storableText(v));
    expect(stored.sort((a, b) => String(a.report_id).localeCompare(String(b.report_id)))).toEqual(
      [...rows]
        .sort((a, b) => a.reportId.localeCompare(b.reportId))
        .map((r) => ({
          report_id: r.reportId,
          reported_number: r.reportedNumber,
          reporter: r.reporter,
          channel: r.channel,
          short_code: r.shortCode,
          source_id: text(r.sourceId),
          kind: r.kind,
          category: r.category,
          category_keyword: text(r.categoryKeyword),
          number_type: r.numberType,
          carrier: r.carrier,
          content: text(r.content),
          agent_id: r.agentId,
          received_at: r.receivedAt,
          weighted: true,
          text_key: r.textKey,
        })),
    );
    // The plain insert refuses a batch that holds a stored report, and writes none of it.
    const fresh = row(TRICKY.length + 1, 'mới');
    const refusal: unknown = await dataSource
      .transaction((m) => new ReportsRepository().insertAll([fresh, rows[0]], m))
      .catch((error: unknown) => error);
    expect(holdsAStoredReport(refusal)).toBe(true);
    expect(await db.query(`SELECT 1 FROM reports WHERE report_id = $1`, [fresh.reportId])).toEqual([]);
    // The insert that skips stored reports stores only the new one, and says so.
    const again = await dataSource.transaction((m) => new ReportsRepository().insertNew([...rows, fresh], m));
    expect([...again]).toEqual([fresh.reportId]);
  });

  it('stores rejections and the outbox as sent', async () => {
    const rejections = TRICKY.map((text, i) => ({
      channel: 'sms' as const,
      sourceId: `rejected-${i}`,
      shortCode: i % 2 ? null : '5656',
      reporter: `+8497200${i}`,
      reason: text,
      receivedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)),
    }));
    expect(await dataSource.transaction((m) => new RejectionsRepository().insertNew(rejections, m))).toBe(
      TRICKY.length,
    );
    const stored = await db.query<{ reason: string; received_at: Date; short_code: string | null }>(
      'SELECT reason, received_at, short_code FROM rejected_reports ORDER BY source_id',
    );
    expect(stored).toEqual(
      rejections.map((r) => ({
        reason: storableText(r.reason),
        received_at: r.receivedAt,
        short_code: r.shortCode,
      })),
    );
    const messages = TRICKY.filter((t) => !t.includes('\u0000') && t.isWellFormed()).map((t, i) => ({
      topic: 'test.subscriber.flags',
      key: i % 2 ? null : `+8498${i}`,
      payload: JSON.stringify({ note: t, i }),
    }));
    await dataSource.transaction((m) => enqueueOutbox(messages, m));
    expect(await db.query('SELECT topic, message_key AS key, payload FROM outbox ORDER BY id')).toEqual(
      messages,
    );
  });

  it('adds reporters once, then reads them locked', async () => {
    const repository = new ReporterActivityRepository();
    const activity = [3, 1, 2].map((i) => ({
      reporter: `+8497300${i}`,
      firstSeenAt: new Date(Date.UTC(2026, 11, 1, 0, 0, i)),
      lastSeenAt: new Date(Date.UTC(2026, 11, 2, 0, 0, i)),
      reports: i,
    }));
    const first = await dataSource.transaction((m) => repository.addNewAndLockKnown(activity, m));
    expect([...first.added].sort()).toEqual(['+84973001', '+84973002', '+84973003']);
    const second = await dataSource.transaction((m) => repository.addNewAndLockKnown(activity, m));
    expect(second.added.size).toBe(0);
    expect(second.known.get('+84973002')).toEqual({
      standing: 'normal',
      lastSeenAt: Date.UTC(2026, 11, 2, 0, 0, 2),
    });
    expect(
      await db.query('SELECT reporter, first_seen_at, total_reports FROM reporters ORDER BY reporter'),
    ).toEqual(
      activity
        .map((a) => ({
          reporter: a.reporter,
          first_seen_at: a.firstSeenAt,
          total_reports: String(a.reports),
        }))
        .sort((a, b) => a.reporter.localeCompare(b.reporter)),
    );
  });

  it('upserts counters with their counts by kind and category, kinds with no report left out', async () => {
    const at = Date.UTC(2026, 11, 6, 0, 0, 0);
    const counts = (reports: number): WindowCounts =>
      ({
        at,
        firstSeenAt: at - 1000,
        lastSeenAt: at,
        windows: {
          3600: { reports, distinctReporters: 1 },
          86400: { reports: reports + 1, distinctReporters: 2 },
          604800: { reports: reports + 2, distinctReporters: 3 },
          2592000: { reports: 2 ** 31 - 1, distinctReporters: 4 },
        },
        last30DaysByKind: {
          spam_call: { reports, distinctReporters: 1 },
          scam_call: { reports: 0, distinctReporters: 0 },
        },
        last30DaysByCategory: { 'nợ "xấu"': { reports: 1, distinctReporters: 1 } },
      }) as unknown as WindowCounts;
    const repository = new CountersRepository();
    const save = (reports: number) =>
      dataSource.transaction((m) =>
        repository.save(
          [
            {
              reportedNumber: '+84987009999',
              numberType: 'mobile',
              carrier: null,
              counts: counts(reports),
              newReports: 2,
            },
          ],
          m,
        ),
      );
    await save(5);
    await save(7);
    const [stored] = await db.query(
      `SELECT reports_1h, reports_24h, reports_7d, reports_30d, distinct_reporters_30d, total_reports, carrier,
              first_seen_at, counted_at, by_kind_30d, by_category_30d FROM subscriber_counters`,
    );
    expect(stored).toEqual({
      reports_1h: 7,
      reports_24h: 8,
      reports_7d: 9,
      reports_30d: 2 ** 31 - 1,
      distinct_reporters_30d: 4,
      total_reports: '4',
      carrier: null,
      first_seen_at: new Date(at - 1000),
      counted_at: new Date(at),
      by_kind_30d: { spam_call: { reports: 7, distinctReporters: 1 } },
      by_category_30d: { 'nợ "xấu"': { reports: 1, distinctReporters: 1 } },
    });
    expect(
      await dataSource.transaction((m) => repository.storedReportCounts(['+84987009999', '+84980000000'], m)),
    ).toEqual(new Map([['+84987009999', 4]]));
  });
});
