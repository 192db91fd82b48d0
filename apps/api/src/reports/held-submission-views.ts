import { z } from 'zod';
import { maskNumber } from '@abuse-monitor/domain';
import type { AgentSubmission } from '@abuse-monitor/persistence';

export type HeldSubmissionView = z.input<typeof heldSubmissionView>;

const time = z.string().describe('ISO 8601 UTC');
const text = (value: unknown) => (typeof value === 'string' ? value : null);

export const heldSubmissionView = z.object({
  id: z.number().int(),
  agentId: z.string().describe('the agent whose token submitted it'),
  reportId: z.string().describe('the id the report gets once released'),
  status: z.enum(['held', 'released', 'refused']),
  heldAt: time,
  reporter: z.string().nullable().describe('as the agent typed it; masked without reporters:unmasked'),
  reportedNumber: z.string().nullable(),
  kind: z.string().nullable(),
  category: z.string().nullable(),
  description: z.string().nullable(),
  callTakenAt: z.string().nullable().describe("the submission's submittedAt, as the agent sent it"),
  decidedBy: z.string().nullable(),
  decidedAt: time.nullable(),
  note: z.string().nullable(),
});

export function viewOf(held: AgentSubmission, unmasked: boolean): z.input<typeof heldSubmissionView> {
  const body = held.submission ?? {};
  const reporter = text(body.reporter);
  return {
    id: Number(held.id),
    agentId: held.agentId,
    reportId: held.reportId,
    // Only held submissions are ever read here; a queued one never had a decision to make.
    status: held.status === 'queued' ? 'released' : held.status,
    heldAt: held.submittedAt.toISOString(),
    reporter: reporter === null || unmasked ? reporter : maskNumber(reporter),
    reportedNumber: text(body.reportedNumber),
    kind: text(body.kind),
    category: text(body.category),
    description: text(body.description),
    callTakenAt: text(body.submittedAt),
    decidedBy: held.decidedBy,
    decidedAt: held.decidedAt?.toISOString() ?? null,
    note: held.note,
  };
}

