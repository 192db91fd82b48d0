import { SET_ASIDE_LIMIT, SetAsideBudget } from './batch-consumer';

describe('SetAsideBudget', () => {
  const { refusals, windowMs } = SET_ASIDE_LIMIT;

  it('sets aside up to the limit for one cause within the window, each cause on its own', () => {
    const budget = new SetAsideBudget();
    for (let i = 0; i < refusals; i += 1) expect(budget.take('SQLSTATE 23514, table reports', i)).toBe(true);
    expect(budget.take('SQLSTATE 22P02, table reports', refusals)).toBe(true);
  });

  it('takes a cause past its limit for a fault of ours, and stops setting it aside for good', () => {
    const budget = new SetAsideBudget();
    for (let i = 0; i < refusals; i += 1) budget.take('cause', i * 1000);
    expect(budget.take('cause', refusals * 1000)).toBe(false);
    // Not even after the window: fixing the fault, and a restart, is what clears it.
    expect(budget.take('cause', 10 * windowMs)).toBe(false);
    expect(budget.take('another cause', 10 * windowMs)).toBe(true);
  });

  it('forgets set-asides older than the window: occasional poison never trips it', () => {
    const budget = new SetAsideBudget();
    for (let i = 0; i < 10 * refusals; i += 1) {
      expect(budget.take('cause', i * (windowMs / (refusals - 1)))).toBe(true);
    }
  });
});
