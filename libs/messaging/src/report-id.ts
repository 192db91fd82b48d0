import { hash } from 'node:crypto';

const HEX = '0123456789abcdef';

/**
 * A UUID derived from a name (the version-5 layout over SHA-256 bits), so that processing the
 * same source message twice yields the same report id and downstream deduplication holds.
 * Ingest derives two per message: the one-shot digest to hex costs a tenth of a Hash object's
 * update and digest, and the ids must never change (report-id.spec.ts pins them).
 */
export function uuidFromName(name: string): string {
  const hex = hash('sha256', `abuse-monitor:${name}`, 'hex');
  // Byte 6's high nibble is the version (5); byte 8's top two bits the variant (10).
  const variant = HEX[(parseInt(hex[16], 16) & 0x3) | 0x8];
  return (
    `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-` +
    `${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
  );
}

/**
 * The report id of a hotline or API submission with this idempotency key: ingest derives it the
 * same way, so the API can answer with the id before the report is processed.
 */
export function submittedReportId(idempotencyKey: string): string {
  return uuidFromName(`submitted:key:${idempotencyKey}`);
}
