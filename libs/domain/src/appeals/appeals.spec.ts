import { appealStatusAfter, isAppealOverdue } from './appeals';

describe('appeals', () => {
  it('is overdue only while pending and past its due date', () => {
    expect(isAppealOverdue({ status: 'pending', dueAt: 1_000 }, 999)).toBe(false);
    expect(isAppealOverdue({ status: 'pending', dueAt: 1_000 }, 1_000)).toBe(true);
    expect(isAppealOverdue({ status: 'upheld', dueAt: 1_000 }, 5_000)).toBe(false);
    expect(isAppealOverdue({ status: 'reversed', dueAt: 1_000 }, 5_000)).toBe(false);
  });

  it('names the status each decision leaves the appeal in', () => {
    expect(appealStatusAfter('uphold')).toBe('upheld');
    expect(appealStatusAfter('reverse')).toBe('reversed');
  });
});
