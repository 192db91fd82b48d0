import { checkTokenName, MAX_TOKEN_LIFETIME_MS, parseTokenLifetime } from './token-rules';

describe('checkTokenName', () => {
  it.each(['analyst-a', 'nguyen.van.an', 'agent_17', '7', 'a'.repeat(64)])('accepts %p', (name) => {
    expect(checkTokenName(name)).toEqual({ ok: true });
  });

  it.each([
    ['', 'empty'],
    ['a'.repeat(65), 'too long'],
    ['Analyst', 'upper case reads differently in different fonts'],
    ['аnalyst', 'a Cyrillic а that looks like a Latin a'],
    ['an\u200balyst', 'a zero-width space'],
    ['-lead', 'a leading dash reads as a command-line option'],
    ['.hidden', 'a leading dot'],
    ['ana lyst', 'a space'],
    ['root@host', 'an @'],
  ])('refuses %p (%s)', (name) => {
    expect(checkTokenName(name).ok).toBe(false);
  });

  it.each(['rules', 'scheduler', 'migration', 'anonymous'])('refuses the system actor %p', (name) => {
    expect(checkTokenName(name)).toEqual({ ok: false, reason: expect.stringContaining('system') });
  });
});

describe('parseTokenLifetime', () => {
  it.each([
    ['90m', 90 * 60_000],
    ['12h', 12 * 3_600_000],
    ['30d', 30 * 86_400_000],
    ['400d', MAX_TOKEN_LIFETIME_MS],
  ])('reads %p', (text, ms) => {
    expect(parseTokenLifetime(text)).toEqual({ ok: true, ms });
  });

  it.each(['', '30', 'd', '0d', '-1d', '1.5d', '30D', '1w', '30d ', '401d', '99999d'])(
    'refuses %p',
    (text) => {
      expect(parseTokenLifetime(text).ok).toBe(false);
    },
  );
});
