import type { GroupConsumerStatus } from '@abuse-monitor/messaging';
import { consumerReadiness, LagReading, STUCK_AFTER_MS } from './consumer-readiness';

const T0 = 1_800_000_000_000;
const SECOND = 1_000;

/** A member that joined at T0 with partitions 0 and 1 of reports.accepted. */
function joined(overrides: Partial<GroupConsumerStatus> = {}): GroupConsumerStatus {
  return {
    state: 'joined',
    since: T0,
    failedConnects: 0,
    assignment: { 'reports.accepted': [0, 1] },
    lastBatchAt: null,
    inFlight: [],
    ...overrides,
  };
}

const lagAt = (at: number, entries: Record<string, number>): LagReading => ({
  at,
  lag: new Map(Object.entries(entries)),
});

describe('consumerReadiness (a fake clock: now is passed in)', () => {
  it('is ready once joined with partitions, and says how long since the last batch', () => {
    expect(consumerReadiness(joined(), null, T0 + SECOND)).toEqual({
      ok: true,
      detail: '2 partition(s), no batch yet',
    });
    expect(consumerReadiness(joined({ lastBatchAt: T0 + 5 * SECOND }), null, T0 + 8 * SECOND)).toEqual({
      ok: true,
      detail: '2 partition(s), last batch 3 s ago',
    });
  });

  it('says so when it cannot tell quiet from stuck: no lag reading for long', () => {
    const now = T0 + 10 * 60 * SECOND;
    expect(consumerReadiness(joined(), null, now)).toEqual({
      ok: true,
      detail:
        '2 partition(s), no batch yet; lag unknown (never measured), so a stuck consumer would not show here',
    });
    const stale = lagAt(now - 5 * 60 * SECOND, { 'reports.accepted[0]': 0 });
    expect(consumerReadiness(joined(), stale, now).detail).toContain('lag unknown (last measured 300 s ago)');
    const fresh = lagAt(now - SECOND, { 'reports.accepted[0]': 0 });
    expect(consumerReadiness(joined(), fresh, now).detail).toBe('2 partition(s), no batch yet');
  });

  it('stays ready when idle for long with nothing waiting on its partitions', () => {
    const now = T0 + 60 * 60 * SECOND;
    const lag = lagAt(now - SECOND, {
      'reports.accepted[0]': 0,
      'reports.accepted[1]': 0,
      'reports.accepted[2]': 50,
    });
    expect(consumerReadiness(joined({ lastBatchAt: T0 + SECOND }), lag, now).ok).toBe(true);
  });

  it('is stuck when messages wait on its partitions and no batch went through for too long', () => {
    const lastBatchAt = T0 + 10 * SECOND;
    const lag = lagAt(lastBatchAt + 15 * SECOND, { 'reports.accepted[0]': 7, 'reports.accepted[1]': 5 });
    // Just within the limit: still ready.
    expect(consumerReadiness(joined({ lastBatchAt }), lag, lastBatchAt + STUCK_AFTER_MS).ok).toBe(true);
    expect(consumerReadiness(joined({ lastBatchAt }), lag, lastBatchAt + STUCK_AFTER_MS + SECOND)).toEqual({
      ok: false,
      detail: '12 message(s) waiting on its 2 partition(s) and no batch through for 121 s',
    });
  });

  it('does not count lag measured before its last batch (that batch may have consumed it)', () => {
    const lastBatchAt = T0 + 10 * SECOND;
    const lag = lagAt(lastBatchAt - SECOND, { 'reports.accepted[0]': 7 });
    expect(consumerReadiness(joined({ lastBatchAt }), lag, lastBatchAt + 10 * STUCK_AFTER_MS).ok).toBe(true);
  });

  it('is stuck when one batch has been in hand for too long (a handler retrying without end)', () => {
    const status = joined({
      lastBatchAt: T0,
      inFlight: [
        { topic: 'reports.accepted', partition: 1, since: T0 + 100 * SECOND },
        { topic: 'reports.accepted', partition: 0, since: T0 + 5 * SECOND },
      ],
    });
    expect(consumerReadiness(status, null, T0 + 5 * SECOND + STUCK_AFTER_MS).ok).toBe(true);
    expect(consumerReadiness(status, null, T0 + 130 * SECOND)).toEqual({
      ok: false,
      detail: 'a batch of reports.accepted[0] in hand for 125 s',
    });
  });

  it('is ready with no partitions (more members than partitions) and while a rebalance is short', () => {
    expect(consumerReadiness(joined({ assignment: {} }), null, T0 + 3600 * SECOND)).toEqual({
      ok: true,
      detail: 'in its group with no partitions to consume',
    });
    const rebalancing = joined({ state: 'rebalancing', since: T0 });
    expect(consumerReadiness(rebalancing, null, T0 + 10 * SECOND).ok).toBe(true);
    expect(consumerReadiness(rebalancing, null, T0 + STUCK_AFTER_MS + 2 * SECOND)).toEqual({
      ok: false,
      detail: 'rebalancing for 122 s',
    });
  });

  it('is not ready before it is in its group, nor while it cannot reach the broker, nor stopping', () => {
    expect(consumerReadiness(joined({ state: 'connecting' }), null, T0 + 2 * SECOND)).toEqual({
      ok: false,
      detail: 'joining its group (for 2 s)',
    });
    expect(consumerReadiness(joined({ state: 'connecting', failedConnects: 3 }), null, T0)).toEqual({
      ok: false,
      detail: 'not in its group: 3 failed attempt(s) to reach the broker, retrying',
    });
    expect(consumerReadiness(joined({ state: 'stopping' }), null, T0).ok).toBe(false);
  });
});
