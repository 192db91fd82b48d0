import { normalizeNumber, type NumberOptions } from './normalize-number';

/**
 * What keeps a number, given in E.164 as messages carry it, from being counted as reported: the
 * same rule intake and the API's subscriber look-up apply (emergency and reporting short codes,
 * numbers outside the plan), and it must be written canonically, since counters and flags key on
 * the exact string. In words for a dead-letter record; the number itself is not repeated (it is
 * in the record's key already, and words end up in logs). null when it may be counted.
 */
export function uncountableNumberProblem(e164: string, options: NumberOptions = {}): string | null {
  const normalized = normalizeNumber(e164, options);
  if (!normalized.ok) {
    return normalized.reason === 'protected_number'
      ? 'is a protected number (emergency or reporting short code) that is never counted'
      : 'is not a Vietnamese subscriber number';
  }
  if (normalized.e164 !== e164) return 'is not in canonical E.164 form';
  return null;
}
