import fc from 'fast-check';
import { useLanguage } from './i18n.ts';
import { formatTime, nationalNumber, ruleSentence, timeAgo, windowText } from './format.ts';

describe('console formatting', () => {
  afterEach(() => useLanguage('en'));

  it("shows times in the analyst's zone and language, the zone written out, across midnight and year ends", () => {
    const ict = 'Asia/Ho_Chi_Minh';
    expect(formatTime('2026-11-29T19:04:00.000Z', ict)).toBe('30 Nov 2026, 02:04 GMT+7');
    expect(formatTime('2026-12-31T17:00:00Z', ict)).toBe('1 Jan 2027, 00:00 GMT+7');
    expect(formatTime('2026-11-29T19:04:00.000Z', 'UTC')).toBe('29 Nov 2026, 19:04 UTC');
    expect(formatTime('not a time')).toBe('not a time');
    useLanguage('vi');
    expect(formatTime('2026-11-29T19:04:00.000Z', ict)).toBe('02:04 GMT+7 30 thg 11, 2026');
  });

  it('says how long ago, in the largest whole unit up to days, in the interface language', () => {
    const now = Date.parse('2026-11-29T12:00:00Z');
    const ago = (ms: number) => timeAgo(new Date(now - ms).toISOString(), now);
    expect(ago(5_000)).toBe('just now');
    expect(ago(59_999)).toBe('just now');
    expect(ago(60_000)).toBe('1 min ago');
    expect(ago(3_599_000)).toBe('59 min ago');
    expect(ago(3_600_000)).toBe('1 hr ago');
    expect(ago(47 * 3_600_000)).toBe('47 hr ago');
    expect(ago(48 * 3_600_000)).toBe('2 days ago');
    expect(ago(-5 * 60_000)).toBe('in the future');
    expect(timeAgo('garbage', now)).toBe('');
    useLanguage('vi');
    expect(ago(5_000)).toBe('vừa xong');
    expect(ago(3_600_000)).toBe('1 giờ trước');
    expect(ago(48 * 3_600_000)).toBe('2 ngày trước');
  });

  it('writes Vietnamese numbers as they are dialled at home, and leaves others alone', () => {
    expect(nationalNumber('+84987000101')).toBe('0987 000 101');
    expect(nationalNumber('+842438123456')).toBe('024 3812 3456');
    expect(nationalNumber('+14155550100')).toBe('+14155550100');
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{8,9}$/), (digits) => {
        expect(nationalNumber(`+84${digits}`).replace(/ /g, '')).toBe(`0${digits}`);
      }),
    );
  });

  it('describes a rule in one line', () => {
    expect(windowText(3600)).toBe('1 h');
    expect(windowText(86_400)).toBe('24 h');
    expect(windowText(604_800)).toBe('7 d');
    expect(windowText(2_592_000)).toBe('30 d');
    const rule = {
      measure: 'distinct_reporters',
      threshold: 10,
      windowSeconds: 86_400,
      kind: null,
      category: null,
      numberType: null,
    };
    expect(ruleSentence(rule)).toBe('10 distinct reporters in 24 h');
    expect(
      ruleSentence({ ...rule, measure: 'reports', threshold: 5, kind: 'scam_call', numberType: 'mobile' }),
    ).toBe('5 reports in 24 h (Scam call, mobile numbers)');
    useLanguage('vi');
    expect(ruleSentence(rule)).toBe('10 người báo khác nhau trong 24 giờ');
  });
});
