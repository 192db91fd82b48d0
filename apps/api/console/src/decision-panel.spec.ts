import * as domain from '@abuse-monitor/domain';
import { decisionKindOf, reasonsFor, WATCH_DAYS, watchUntil } from './decision-panel.ts';
import type { DecisionReasons } from './types.ts';
import { FLAG_DECISIONS } from './vocabulary.ts';

const REASONS: DecisionReasons = {
  items: domain.DECISION_KINDS.map((kind) => ({
    kind,
    decisions: domain.FLAG_DECISIONS.filter((d) => domain.decisionKindOf(d) === kind),
    reasons: [...domain.DEFAULT_DECISION_REASONS[kind]],
  })),
};

describe('the decision panel', () => {
  it('groups decisions into the kinds the API keeps reason lists for, as the domain does', () => {
    for (const decision of FLAG_DECISIONS)
      expect(decisionKindOf(decision)).toBe(domain.decisionKindOf(decision));
  });

  it('offers the reasons of the decision’s kind, in the configured order, and none for a kind left out', () => {
    expect(reasonsFor(REASONS, 'block_both')).toEqual([...domain.DEFAULT_DECISION_REASONS.act]);
    expect(reasonsFor(REASONS, 'dismiss')[0]).toBe('not_abuse');
    expect(reasonsFor(REASONS, 'watch')).toEqual([...domain.DEFAULT_DECISION_REASONS.watch]);
    expect(reasonsFor({ items: REASONS.items.filter((i) => i.kind !== 'reopen') }, 'reopen')).toEqual([]);
  });

  it('offers watch periods the API accepts, even from a browser clock a day ahead', () => {
    const now = Date.parse('2026-12-04T10:00:00Z');
    expect(watchUntil(now, 7)).toBe('2026-12-11T10:00:00.000Z');
    for (const days of WATCH_DAYS) {
      const until = Date.parse(watchUntil(now + 86_400_000, days));
      expect(until - now).toBeGreaterThan(0);
      expect(until - now).toBeLessThanOrEqual(domain.MAX_WATCH_MS);
    }
  });
});
