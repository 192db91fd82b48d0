import { CARRIERS, CATEGORIES, REPORT_KINDS } from '@abuse-monitor/domain';
import type { Metrics } from '@abuse-monitor/observability';
import type { AcceptedLabels } from './intake/intake-options';

const SHORT_CODES: ReadonlySet<string> = new Set(['156', '5656']);
const KINDS: ReadonlySet<string> = new Set(REPORT_KINDS);
const KNOWN_CATEGORIES: ReadonlySet<string> = new Set(CATEGORIES);
const KNOWN_CARRIERS: ReadonlySet<string> = new Set(CARRIERS);

/**
 * A label value from a known list, else 'other': a value that reached us from a message must not
 * become a label as it is (a new series per value, or a phone number kept by Prometheus).
 */
function bounded(value: string | null | undefined, known: ReadonlySet<string>, absent: string): string {
  if (value === null || value === undefined) return absent;
  return known.has(value) ? value : 'other';
}

export interface IntakeOutcome {
  channel: 'sms' | 'hotline';
  /** What the reporter wrote to; anything but 156 and 5656 is 'other', to keep labels bounded. */
  shortCode: string | null;
  outcome: 'accepted' | 'rejected';
  rejectionReason: string | null;
  accepted: AcceptedLabels | null;
}

/**
 * Counts a batch's decided messages once it committed: received, then accepted (by kind,
 * category, carrier) or rejected. Alike outcomes are counted together: a counter's increment
 * looks its labels up, and one per message cost as much as formatting its reply.
 */
export function countIntake(metrics: Metrics, outcomes: readonly IntakeOutcome[]): void {
  const alike = new Map<string, { outcome: IntakeOutcome; count: number }>();
  for (const outcome of outcomes) {
    const { channel, shortCode, rejectionReason, accepted } = outcome;
    const key = `${channel}|${shortCode}|${outcome.outcome}|${rejectionReason}|${accepted?.kind}|${accepted?.category}|${accepted?.carrier}`;
    const seen = alike.get(key);
    if (seen) seen.count += 1;
    else alike.set(key, { outcome, count: 1 });
  }
  for (const { outcome, count } of alike.values()) countAlike(metrics, outcome, count);
}

function countAlike(metrics: Metrics, intake: IntakeOutcome, count: number): void {
  const shortCode = bounded(intake.shortCode, SHORT_CODES, 'none');
  metrics.get('reportsReceived').inc({ channel: intake.channel, short_code: shortCode }, count);
  if (intake.outcome === 'rejected') {
    metrics
      .get('reportsRejected')
      .inc({ channel: intake.channel, reason: intake.rejectionReason ?? 'unknown' }, count);
    return;
  }
  metrics.get('reportsAccepted').inc(
    {
      channel: intake.channel,
      kind: bounded(intake.accepted?.kind, KINDS, 'unknown'),
      category: bounded(intake.accepted?.category, KNOWN_CATEGORIES, 'unknown'),
      carrier: bounded(intake.accepted?.carrier, KNOWN_CARRIERS, 'unknown'),
    },
    count,
  );
}
