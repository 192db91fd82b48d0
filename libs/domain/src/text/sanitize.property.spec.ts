import fc from 'fast-check';
import { hostileString } from '../../spec-support/arbitraries';
import { sanitizeText } from './sanitize';

/** The sanitising steps with one regular expression each, always applied: an oracle. */
function sanitizeStepByStep(text: string): string {
  return text
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, ' ') // eslint-disable-line no-control-regex
    .replace(/\p{Cf}/gu, '')
    .normalize('NFC');
}

describe('sanitizeText (properties)', () => {
  it('gives what the step-by-step replacements give, for any string', () => {
    fc.assert(
      fc.property(hostileString, (text) => {
        expect(sanitizeText(text)).toBe(sanitizeStepByStep(text));
      }),
      { numRuns: 20_000 },
    );
  });
});
