import {
  dailySummaryCsv,
  dailySummariesCsv,
  percentile,
  summarizeDay,
  type DailySummary,
  type DailySummaryInput,
} from './daily-summary';

const MINUTE_MS = 60_000;

const DAY: DailySummaryInput = {
  date: '2026-11-28',
  timeZone: 'Asia/Ho_Chi_Minh',
  reports: [
    {
      channel: 'sms',
      shortCode: '156',
      kind: 'spam_sms',
      category: 'advertising',
      carrier: 'viettel',
      count: 10,
    },
    { channel: 'sms', shortCode: '5656', kind: 'spam_call', category: 'scam', carrier: 'mobifone', count: 5 },
    { channel: 'hotline', shortCode: null, kind: 'scam_call', category: 'scam', carrier: null, count: 3 },
    {
      channel: 'sms',
      shortCode: '156',
      kind: 'spam_sms',
      category: 'advertising',
      carrier: 'viettel',
      count: 2,
    },
    { channel: 'api', shortCode: null, kind: 'spam_call', category: 'other', carrier: 'vinaphone', count: 1 },
  ],
  rejections: [
    { channel: 'sms', reason: 'no_keyword', count: 4 },
    { channel: 'sms', reason: 'invalid_number', count: 2 },
    { channel: 'hotline', reason: 'invalid_number', count: 1 },
  ],
  flagChanges: [
    { change: 'opened', takenAction: null, count: 2 },
    // Two spoofing rows: one opened, one raised (a raise is no new spoofing flag).
    { change: 'opened', takenAction: null, spoofing: true, count: 1 },
    { change: 'raised', takenAction: null, spoofing: true, count: 1 },
    { change: 'reopened', takenAction: null, count: 2 },
    { change: 'escalated', takenAction: null, count: 2 },
    { change: 'overdue', takenAction: null, count: 1 },
    { change: 'review_overdue', takenAction: null, count: 2 },
    { change: 'actioned', takenAction: 'warn', count: 2 },
    { change: 'actioned', takenAction: 'block_outgoing', count: 1 },
    { change: 'claimed', takenAction: null, count: 5 },
    { change: 'dismissed', takenAction: null, count: 1 },
    { change: 'expired', takenAction: null, count: 4 },
    { change: 'actioned', takenAction: 'warn', count: 1 },
    { change: 'appealed', takenAction: 'warn', count: 3 },
    { change: 'appeal_upheld', takenAction: 'warn', count: 1 },
    { change: 'lifted', takenAction: null, count: 2 },
  ],
  appealsOverdue: 1,
  // Sorted: 10 min, 30 min, 1 h, 2 h 0.5 s.
  actionDelaysMs: [60 * MINUTE_MS, 10 * MINUTE_MS, 120 * MINUTE_MS + 500, 30 * MINUTE_MS],
};

