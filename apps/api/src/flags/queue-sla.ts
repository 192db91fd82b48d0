import type { QueueSla } from '@abuse-monitor/persistence';
import type { ApiConfig } from '../api.config';

/** The SLAs the scheduler enforces (decision 0023), as the API was given them. */
export function queueSlaOf(
  config: Pick<
    ApiConfig,
    'SLA_HIGH' | 'SLA_MEDIUM' | 'SLA_LOW' | 'SLA_REVIEW_HIGH' | 'SLA_REVIEW_MEDIUM' | 'SLA_REVIEW_LOW'
  >,
): QueueSla {
  return {
    open: { high: config.SLA_HIGH, medium: config.SLA_MEDIUM, low: config.SLA_LOW },
    in_review: { high: config.SLA_REVIEW_HIGH, medium: config.SLA_REVIEW_MEDIUM, low: config.SLA_REVIEW_LOW },
  };
}
