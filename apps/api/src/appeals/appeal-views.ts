import { z } from 'zod';
import type { AppealRow, AppealSummaryRow } from '@abuse-monitor/persistence';
import { APPEAL_CHANNELS, APPEAL_STATUSES, isAppealOverdue, TAKEN_ACTIONS } from '@abuse-monitor/domain';
import { recognised, recognisedOrNull, storedEnum } from '../http/stored-values';

/** The shapes appeals take in answers (decision 0064), and how rows become them. */

const time = z.string().describe('ISO 8601 UTC');

export const appealView = z.object({
  id: z.number().int(),
  version: z.number().int().describe('send it back as If-Match (or `version`) to decide the appeal'),
  flagId: z.number().int(),
  reportedNumber: z.string(),
  statement: z.string().describe('what the subscriber said, as the agent wrote it down'),
  channel: storedEnum(APPEAL_CHANNELS).describe('how the subscriber got in touch'),
  appealedAction: storedEnum(TAKEN_ACTIONS).nullable().describe('the action in force when the appeal came'),
  recordedBy: z.string(),
  receivedAt: time,
  dueAt: time.describe('a supervisor decides by then (APPEAL_SLA after receipt)'),
  overdue: z.boolean().describe('pending past dueAt'),
  status: storedEnum(APPEAL_STATUSES),
  decidedBy: z.string().nullable(),
  decidedAt: time.nullable(),
  note: z.string().nullable().describe("the supervisor's note with the decision"),
});
export type AppealView = z.input<typeof appealView>;

export function appealOf(row: AppealRow, now = Date.now()): AppealView {
  const status = recognised(APPEAL_STATUSES, row.status);
  return {
    id: Number(row.id),
    version: row.version,
    flagId: Number(row.flag_id),
    reportedNumber: row.reported_number,
    statement: row.statement,
    channel: recognised(APPEAL_CHANNELS, row.channel),
    appealedAction: recognisedOrNull(TAKEN_ACTIONS, row.appealed_action),
    recordedBy: row.recorded_by,
    receivedAt: row.received_at.toISOString(),
    dueAt: row.due_at.toISOString(),
    overdue: isAppealOverdue({ status: row.status, dueAt: row.due_at.getTime() }, now),
    status,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at?.toISOString() ?? null,
    note: row.note,
  };
}

/** What the queue shows of a flag's latest appeal. */
export const appealSummary = z
  .object({
    id: z.number().int(),
    status: storedEnum(APPEAL_STATUSES),
    receivedAt: time,
    dueAt: time,
    overdue: z.boolean(),
  })
  .describe("the flag's latest appeal (GET /api/v1/appeals/{id}); null when never appealed");

export function appealSummaryOf(row: AppealSummaryRow, now = Date.now()): z.input<typeof appealSummary> {
  return {
    id: Number(row.id),
    status: recognised(APPEAL_STATUSES, row.status),
    receivedAt: row.received_at.toISOString(),
    dueAt: row.due_at.toISOString(),
    overdue: isAppealOverdue({ status: row.status, dueAt: row.due_at.getTime() }, now),
  };
}

/** Adds each flag's latest appeal to the flags of a page, read in one statement. */
export async function withAppeals<T extends { id: number }>(
  items: readonly T[],
  latestForFlags: (ids: readonly string[]) => Promise<AppealSummaryRow[]>,
): Promise<(T & { appeal: z.input<typeof appealSummary> | null })[]> {
  const rows = await latestForFlags(items.map((item) => String(item.id)));
  const byFlag = new Map(rows.map((row) => [String(row.flag_id), appealSummaryOf(row)]));
  return items.map((item) => ({ ...item, appeal: byFlag.get(String(item.id)) ?? null }));
}
