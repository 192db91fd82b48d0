import { formatTime } from './format.ts';
import { t, tn } from './i18n.ts';
import type { DecisionOutcome } from './types.ts';
import { label } from './vocabulary.ts';

/**
 * The confirmation of a decision, from what the API says it did rather than from what the form
 * asked: the status it left, the reason, the watch date, the allowlist entry (made now, or found
 * already there) and whether provisioning was told. Dates in the analyst's zone and language.
 */
export function decisionConfirmation(
  outcome: DecisionOutcome,
  flagId: number | null,
  timeZone?: string,
): string {
  const decided = {
    decision: label(outcome.decision),
    reason: label(outcome.reasonCode),
  };
  const sentences = [
    flagId === null ? t('outcome.recorded', decided) : t('outcome.recordedOn', { ...decided, id: flagId }),
    t('outcome.status', { before: label(outcome.before.status), after: label(outcome.after.status) }),
  ];
  if (outcome.watchUntil !== null)
    sentences.push(t('outcome.watchUntil', { time: formatTime(outcome.watchUntil, timeZone) }));
  if (outcome.before.assignee !== null && outcome.after.assignee === null)
    sentences.push(t('outcome.released', { name: outcome.before.assignee }));
  const listed = outcome.allowlisted;
  if (listed !== null)
    sentences.push(
      listed.alreadyListed
        ? t('outcome.alreadyAllowlisted', { pattern: listed.pattern })
        : listed.until === null
          ? t('outcome.allowlistedForever', { pattern: listed.pattern })
          : t('outcome.allowlistedUntil', {
              pattern: listed.pattern,
              time: formatTime(listed.until, timeZone),
            }),
    );
  sentences.push(
    outcome.events.length === 0 ? t('outcome.noEvent') : tn('outcome.events', outcome.events.length),
  );
  return sentences.join(' ');
}
