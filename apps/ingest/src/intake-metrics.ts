import type { Metrics } from '@abuse-monitor/observability';
import type { AcceptedLabels } from './intake/intake-options';

const SHORT_CODES = new Set(['156', '5656']);

export interface IntakeOutcome {
  channel: 'sms' | 'hotline';
  /** What the reporter wrote to; anything but 156 and 5656 is 'other', to keep labels bounded. */
  shortCode: string | null;
  outcome: 'accepted' | 'rejected';
  rejectionReason: string | null;
  accepted: AcceptedLabels | null;
}

/** Counts a decided message once its batch committed: received, then accepted (by kind, category, carrier) or rejected. */
export function countIntake(metrics: Metrics, intake: IntakeOutcome): void {
  const shortCode =
    intake.shortCode === null ? 'none' : SHORT_CODES.has(intake.shortCode) ? intake.shortCode : 'other';
  metrics.get('reportsReceived').inc({ channel: intake.channel, short_code: shortCode });
  if (intake.outcome === 'rejected') {
    metrics
      .get('reportsRejected')
      .inc({ channel: intake.channel, reason: intake.rejectionReason ?? 'unknown' });
    return;
  }
  metrics.get('reportsAccepted').inc({
    channel: intake.channel,
    kind: intake.accepted?.kind ?? 'unknown',
    category: intake.accepted?.category ?? 'unknown',
    carrier: intake.accepted?.carrier ?? 'unknown',
  });
}
