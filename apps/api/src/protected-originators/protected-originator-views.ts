import { z } from 'zod';
import { PROTECTED_ORIGINATOR_KINDS } from '@abuse-monitor/domain';
import type { ProtectedOriginatorRow } from '@abuse-monitor/persistence';

export const protectedOriginatorView = z.object({
  id: z.number().int(),
  version: z.number().int(),
  number: z.string().describe('E.164'),
  name: z.string().describe('who owns the number, as people know it: "Vietcombank hotline"'),
  kind: z.enum(PROTECTED_ORIGINATOR_KINDS),
  reason: z.string(),
  createdAt: z.string(),
  createdBy: z.string().describe('a token name, or PROTECTED_NUMBERS for an entry the migrate step seeded'),
  updatedAt: z.string(),
  updatedBy: z.string(),
});

export type ProtectedOriginatorView = z.input<typeof protectedOriginatorView>;

export const protectedOriginatorOf = (r: ProtectedOriginatorRow): ProtectedOriginatorView => ({
  id: Number(r.id),
  version: r.version,
  number: r.number,
  name: r.name,
  kind: r.kind,
  reason: r.reason,
  createdAt: r.created_at.toISOString(),
  createdBy: r.created_by,
  updatedAt: r.updated_at.toISOString(),
  updatedBy: r.updated_by,
});
