import { z } from 'zod';
import { REPORTER_STANDINGS } from '@abuse-monitor/domain';
import type { ReporterRow } from '@abuse-monitor/persistence';

export const reporterView = z.object({
  reporter: z.string(),
  standing: z.enum(REPORTER_STANDINGS),
  suspiciousSince: z.string().nullable(),
  clearedAt: z.string().nullable(),
  clearedBy: z.string().nullable(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  totalReports: z.number().int(),
});

const iso = (d: Date | null) => d?.toISOString() ?? null;
export const reporterOf = (r: ReporterRow): z.input<typeof reporterView> => ({
  reporter: r.reporter,
  standing: r.standing,
  suspiciousSince: iso(r.suspicious_since),
  clearedAt: iso(r.cleared_at),
  clearedBy: r.cleared_by,
  firstSeenAt: r.first_seen_at.toISOString(),
  lastSeenAt: r.last_seen_at.toISOString(),
  totalReports: Number(r.total_reports),
});
