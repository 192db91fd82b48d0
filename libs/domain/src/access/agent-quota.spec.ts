import { outcomeUnderQuota } from './agent-quota';

describe('outcomeUnderQuota', () => {
  it('queues up to the quota and holds the submission after it', () => {
    expect(outcomeUnderQuota(0, 60)).toBe('queued');
    expect(outcomeUnderQuota(59, 60)).toBe('queued');
    expect(outcomeUnderQuota(60, 60)).toBe('held');
    expect(outcomeUnderQuota(500, 60)).toBe('held');
  });

  it('holds every submission of an agent whose quota is one after the first', () => {
    expect([0, 1, 2].map((n) => outcomeUnderQuota(n, 1))).toEqual(['queued', 'held', 'held']);
  });
});
