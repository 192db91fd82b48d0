import { z } from 'zod';
import { ALLOWLIST_ENTRY_KINDS } from '@abuse-monitor/domain';
import type { AllowlistRow } from '@abuse-monitor/persistence';
import { isoDateTime } from '../http/common-schemas';

/** When a new or changed entry stops applying: a moment to come. */
export const allowlistExpiry = isoDateTime
  .refine((text) => Date.parse(text) > Date.now(), { message: 'must be in the future' })
  .describe('ISO 8601; the entry stops applying then (it stays listed until removed)');

export const entryView = z.object({
  id: z.number().int(),
  version: z.number().int(),
  kind: z.enum(ALLOWLIST_ENTRY_KINDS),
  pattern: z.string().describe('E.164 number, or the start of numbers for a prefix'),
  reason: z.string(),
  owner: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  expiresAt: z.string().nullable().describe('when the entry stops applying; null: until removed'),
  inForce: z
    .boolean()
    .describe('false once expiresAt has passed: listed until removed, but no longer applied'),
});

export type EntryView = z.input<typeof entryView>;

export const entryOf = (r: AllowlistRow): EntryView => ({
  id: Number(r.id),
  version: r.version,
  kind: r.kind,
  pattern: r.pattern,
  reason: r.reason,
  owner: r.owner,
  createdAt: r.created_at.toISOString(),
  createdBy: r.created_by,
  updatedAt: r.updated_at.toISOString(),
  updatedBy: r.updated_by,
  expiresAt: r.expires_at?.toISOString() ?? null,
  inForce: r.expires_at === null || r.expires_at.getTime() > Date.now(),
});
