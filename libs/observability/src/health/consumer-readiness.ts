import type { GroupConsumerStatus } from '@abuse-monitor/messaging';
import type { CheckResult } from './readiness';

/** The group's lag per partition (`topic[partition]`), as the lag monitor last measured it, and when. */
export interface LagReading {
  at: number;
  lag: ReadonlyMap<string, number>;
}

/**
 * How long a consumer may go without a batch through while messages wait on its partitions, hold
 * one batch, or rebalance, before it is taken for stuck. Well above a slow batch (seconds) and the
 * longest retry back-off (30 s), so one retried batch does not make it unready; a database or
 * broker outage shows in its own check at once anyway.
 */
export const STUCK_AFTER_MS = 120_000;

const seconds = (ms: number) => Math.round(ms / 1000);

/**
 * Whether a consumer group member is doing its work: in its group (partitions assigned, or none
 * left for it, or waiting for them in a rebalance) and not stuck: no batch in hand for longer than
 * `stuckAfterMs`, and a batch through within that time unless nothing waits on its partitions.
 */
export function consumerReadiness(
  status: GroupConsumerStatus,
  lag: LagReading | null,
  now: number,
  stuckAfterMs = STUCK_AFTER_MS,
): CheckResult {
  const forLong = now - status.since > stuckAfterMs;
  switch (status.state) {
    case 'stopping':
      return { ok: false, detail: 'stopping' };
    case 'connecting':
      return {
        ok: false,
        detail:
          status.failedConnects > 0
            ? `not in its group: ${status.failedConnects} failed attempt(s) to reach the broker, retrying`
            : `joining its group (for ${seconds(now - status.since)} s)`,
      };
    case 'rebalancing':
      return forLong
        ? { ok: false, detail: `rebalancing for ${seconds(now - status.since)} s` }
        : { ok: true, detail: 'waiting for its partitions in a rebalance' };
    case 'joined':
      break;
  }
  const partitions = Object.entries(status.assignment).flatMap(([topic, numbers]) =>
    numbers.map((partition) => `${topic}[${partition}]`),
  );
  if (partitions.length === 0) return { ok: true, detail: 'in its group with no partitions to consume' };
  const held = status.inFlight
    .filter((batch) => now - batch.since > stuckAfterMs)
    .sort((a, b) => a.since - b.since)[0];
  if (held)
    return {
      ok: false,
      detail: `a batch of ${held.topic}[${held.partition}] in hand for ${seconds(now - held.since)} s`,
    };
  const progress = Math.max(status.lastBatchAt ?? 0, status.since);
  const waiting =
    lag && lag.at > progress ? partitions.reduce((sum, key) => sum + (lag.lag.get(key) ?? 0), 0) : 0;
  if (waiting > 0 && now - progress > stuckAfterMs)
    return {
      ok: false,
      detail: `${waiting} message(s) waiting on its ${partitions.length} partition(s) and no batch through for ${seconds(now - progress)} s`,
    };
  const state =
    status.lastBatchAt === null
      ? `${partitions.length} partition(s), no batch yet`
      : `${partitions.length} partition(s), last batch ${seconds(now - status.lastBatchAt)} s ago`;
  // Without a recent lag reading a quiet consumer and a stuck one look alike. The lag monitor's own
  // failure is no reason to take the pod out of service, but whoever reads this must know.
  const lagUnknown = now - progress > stuckAfterMs && (lag === null || now - lag.at > stuckAfterMs);
  return {
    ok: true,
    detail: lagUnknown
      ? `${state}; lag unknown (${lag === null ? 'never measured' : `last measured ${seconds(now - lag.at)} s ago`}), so a stuck consumer would not show here`
      : state,
  };
}
