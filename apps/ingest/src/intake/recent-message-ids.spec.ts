import { RecentMessageIds } from './recent-message-ids';

describe('RecentMessageIds', () => {
  it('knows an id once it is remembered', () => {
    const recent = new RecentMessageIds(10);
    expect(recent.has('a')).toBe(false);
    recent.remember(['a']);
    expect(recent.has('a')).toBe(true);
  });

  it('forgets the oldest ids beyond its capacity', () => {
    const recent = new RecentMessageIds(3);
    recent.remember(['a', 'b', 'c']);
    recent.remember(['d']);
    expect([recent.has('a'), recent.has('b'), recent.has('d')]).toEqual([false, true, true]);
    expect(recent.size).toBe(3);
  });

  it('counts an id seen again as recent', () => {
    const recent = new RecentMessageIds(2);
    recent.remember(['a', 'b']);
    recent.remember(['a', 'c']);
    expect([recent.has('a'), recent.has('b'), recent.has('c')]).toEqual([true, false, true]);
  });

  it('remembers nothing with a capacity of 0', () => {
    const recent = new RecentMessageIds(0);
    recent.remember(['a']);
    expect(recent.has('a')).toBe(false);
  });
});
