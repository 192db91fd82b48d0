import { mayUndoDecision } from './decision-guard';

describe('mayUndoDecision', () => {
  it("keeps a supervisor's or admin's decision from analysts", () => {
    expect(mayUndoDecision('supervisor', 'analyst')).toBe(false);
    expect(mayUndoDecision('admin', 'analyst')).toBe(false);
  });

  it("lets supervisors and admins undo each other's decisions", () => {
    expect(mayUndoDecision('supervisor', 'supervisor')).toBe(true);
    expect(mayUndoDecision('supervisor', 'admin')).toBe(true);
    expect(mayUndoDecision('admin', 'supervisor')).toBe(true);
  });

  it("lets anyone who may act undo an analyst's decision or one without a role (the scheduler's)", () => {
    expect(mayUndoDecision('analyst', 'analyst')).toBe(true);
    expect(mayUndoDecision(null, 'analyst')).toBe(true);
  });

  it('treats an unknown recorded role as no override, not as a supervisor', () => {
    expect(mayUndoDecision('root' as never, 'analyst')).toBe(true);
  });
});
