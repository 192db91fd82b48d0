import { asMe, csrfOf } from './session.ts';

describe("reading the API's answer to /me", () => {
  it('takes a name, a role and the permissions it knows', () => {
    expect(
      asMe({ name: 'analyst-a', role: 'analyst', permissions: ['flags:read', 'flags:act', 'time:travel'] }),
    ).toEqual({
      name: 'analyst-a',
      role: 'analyst',
      permissions: ['flags:read', 'flags:act'],
    });
  });

  it('refuses anything else, so a sign-on page answering 200 is not taken for a session', () => {
    for (const answer of [
      null,
      'html',
      42,
      [],
      {},
      { name: 'a', role: 'analyst' },
      { name: 1, role: 'x', permissions: [] },
    ])
      expect(asMe(answer)).toBeNull();
  });
});

describe("reading a session's CSRF token", () => {
  it('takes it from a cookie session, and nothing from a bearer answer or anything else', () => {
    expect(
      csrfOf({
        name: 'lan',
        role: 'analyst',
        permissions: [],
        session: { expiresAt: 'x', csrfToken: 'c-1' },
      }),
    ).toBe('c-1');
    for (const answer of [
      null,
      {},
      { session: null },
      { session: { csrfToken: '' } },
      { session: { csrfToken: 7 } },
    ])
      expect(csrfOf(answer)).toBeNull();
  });
});
