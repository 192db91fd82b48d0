import { allowlistEntryFor, isAllowlisted, type AllowlistEntry } from './allowlist';

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
});
