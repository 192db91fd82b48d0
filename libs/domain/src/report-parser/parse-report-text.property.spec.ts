import fc from 'fast-check';
import { EXPLICIT_PREFIX_STYLES, hostileString, renderedNumber } from '../../spec-support/arbitraries';
import { REJECTION_REASONS } from '../rejection';
import { parseReportText } from './parse-report-text';

const RUNS = { numRuns: 2_000 };

describe('parseReportText (properties)', () => {
  it('gives a typed result for any string and never reaches the internal-error guard', () => {
    fc.assert(
      fc.property(hostileString, fc.option(hostileString, { nil: undefined }), (text, reporter) => {
        const result = parseReportText(text, { reporter });
        if (result.ok) {
          expect(result.report.reportedNumber).toMatch(/^\+84[0-9]{7,10}$/);
        } else {
          expect(REJECTION_REASONS).toContain(result.reason);
          expect(result.reason).not.toBe('internal_error');
        }
      }),
      { numRuns: 5_000 },
    );
  });

  it('gives a typed result for any string even when the maximum length lets everything through', () => {
    fc.assert(
      fc.property(hostileString, (text) => {
        const result = parseReportText(text, { maxLength: Number.MAX_SAFE_INTEGER });
        expect(result.ok || result.reason !== 'internal_error').toBe(true);
      }),
      RUNS,
    );
  });

  it('reads the same canonical number whatever notation the report uses', () => {
    fc.assert(
      fc.property(
        renderedNumber(),
        fc.constantFrom('V', 'v', 'S', 'LD', 'ld'),
        fc.constantFrom(' ', '', ': ', '\t', '  '),
        fc.constantFrom('bare', 'square', 'round'),
        ({ generated, written, writtenInLegacyForm }, keyword, gap, form) => {
          const numberPart = form === 'square' ? `[${written}]` : form === 'round' ? `(${written})` : written;
          const result = parseReportText(`${keyword}${gap}${numberPart}`);
          expect(result).toMatchObject({
            ok: true,
            report: {
              reportedNumber: `+84${generated.nationalSignificant}`,
              numberType: 'mobile',
              carrier: generated.carrier,
              convertedFromLegacy: writtenInLegacyForm,
              content: null,
            },
          });
        },
      ),
      RUNS,
    );
  });

  it('still reads the right number when the content starts with digits', () => {
    fc.assert(
      fc.property(
        renderedNumber(EXPLICIT_PREFIX_STYLES),
        fc.integer({ min: 0, max: 99_999 }),
        fc.constantFrom(' cuoc goi', ' lan', ' tin nhan', '', ' trieu dong'),
        fc.constantFrom(' ', '\n', ' - ', '  '),
        ({ generated, written }, count, words, gap) => {
          const content = `${count}${words}`;
          const result = parseReportText(`V ${written}${gap}${content}`);
          expect(result).toMatchObject({
            ok: true,
            report: { reportedNumber: `+84${generated.nationalSignificant}`, content },
          });
        },
      ),
      RUNS,
    );
  });

  it('is a self report whenever the reporter is the reported number, in any notation', () => {
    fc.assert(
      fc.property(renderedNumber(), renderedNumber(), ({ generated, written }, other) => {
        const reporter = `0${generated.nationalSignificant}`;
        expect(parseReportText(`V ${written}`, { reporter })).toMatchObject({
          ok: false,
          reason: 'self_report',
        });
        expect(parseReportText(`V ${other.written}`, { reporter: other.written })).toMatchObject({
          ok: false,
          reason: 'self_report',
        });
      }),
      { numRuns: 500 },
    );
  });
});
