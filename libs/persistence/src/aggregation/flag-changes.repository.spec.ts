import type { FlagHistoryEntry } from '@abuse-monitor/domain';
import { slaAfter } from './flag-changes.repository';

const entry = (change: string, fromStatus: string | null, toStatus: string, at: number): FlagHistoryEntry =>
  ({ change, fromStatus, toStatus, at }) as unknown as FlagHistoryEntry;

describe('the SLA clock after saved changes', () => {
  it('restarts when the flag enters the queue, changes severity or goes to a reviewer', () => {
    for (const change of ['opened', 'reopened', 'escalated', 'claimed', 'assigned', 'reassigned'])
      expect(slaAfter([entry(change, 'open', 'in_review', 7)])).toEqual({ restartedAt: 7, overdue: 'clear' });
    expect(slaAfter([entry('raised', 'open', 'open', 7)])).toEqual({ restartedAt: 7, overdue: 'clear' });
    // A restart alone clears the mark, even where the status stays.
    expect(slaAfter([entry('overdue', 'open', 'open', 5), entry('escalated', 'open', 'open', 6)])).toEqual({
      restartedAt: 6,
      overdue: 'clear',
    });
  });

  it('does not give a review more time when new evidence raises the flag: the mark stays', () => {
    expect(slaAfter([entry('raised', 'in_review', 'in_review', 7)])).toEqual({
      restartedAt: null,
      overdue: 'keep',
    });
    expect(
      slaAfter([entry('overdue', 'in_review', 'in_review', 5), entry('raised', 'in_review', 'in_review', 7)]),
    ).toEqual({ restartedAt: null, overdue: 5 });
  });

  it('marks overdue in the queue and in review, and keeps the mark through changes that keep the status', () => {
    expect(slaAfter([entry('overdue', 'open', 'open', 5)])).toEqual({ restartedAt: null, overdue: 5 });
    expect(slaAfter([entry('overdue', 'in_review', 'in_review', 6)])).toEqual({
      restartedAt: null,
      overdue: 6,
    });
    expect(slaAfter([entry('marked_coordinated', 'in_review', 'in_review', 8)])).toEqual({
      restartedAt: null,
      overdue: 'keep',
    });
  });

  it('clears the mark when the status changes, or when the review passes to someone else', () => {
    expect(slaAfter([entry('actioned', 'in_review', 'actioned', 9)]).overdue).toBe('clear');
    expect(slaAfter([entry('claimed', 'open', 'in_review', 9)]).overdue).toBe('clear');
    expect(
      slaAfter([
        entry('overdue', 'in_review', 'in_review', 9),
        entry('reassigned', 'in_review', 'in_review', 10),
      ]),
    ).toEqual({
      restartedAt: 10,
      overdue: 'clear',
    });
  });
});
