/**
 * Who a reporter is: one Vietnamese subscriber, counted by one canonical E.164 number whichever
 * way it was written (docs/decisions/0026). A report counts only as much as its reporter is
 * somebody: a name, a foreign number or a service number would let one sender be many reporters.
 */
import { normalizeNumber, type NormalizedNumber } from './normalize-number';
import type { NumberType } from './vietnam-numbering-plan';

/** Subscribers who can send an SMS to 156/5656 or call the hotline: mobile and fixed lines. */
export const REPORTER_NUMBER_TYPES = ['mobile', 'fixed_line'] as const satisfies readonly NumberType[];

export type ReporterNumberResult =
  { readonly ok: true; readonly number: NormalizedNumber } | { readonly ok: false; readonly detail: string };

const isReporterNumberType = (type: NumberType) =>
  (REPORTER_NUMBER_TYPES as readonly string[]).includes(type);

/**
 * A reporter number as a person wrote it (a hotline agent typing what the caller said): any
 * notation normalizeNumber reads, of a Vietnamese mobile or fixed line.
 */
export function reporterNumber(written: string): ReporterNumberResult {
  const normalized = normalizeNumber(written);
  if (!normalized.ok)
    return { ok: false, detail: `not a Vietnamese subscriber number: ${normalized.detail}` };
  if (!isReporterNumberType(normalized.numberType))
    return { ok: false, detail: `a ${normalized.numberType} number is no subscriber` };
  return { ok: true, number: normalized };
}

/** How an SMS gateway writes an originating address: digits, perhaps after a '+'. */
const GATEWAY_ADDRESS = /^\+?[0-9]{1,20}$/;

/**
 * The sender of an SMS as the gateway gave it ('84912345678', '+84912345678', '0912345678'). A
 * machine wrote it, so only digits are read: an alphanumeric sender ('Alice') is a name any
 * bulk-SMS sender can choose, and spaces or invisible characters in an address mean someone
 * other than the gateway produced the message.
 */
export function smsSenderNumber(address: string): ReporterNumberResult {
  if (!GATEWAY_ADDRESS.test(address))
    return { ok: false, detail: 'the sender address is not a phone number (digits, perhaps after +)' };
  return reporterNumber(address);
}
