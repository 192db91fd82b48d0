import { CHORD_MS, isTyping, neighbour, shortcutFor } from './keyboard.ts';
import type { KeyPress } from './keyboard.ts';
import { trendOf } from './evidence-trend.ts';

const press = (
  key: string,
  target: KeyPress['target'] = { tagName: 'BODY' },
  mods: Partial<KeyPress> = {},
): KeyPress => ({
  key,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  target,
  ...mods,
});

describe('keyboard shortcuts', () => {
  it('maps the single keys', () => {
    const got = ['j', 'k', 'o', '/', 'd', 'n', '?', 'x'].map(
      (key) => shortcutFor(press(key), null, 0).shortcut,
    );
    expect(got).toEqual(['next', 'previous', 'open', 'search', 'decide', 'claimNext', 'help', null]);
  });

  it('takes "g q" as one chord, only in time', () => {
    const g = shortcutFor(press('g'), null, 1000);
    expect(g).toEqual({ shortcut: null, pendingG: 1000 });
    expect(shortcutFor(press('q'), g.pendingG, 1000 + CHORD_MS).shortcut).toBe('queue');
    expect(shortcutFor(press('q'), g.pendingG, 1001 + CHORD_MS).shortcut).toBe(null);
    expect(shortcutFor(press('q'), null, 1000).shortcut).toBe(null);
    // Another key between them breaks the chord.
    const j = shortcutFor(press('j'), g.pendingG, 1100);
    expect(shortcutFor(press('q'), j.pendingG, 1200).shortcut).toBe(null);
  });

  it('fires nothing while the analyst types, or with a modifier held', () => {
    for (const target of [
      { tagName: 'INPUT', type: 'text' },
      { tagName: 'INPUT', type: 'search' },
      { tagName: 'input' },
      { tagName: 'TEXTAREA' },
      { tagName: 'SELECT' },
      { tagName: 'DIV', isContentEditable: true },
    ])
      expect([target, shortcutFor(press('j', target), null, 0).shortcut]).toEqual([target, null]);
    expect(isTyping({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTyping({ tagName: 'A' })).toBe(false);
    expect(isTyping(null)).toBe(false);
    expect(shortcutFor(press('j', undefined, { ctrlKey: true }), null, 0).shortcut).toBe(null);
    expect(shortcutFor(press('d', undefined, { metaKey: true }), null, 0).shortcut).toBe(null);
    expect(shortcutFor(press('k', undefined, { altKey: true }), null, 0).shortcut).toBe(null);
  });

  it('finds the next and previous flag, and the first when the current one has left the queue', () => {
    expect(neighbour(['1', '2', '3'], '2', 1)).toBe('3');
    expect(neighbour(['1', '2', '3'], '2', -1)).toBe('1');
    expect(neighbour(['1', '2', '3'], '3', 1)).toBe(null);
    expect(neighbour(['1', '2', '3'], '1', -1)).toBe(null);
    expect(neighbour(['5', '6'], '2', 1)).toBe('5');
    expect(neighbour(['5', '6'], '2', -1)).toBe(null);
    expect(neighbour([], '2', 1)).toBe(null);
  });
});

describe('the trend of reports', () => {
  const windows = (day: number, week: number) => ({
    '24h': { reports: day, distinctReporters: day },
    '7d': { reports: week, distinctReporters: week },
  });
  it('compares the last day with the daily average of the six before', () => {
    expect(trendOf(windows(5, 5))).toBe('new');
    expect(trendOf(windows(0, 0))).toBe('new');
    expect(trendOf(windows(10, 16))).toBe('rising');
    expect(trendOf(windows(2, 14))).toBe('steady');
    expect(trendOf(windows(0, 12))).toBe('falling');
    expect(trendOf(windows(1, 13))).toBe('steady');
  });
});
