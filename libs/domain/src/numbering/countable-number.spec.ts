import { uncountableNumberProblem } from './countable-number';

describe('uncountableNumberProblem', () => {
  it('counts a mobile number in canonical E.164', () => {
    expect(uncountableNumberProblem('+84912345678')).toBeNull();
  });

  it.each(['+84113', '+84114', '+84115', '+84156', '+845656'])(
    'refuses the protected short code %s',
    (number) => {
      expect(uncountableNumberProblem(number)).toMatch(/protected number/);
    },
  );

  it('refuses an operator-protected number', () => {
    expect(uncountableNumberProblem('+84912345678', { protectedNumbers: ['0912345678'] })).toMatch(
      /protected number/,
    );
  });

  it('refuses a number outside the numbering plan', () => {
    expect(uncountableNumberProblem('+8400000')).toBe('is not a Vietnamese subscriber number');
  });

  it.each(['0912345678', '84912345678', '+84 912 345 678'])(
    'refuses %s, a valid number written other than the counters key it',
    (written) => {
      expect(uncountableNumberProblem(written)).toBe('is not in canonical E.164 form');
    },
  );

  it('does not repeat the number in its words', () => {
    expect(uncountableNumberProblem('+84113')).not.toContain('113');
  });
});
