/**
 * Why a text sent to the reporting short codes did not become a report.
 *
 * - `empty`: nothing but white space.
 * - `no_keyword`: does not start with V, S or LD (and is not one of the known other texts).
 * - `no_number`: a keyword, but no number where the number should be.
 * - `invalid_number`: digits that are not a valid Vietnamese number.
 * - `protected_number`: an emergency or reporting short code, or a configured protected number.
 * - `self_report`: the reporter reported their own number.
 * - `too_long`: longer than the configured maximum; rejected before any other work.
 * - `not_a_report`: a known text that is not a report (do-not-call registration, forward).
 * - `internal_error`: last line of defence if the parser ever failed unexpectedly; the property
 *   tests show it is not reached. Kept in the list so that every result has a typed reason.
 */
export const REJECTION_REASONS = [
  'empty',
  'no_keyword',
  'no_number',
  'invalid_number',
  'protected_number',
  'self_report',
  'too_long',
  'not_a_report',
  'internal_error',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/**
 * Texts that reach 156/5656 and are not reports:
 * `DK DNC`, `DK DNC S`, `DK DNC V` (join the do-not-call list), `HUY DNC` (leave it),
 * `FW <content>` (forward an advert).
 */
export const NOT_A_REPORT_KINDS = ['dnc_register', 'dnc_cancel', 'forward'] as const;
export type NotAReportKind = (typeof NOT_A_REPORT_KINDS)[number];

/**
 * Why an SMS was refused before its text was read: what the gateway says about it is wrong.
 *
 * - `invalid_sender`: the sender is not a Vietnamese mobile or fixed-line number ('Alice', a
 *   foreign number, a service number): nobody to count as a reporter, and nobody to reply to.
 * - `invalid_short_code`: sent to something other than the configured short codes (156, 5656):
 *   no short code of ours to reply from.
 */
export const SMS_ENVELOPE_REJECTION_REASONS = ['invalid_sender', 'invalid_short_code'] as const;
export type SmsEnvelopeRejectionReason = (typeof SMS_ENVELOPE_REJECTION_REASONS)[number];
