/**
 * How a reporter's number is shown to people below supervisor: enough to recognise a carrier and
 * to tell most reporters of one flag apart, not enough to call them back or to find them again.
 */
import { nationalFormOf } from '../numbering/normalize-number';

const HIDDEN_DIGIT = '*';
const FULLY_HIDDEN = '***';
/**
 * National forms this long or longer (mobile and fixed-line numbers) keep the trunk 0 and the
 * two digits after it, and their last 2. For a mobile number those 3 digits are the carrier's
 * prefix (091, 086...), which the numbering plan publishes anyway; for a fixed line they are the
 * area code of Hanoi or Ho Chi Minh City or the first digits of a province's, never a subscriber
 * digit.
 */
const LONG_FORM_DIGITS = 10;
const CARRIER_PREFIX_DIGITS = 3;
const TAIL_DIGITS = 2;
/** Shorter forms (1800 and 1900 numbers) keep at most 2 digits at each end, and never half or more. */
const SHORT_END_DIGITS = 2;
/** At or below this many digits nothing is revealed. */
const HIDDEN_BELOW_OR_AT = 4;

const PLUS_84_DIGITS = /^\+84([0-9]+)$/;

function reveal(digits: string, head: number, tail: number): string {
  const hidden = HIDDEN_DIGIT.repeat(digits.length - head - tail);
  return `${digits.slice(0, head)}${hidden}${tail === 0 ? '' : digits.slice(-tail)}`;
}

function maskDigits(digits: string): string {
  if (digits.length <= HIDDEN_BELOW_OR_AT) return FULLY_HIDDEN;
  if (digits.length >= LONG_FORM_DIGITS) return reveal(digits, CARRIER_PREFIX_DIGITS, TAIL_DIGITS);
  const revealed = Math.min(2 * SHORT_END_DIGITS, Math.floor((digits.length - 1) / 2));
  const head = Math.ceil(revealed / 2);
  return reveal(digits, head, revealed - head);
}

/**
 * '+84912345678' -> '091*****78', '+842412345678' -> '024******78'. Anything that is not '+84'
 * followed by ASCII digits gives '***': the input may be something else entirely, and echoing it
 * would defeat the mask.
 */
export function maskNumber(e164: string): string {
  if (typeof e164 !== 'string') return FULLY_HIDDEN;
  const match = PLUS_84_DIGITS.exec(e164);
  if (match === null) return FULLY_HIDDEN;
  // Numbers outside the numbering plan (old or unallocated ranges) are still masked, in the form
  // they would be dialled.
  const national = nationalFormOf(e164) ?? `0${match[1] as string}`;
  return maskDigits(national);
}
