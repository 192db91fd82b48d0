import { createHash } from 'node:crypto';

/**
 * A UUID derived from a name (the version-5 layout over SHA-256 bits), so that processing the
 * same source message twice yields the same report id and downstream deduplication holds.
 */
export function uuidFromName(name: string): string {
  const bytes = createHash('sha256').update(`abuse-monitor:${name}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The report id of a hotline or API submission with this idempotency key: ingest derives it the
 * same way, so the API can answer with the id before the report is processed.
 */
export function submittedReportId(idempotencyKey: string): string {
  return uuidFromName(`submitted:key:${idempotencyKey}`);
}