describe('summarizeDay', () => {
  it('adds up a day, by hand', () => {
    expect(summarizeDay(DAY)).toEqual({
      date: '2026-11-28',
      timeZone: 'Asia/Ho_Chi_Minh',
      reports: {
        total: 21,
        byChannel: { api: 1, hotline: 3, sms: 17 },
        byShortCode: { '156': 12, '5656': 5, none: 4 },
        byKind: { scam_call: 3, spam_call: 6, spam_sms: 12 },
        byCategory: { advertising: 12, other: 1, scam: 8 },
        byCarrier: { mobifone: 5, unknown: 3, viettel: 12, vinaphone: 1 },
      },
      rejections: {
        total: 7,
        byReason: { invalid_number: 3, no_keyword: 4 },
        byChannel: { hotline: 1, sms: 6 },
      },
      flags: {
        opened: 3,
        reopened: 2,
        raised: 1,
        escalated: 2,
        overdue: 1,
        reviewOverdue: 2,
        actioned: 4,
        actionedByAction: { block_outgoing: 1, warn: 3 },
        dismissed: 1,
        expired: 4,
        spoofingOpened: 1,
      },
      // Median: halfway between 30 min and 1 h = 2700 s. p90: 1 h + 0.7 × (1 h 0.5 s) = 6120.35 s.
      timeToActionSeconds: { count: 4, median: 2700, p90: 6120 },
      appeals: { received: 3, upheld: 1, reversed: 2, overdue: 1 },
    } satisfies DailySummary);
  });

  it('writes every breakdown with its keys sorted, so the JSON of a day never changes', () => {
    const summary = summarizeDay(DAY);
    expect(Object.keys(summary.reports.byCarrier)).toEqual(['mobifone', 'unknown', 'viettel', 'vinaphone']);
    expect(Object.keys(summary.reports.byChannel)).toEqual(['api', 'hotline', 'sms']);
    expect(JSON.stringify(summary.reports.byShortCode)).toBe('{"156":12,"5656":5,"none":4}');
    expect(JSON.stringify(summarizeDay({ ...DAY, reports: [...DAY.reports].reverse() }))).toBe(
      JSON.stringify(summary),
    );
  });

  it('summarizes an empty day as zeros, empty breakdowns and no time to action', () => {
    expect(
      summarizeDay({
        date: '2026-11-29',
        timeZone: 'UTC',
        reports: [],
        rejections: [],
        flagChanges: [],
        actionDelaysMs: [],
      }),
    ).toEqual({
      date: '2026-11-29',
      timeZone: 'UTC',
      reports: { total: 0, byChannel: {}, byShortCode: {}, byKind: {}, byCategory: {}, byCarrier: {} },
      rejections: { total: 0, byReason: {}, byChannel: {} },
      flags: {
        opened: 0,
        reopened: 0,
        raised: 0,
        escalated: 0,
        overdue: 0,
        reviewOverdue: 0,
        actioned: 0,
        actionedByAction: {},
        dismissed: 0,
        expired: 0,
        spoofingOpened: 0,
      },
      timeToActionSeconds: { count: 0, median: null, p90: null },
      appeals: { received: 0, upheld: 0, reversed: 0, overdue: 0 },
    });
  });

  it('counts an actioned row without an action under "unknown", so the breakdown still adds up', () => {
    const summary = summarizeDay({
      ...DAY,
      flagChanges: [
        { change: 'actioned', takenAction: null, count: 2 },
        { change: 'actioned', takenAction: 'suspend', count: 1 },
      ],
    });
    expect(summary.flags).toMatchObject({ actioned: 3, actionedByAction: { suspend: 1, unknown: 2 } });
  });

  it('keeps a key that names an Object property as a plain key', () => {
    const summary = summarizeDay({
      ...DAY,
      rejections: [{ channel: 'sms', reason: '__proto__', count: 2 }],
    });
    expect(Object.keys(summary.rejections.byReason)).toEqual(['__proto__']);
    expect(JSON.stringify(summary.rejections.byReason)).toBe('{"__proto__":2}');
  });

  it('rounds a single delay to whole seconds', () => {
    expect(summarizeDay({ ...DAY, actionDelaysMs: [1_499] }).timeToActionSeconds).toEqual({
      count: 1,
      median: 1,
      p90: 1,
    });
  });

  it('leaves the input alone', () => {
    const delays = [3, 1, 2];
    summarizeDay({ ...DAY, actionDelaysMs: delays });
    expect(delays).toEqual([3, 1, 2]);
  });
});

describe('percentile', () => {
  it('interpolates between the closest ranks, like percentile_cont', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 12);
    expect(percentile([1, 2, 3, 4], 0)).toBe(1);
    expect(percentile([1, 2, 3, 4], 1)).toBe(4);
    expect(percentile([10, 20, 30], 0.5)).toBe(20);
  });

  it('gives the only value for a single value', () => {
    expect(percentile([42], 0.5)).toBe(42);
    expect(percentile([42], 0.9)).toBe(42);
  });

  it('gives null for no values or a fraction outside [0, 1]', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([1, 2], -0.1)).toBeNull();
    expect(percentile([1, 2], 1.1)).toBeNull();
    expect(percentile([1, 2], Number.NaN)).toBeNull();
  });
});

