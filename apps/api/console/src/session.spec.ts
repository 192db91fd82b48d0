import { asMe } from './session.ts';

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
