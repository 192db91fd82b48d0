import { countersFromReports, RowlessReportRow } from './counters-from-reports';

const at = (iso: string) => new Date(iso);
const NOW = at('2026-12-02T00:00:00Z');
const report = (id: string, reporter: string, receivedAt: string, extra: Partial<RowlessReportRow> = {}) =>
  ({
    report_id: id,
    reporter,
    agent_id: null,
    kind: 'spam_call',
    category: 'advertising',
    number_type: 'mobile',
    carrier: 'viettel',
    received_at: at(receivedAt),
    weighted: true,
    ...extra,
  }) satisfies RowlessReportRow;

describe('countersFromReports', () => {
  it('is null for a number no one reported', () => {
    expect(countersFromReports([], NOW)).toBeNull();
  });

  it('counts one report in every window, as the aggregator would have stored it', () => {
    expect(countersFromReports([report('a', '+84971111111', '2026-12-01T10:00:00Z')], NOW)).toEqual({
      number_type: 'mobile',
      carrier: 'viettel',
      first_seen_at: at('2026-12-01T10:00:00Z'),
      last_seen_at: at('2026-12-01T10:00:00Z'),
      total_reports: '1',
      counted_at: at('2026-12-01T10:00:00Z'),
      reports_1h: 1,
      distinct_reporters_1h: 1,
      reports_24h: 1,
      distinct_reporters_24h: 1,
      reports_7d: 1,
      distinct_reporters_7d: 1,
      reports_30d: 1,
      distinct_reporters_30d: 1,
      by_kind_30d: { spam_call: { reports: 1, distinctReporters: 1 } },
      by_category_30d: { advertising: { reports: 1, distinctReporters: 1 } },
    });
  });

  it('counts windows back from the latest report and keeps the first one seen, however old', () => {
    const counters = countersFromReports(
      [
        report('b', '+84972222222', '2026-12-01T10:00:00Z', { kind: 'scam_call', carrier: 'mobifone' }),
        report('a', '+84971111111', '2026-10-01T10:00:00Z'),
        report('c', '+84972222222', '2026-12-01T09:30:00Z'),
      ],
      NOW,
    );
    expect(counters).toMatchObject({
      carrier: 'mobifone',
      first_seen_at: at('2026-10-01T10:00:00Z'),
      last_seen_at: at('2026-12-01T10:00:00Z'),
      counted_at: at('2026-12-01T10:00:00Z'),
      total_reports: '3',
      reports_1h: 2,
      distinct_reporters_1h: 1,
      reports_30d: 2,
      distinct_reporters_30d: 1,
      by_kind_30d: {
        scam_call: { reports: 1, distinctReporters: 1 },
        spam_call: { reports: 1, distinctReporters: 1 },
      },
    });
  });

  it('empties the windows of a number quiet for 30 days, as the hourly compaction does to a row', () => {
    const counters = countersFromReports([report('a', '+84971111111', '2026-11-01T10:00:00Z')], NOW);
    expect(counters).toMatchObject({
      first_seen_at: at('2026-11-01T10:00:00Z'),
      last_seen_at: at('2026-11-01T10:00:00Z'),
      total_reports: '1',
      counted_at: NOW,
      reports_1h: 0,
      distinct_reporters_24h: 0,
      reports_30d: 0,
      distinct_reporters_30d: 0,
      by_kind_30d: {},
      by_category_30d: {},
    });
  });
});
