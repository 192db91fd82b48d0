import { matchesIfNoneMatch, representationEtag } from './representation-etag';

describe('representationEtag', () => {
  it('changes with the representation even when the version does not', () => {
    const before = representationEtag(3, { version: 3, recentReports: [1] });
    expect(before).toMatch(/^"3-[0-9a-f]{16}"$/);
    expect(representationEtag(3, { version: 3, recentReports: [1] })).toBe(before);
    expect(representationEtag(3, { version: 3, recentReports: [1, 2] })).not.toBe(before);
  });
});

describe('matchesIfNoneMatch', () => {
  const etag = '"3-0123456789abcdef"';

  it('matches the same ETag, weak or strong, alone or in a list, and *', () => {
    expect(matchesIfNoneMatch(etag, etag)).toBe(true);
    expect(matchesIfNoneMatch(`W/${etag}`, etag)).toBe(true);
    expect(matchesIfNoneMatch(`"2-aaaaaaaaaaaaaaaa", ${etag}`, etag)).toBe(true);
    expect(matchesIfNoneMatch('*', etag)).toBe(true);
  });

  it('does not match another representation of the same version, the bare version, or nothing', () => {
    expect(matchesIfNoneMatch('"3-fedcba9876543210"', etag)).toBe(false);
    expect(matchesIfNoneMatch('"3"', etag)).toBe(false);
    expect(matchesIfNoneMatch(undefined, etag)).toBe(false);
    expect(matchesIfNoneMatch('', etag)).toBe(false);
  });
});
