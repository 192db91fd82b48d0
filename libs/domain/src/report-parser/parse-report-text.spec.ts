import { REPORT_CASE_GROUPS, REPORT_CASES } from '../../spec-support/report-cases';
import { parseReportText, type ParseReportResult } from './parse-report-text';

/** The result without `detail`, which is free text for logs. */
function withoutDetail(result: ParseReportResult): unknown {
  if (result.ok) return result;
  const { detail, ...rest } = result;
  expect(typeof detail).toBe('string');
  return rest;
}

describe('parseReportText', () => {
  it('has a table of at least 150 real-looking messages', () => {
    expect(REPORT_CASES.length).toBeGreaterThanOrEqual(150);
  });

  describe.each(REPORT_CASE_GROUPS)('$behaviour', ({ cases }) => {
    it.each(cases)('$text', ({ text, reporter, protectedNumbers, maxLength, expected }) => {
      const result = parseReportText(text, { reporter, protectedNumbers, maxLength });
      expect(withoutDetail(result)).toEqual(expected);
    });
  });

  it('rejects a megabyte of digits as too long without reading it', () => {
    const started = process.hrtime.bigint();
    const result = parseReportText(`V ${'9'.repeat(1_000_000)}`);
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    expect(result).toMatchObject({ ok: false, reason: 'too_long' });
    expect(elapsedMs).toBeLessThan(50);
  });

  it('reads a long run of digits as an invalid number when the maximum length allows it', () => {
    const result = parseReportText(`V ${'9'.repeat(100_000)}`, { maxLength: 200_000 });
    expect(result).toMatchObject({ ok: false, reason: 'invalid_number' });
  });

  it('compiles a configured protected-number list once and applies it on every call', () => {
    const protectedNumbers = ['0912345678'];
    expect(parseReportText('V 0912345678', { protectedNumbers })).toMatchObject({
      reason: 'protected_number',
    });
    expect(parseReportText('V +84 912 345 678', { protectedNumbers })).toMatchObject({
      reason: 'protected_number',
    });
    expect(parseReportText('V 0912345679', { protectedNumbers })).toMatchObject({ ok: true });
  });

  it('treats a text that is not a string as empty instead of failing', () => {
    expect(parseReportText(undefined as unknown as string)).toMatchObject({ ok: false, reason: 'empty' });
    expect(parseReportText(42 as unknown as string)).toMatchObject({ ok: false, reason: 'empty' });
  });

  it('uses the default maximum length when the option is not a usable number', () => {
    expect(parseReportText('V 0912345678', { maxLength: Number.NaN })).toMatchObject({ ok: true });
    expect(parseReportText('V 0912345678', { maxLength: -1 })).toMatchObject({ ok: true });
  });
});
