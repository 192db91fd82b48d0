/**
 * What the gateway says about an SMS besides its text: who sent it and to which short code. Both
 * are checked before the text is read, because a report is only worth counting when it has a
 * reporter, and a reply is only sent from a short code that is ours.
 */
import { smsSenderNumber } from '../numbering/reporter-number';
import type { NormalizedNumber } from '../numbering/normalize-number';
import type { SmsEnvelopeRejectionReason } from '../rejection';
import { printableText } from '../text/sanitize';

export type SmsEnvelopeResult =
  | { readonly ok: true; readonly reporter: NormalizedNumber }
  | { readonly ok: false; readonly reason: SmsEnvelopeRejectionReason; readonly detail: string };

/**
 * Whether `to` is one of `shortCodes` and `from` a subscriber who can report. Never throws.
 * Neither rejection is answered: there is nobody to send a reply to, or no short code of ours to
 * send it from.
 */
export function checkSmsEnvelope(from: string, to: string, shortCodes: readonly string[]): SmsEnvelopeResult {
  if (!shortCodes.includes(to)) {
    return {
      ok: false,
      reason: 'invalid_short_code',
      detail: `sent to ${JSON.stringify(printableText(to, 32))}, not one of ${shortCodes.join(', ')}`,
    };
  }
  const sender = smsSenderNumber(from);
  if (!sender.ok) return { ok: false, reason: 'invalid_sender', detail: sender.detail };
  return { ok: true, reporter: sender.number };
}