describe('dailySummaryCsv', () => {
  const small = summarizeDay({
    date: '2026-11-28',
    timeZone: 'Asia/Ho_Chi_Minh',
    reports: [
      {
        channel: 'sms',
        shortCode: '156',
        kind: 'spam_sms',
        category: 'advertising',
        carrier: 'viettel',
        count: 100,
      },
      { channel: 'hotline', shortCode: null, kind: 'scam_call', category: 'scam', carrier: null, count: 23 },
    ],
    rejections: [{ channel: 'sms', reason: 'no_keyword', count: 4 }],
    flagChanges: [
      { change: 'opened', takenAction: null, count: 3 },
      { change: 'actioned', takenAction: 'warn', count: 2 },
    ],
    actionDelaysMs: [3_600_000, 3_600_000],
  });

  it('writes one line per figure in a fixed order, CRLF-terminated', () => {
    expect(dailySummaryCsv(small)).toBe(
      [
        'section,key,value',
        'summary,date,2026-11-28',
        'summary,timeZone,Asia/Ho_Chi_Minh',
        'reports,total,123',
        'reports.byChannel,hotline,23',
        'reports.byChannel,sms,100',
        'reports.byShortCode,156,100',
        'reports.byShortCode,none,23',
        'reports.byKind,scam_call,23',
        'reports.byKind,spam_sms,100',
        'reports.byCategory,advertising,100',
        'reports.byCategory,scam,23',
        'reports.byCarrier,unknown,23',
        'reports.byCarrier,viettel,100',
        'rejections,total,4',
        'rejections.byReason,no_keyword,4',
        'rejections.byChannel,sms,4',
        'flags,opened,3',
        'flags,reopened,0',
        'flags,raised,0',
        'flags,escalated,0',
        'flags,overdue,0',
        'flags,reviewOverdue,0',
        'flags,actioned,2',
        'flags.actionedByAction,warn,2',
        'flags,dismissed,0',
        'flags,expired,0',
        'flags,spoofingOpened,0',
        'timeToActionSeconds,count,2',
        'timeToActionSeconds,median,3600',
        'timeToActionSeconds,p90,3600',
        'appeals,received,0',
        'appeals,upheld,0',
        'appeals,reversed,0',
        'appeals,overdue,0',
        '',
      ].join('\r\n'),
    );
  });

  it('leaves the value empty for a figure that does not exist', () => {
    const csv = dailySummaryCsv({ ...small, timeToActionSeconds: { count: 0, median: null, p90: null } });
    expect(csv).toContain('\r\ntimeToActionSeconds,median,\r\ntimeToActionSeconds,p90,\r\n');
  });

  it('leaves the appeals empty for a summary stored before appeals existed', () => {
    const { appeals: _absent, ...stored } = small;
    expect(dailySummaryCsv(stored)).toContain(
      '\r\nappeals,received,\r\nappeals,upheld,\r\nappeals,reversed,\r\nappeals,overdue,\r\n',
    );
  });

  it('quotes a field holding a comma, a quote or a line break, as RFC 4180 says', () => {
    const csv = dailySummaryCsv({
      ...small,
      timeZone: 'Asia/Ho_Chi_Minh',
      rejections: {
        total: 3,
        byReason: { 'a,b': 1, 'say "hi"': 1, 'two\nlines': 1 },
        byChannel: { sms: 3 },
      },
    });
    expect(csv).toContain(
      '\r\nrejections.byReason,"a,b",1\r\nrejections.byReason,"say ""hi""",1\r\n' +
        'rejections.byReason,"two\nlines",1\r\n',
    );
  });

  it.each(['=HYPERLINK("http://x","y")', '+1+1', '-1+1', '@SUM(A1)', '\tcmd', '\rcmd'])(
    'writes %j, which a spreadsheet would run as a formula, as plain text',
    (key) => {
      const csv = dailySummaryCsv({ ...small, reports: { ...small.reports, byShortCode: { [key]: 1 } } });
      const line = csv.split('\r\n').find((l) => l.startsWith('reports.byShortCode,'));
      const cell = (line ?? '').slice('reports.byShortCode,'.length);
      expect(cell.replace(/^"/, '')).toMatch(/^'/);
      expect(cell).toContain(key.replace(/"/g, '""'));
    },
  );

  it('leaves counts as numbers and text that only holds such a character later alone', () => {
    const csv = dailySummaryCsv({ ...small, reports: { ...small.reports, byShortCode: { 'a=b': 1 } } });
    expect(csv).toContain('\r\nreports.byShortCode,a=b,1\r\n');
    expect(csv).toContain('\r\nreports,total,123\r\n');
  });

  it('sorts the keys of a summary whose breakdowns come unsorted (read back from storage)', () => {
    const csv = dailySummaryCsv({
      ...small,
      reports: { ...small.reports, byChannel: { sms: 100, hotline: 23 } },
    });
    expect(csv).toContain('\r\nreports.byChannel,hotline,23\r\nreports.byChannel,sms,100\r\n');
  });

  describe('dailySummariesCsv', () => {
    it("leads each day's lines with the day, in the order the days were given", () => {
      const next = { ...small, date: '2026-11-29' };
      const csv = dailySummariesCsv([small, next]);
      const lines = csv.split('\r\n');
      expect(lines[0]).toBe('date,section,key,value');
      const perDay = dailySummaryCsv(small).split('\r\n').length - 2;
      expect(lines).toHaveLength(1 + 2 * perDay + 1);
      expect(lines[1]).toBe('2026-11-28,summary,date,2026-11-28');
      expect(lines[1 + perDay]).toBe('2026-11-29,summary,date,2026-11-29');
      expect(lines).toContain('2026-11-29,flags,actioned,2');
    });

    it('keeps a forged key inert and quoted in every day', () => {
      const forged = { ...small, reports: { ...small.reports, byShortCode: { '=HYPERLINK("x"),1': 1 } } };
      expect(dailySummariesCsv([forged])).toContain(
        '\r\n2026-11-28,reports.byShortCode,"\'=HYPERLINK(""x""),1",1\r\n',
      );
    });

    it('writes only the header for no days', () => {
      expect(dailySummariesCsv([])).toBe('date,section,key,value\r\n');
    });
  });
});
