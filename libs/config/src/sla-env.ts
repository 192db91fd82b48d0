import { duration } from './env-fields';

/**
 * The review SLAs by severity. The scheduler marks and escalates by them; the API reads the same
 * variables to say when each flag's SLA runs out and to order the queue by it, so both apps must
 * be given the same values.
 */
export const slaEnvShape = {
  SLA_HIGH: duration('SLA of a high flag')
    .default(7_200_000)
    .describe('an open high flag not claimed within this is marked overdue'),
  SLA_MEDIUM: duration('SLA of a medium flag')
    .default(86_400_000)
    .describe('an open medium flag not claimed within this goes up to high'),
  SLA_LOW: duration('SLA of a low flag')
    .default(259_200_000)
    .describe('an open low flag not claimed within this goes up to medium'),
  SLA_REVIEW_HIGH: duration('time to decide a high flag once claimed')
    .default(14_400_000)
    .describe('a claimed high flag not decided within this (from the claim or assignment) is marked overdue'),
  SLA_REVIEW_MEDIUM: duration('time to decide a medium flag once claimed')
    .default(172_800_000)
    .describe('as `SLA_REVIEW_HIGH`, for a medium flag'),
  SLA_REVIEW_LOW: duration('time to decide a low flag once claimed')
    .default(604_800_000)
    .describe('as `SLA_REVIEW_HIGH`, for a low flag'),
};
