/**
 * How a reporter's number is shown to people below supervisor: enough to tell reporters apart and
 * to recognise a carrier, not enough to call them back.
 */
import { nationalFormOf } from '../numbering/normalize-number';

const MASK = '***';
/**
 * National forms this long or longer (mobile and fixed-line numbers) keep their first 4 digits
 * (trunk 0 and prefix) and last 3; shorter ones (1800 and 1900 numbers) would show too much so.
 */
const LONG_FORM_DIGITS = 10;
const LONG_HEAD = 4;
const LONG_TAIL = 3;
/** Shorter forms keep at most this many digits at each end, and never more than half in all. */
const SHORT_END_DIGITS = 2;
/** At or below this many digits nothing is revealed. */
const HIDDEN_BELOW_OR_AT = 4;

const PLUS_84_DIGITS = /^\+84([0-9]+)$/;

function maskDigits(digits: string): string {
  if (digits.length <= HIDDEN_BELOW_OR_AT) return MASK;
  if (digits.length >= LONG_FORM_DIGITS) {
    return `${digits.slice(0, LONG_HEAD)}${MASK}${digits.slice(-LONG_TAIL)}`;
  }
  const revealed = Math.min(2 * SHORT_END_DIGITS, Math.floor(digits.length / 2));
  const head = Math.ceil(revealed / 2);
  const tail = revealed - head;
  return `${digits.slice(0, head)}${MASK}${tail === 0 ? '' : digits.slice(-tail)}`;
}

/**
 * '+84912345678' -> '0912***678', '+842412345678' -> '0241***678'. Anything that is not '+84'
 * followed by ASCII digits gives '***': the input may be something else entirely, and echoing it
 * would defeat the mask.
 */
export function maskNumber(e164: string): string {
  if (typeof e164 !== 'string') return MASK;
  const match = PLUS_84_DIGITS.exec(e164);
  if (match === null) return MASK;
  // Numbers outside the numbering plan (old or unallocated ranges) are still masked, in the form
  // they would be dialled.
  const national = nationalFormOf(e164) ?? `0${match[1] as string}`;
  return maskDigits(national);
}
