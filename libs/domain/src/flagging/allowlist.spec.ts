import fc from 'fast-check';
import { allowlistEntryFor, allowlistMatcher, isAllowlisted, type AllowlistEntry } from './allowlist';

const ENTRIES: AllowlistEntry[] = [
  { kind: 'number', pattern: '+842439999999', reason: 'operator customer care', owner: 'noc' },
  { kind: 'prefix', pattern: '+841800', reason: 'toll-free service lines', owner: 'legal' },
];

describe('allowlist', () => {
  it('matches an exact number only exactly', () => {
    expect(isAllowlisted('+842439999999', ENTRIES)).toBe(true);
    expect(isAllowlisted('+8424399999990', ENTRIES)).toBe(false);
  });

  it('matches every number under a prefix and says which entry', () => {
    expect(allowlistEntryFor('+8418001234', ENTRIES)).toBe(ENTRIES[1]);
    expect(isAllowlisted('+8419001234', ENTRIES)).toBe(false);
  });

  it('never matches everything with an empty prefix', () => {
    expect(isAllowlisted('+84912345678', [{ kind: 'prefix', pattern: '', reason: '', owner: '' }])).toBe(
      false,
    );
  });

  it('answers as isAllowlisted does, through its lookups, for any entries and number', () => {
    // Few digits, so that numbers and entries often share a start.
    const digits = fc.string({ unit: fc.constantFrom('8', '4', '9'), maxLength: 6 });
    const entry = fc.record({
      kind: fc.constantFrom('number' as const, 'prefix' as const),
      pattern: digits.map((d) => (d === '' ? '' : `+${d}`)),
      reason: fc.constant(''),
      owner: fc.constant(''),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 8 }), digits, (entries, number) => {
        const e164 = `+${number}`;
        expect(allowlistMatcher(entries)(e164)).toBe(isAllowlisted(e164, entries));
      }),
      { numRuns: 2_000 },
    );
  });

  it('matches a number under a prefix as long as the number itself', () => {
    const matches = allowlistMatcher([{ kind: 'prefix', pattern: '+8418001234', reason: '', owner: '' }]);
    expect(matches('+8418001234')).toBe(true);
    expect(matches('+841800123')).toBe(false);
    expect(allowlistMatcher(ENTRIES)('+842439999999')).toBe(true);
    expect(allowlistMatcher(ENTRIES)('+84243999999')).toBe(false);
  });
});
