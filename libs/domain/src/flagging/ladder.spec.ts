import { TAKEN_ACTIONS } from './flag-state';
import { ESCALATION_LADDER, nextOnLadder, strongerAction } from './ladder';
import { RECOMMENDED_ACTIONS } from './rules';

describe('escalation ladder', () => {
  it('is the recommended actions without watching, in the same order', () => {
    expect(ESCALATION_LADDER).toEqual(RECOMMENDED_ACTIONS.filter((action) => action !== 'watch'));
    for (const action of ESCALATION_LADDER) expect(TAKEN_ACTIONS).toContain(action);
  });

  it.each([
    [null, 'warn'],
    ['warn', 'block_outgoing'],
    ['block_outgoing', 'block_both'],
    ['block_both', 'suspend'],
    ['suspend', 'suspend'],
    ['refer_police', 'suspend'],
  ] as const)('after %s comes %s', (taken, expected) => {
    expect(nextOnLadder(taken)).toBe(expected);
  });

  it('picks the harsher action, whichever side it is on', () => {
    expect(strongerAction('watch', 'warn')).toBe('warn');
    expect(strongerAction('block_both', 'warn')).toBe('block_both');
    expect(strongerAction('suspend', 'block_outgoing')).toBe('suspend');
    expect(strongerAction('block_outgoing', 'block_outgoing')).toBe('block_outgoing');
  });

  it('orders every pair the way RECOMMENDED_ACTIONS does', () => {
    for (const [i, a] of RECOMMENDED_ACTIONS.entries()) {
      for (const [j, b] of RECOMMENDED_ACTIONS.entries()) {
        expect(strongerAction(a, b)).toBe(RECOMMENDED_ACTIONS[Math.max(i, j)]);
      }
    }
  });
});
