import { z } from 'zod';
import { ALLOWLIST_ENTRY_KINDS } from '@abuse-monitor/domain';
import type { AllowlistRow } from '@abuse-monitor/persistence';

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
});
