import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { outcomeUnderQuota } from '@abuse-monitor/domain';
import { storableJson } from '../storable-text';

export const SUBMISSION_STATUSES = ['queued', 'held', 'released', 'refused'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

export interface AgentSubmission {
  id: string;
  /** The agent-scoped idempotency key, the key on reports.submitted. */
  submissionKey: string;
  agentId: string;
  reportId: string;
  status: SubmissionStatus;
  /** What the agent submitted, kept only while it needs a supervisor's decision and after it. */
  submission: Record<string, unknown> | null;
  submittedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  note: string | null;
}

interface SubmissionRow {
  id: string;
  submission_key: string;
  agent_id: string;
  report_id: string;
  status: SubmissionStatus;
  submission: Record<string, unknown> | null;
  submitted_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  note: string | null;
}

const submissionOf = (row: SubmissionRow): AgentSubmission => ({
  id: String(row.id),
  submissionKey: row.submission_key,
  agentId: row.agent_id,
  reportId: row.report_id,
  status: row.status,
  submission: row.submission,
  submittedAt: row.submitted_at,
  decidedBy: row.decided_by,
  decidedAt: row.decided_at,
  note: row.note,
});

export interface NewSubmission {
  submissionKey: string;
  agentId: string;
  reportId: string;
  submission: Record<string, unknown>;
}

export interface Admission {
  submission: AgentSubmission;
  /** False when the same key was submitted before: its first outcome stands. */
  fresh: boolean;
}

/** Hotline submissions as they enter through the API, counted per agent against the hourly quota. */
@Injectable()
export class AgentSubmissionsRepository {
  /**
   * Records a submission as queued, or held when the agent already made `perHour` submissions in
   * the last hour. The agent's submissions are counted under a lock on the agent, so a burst of
   * parallel calls cannot all slip in under the quota.
   */
  async admit(next: NewSubmission, perHour: number, manager: EntityManager): Promise<Admission> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('agent_submissions:' || $1, 0))`, [
      next.agentId,
    ]);
    const known: SubmissionRow[] = await manager.query(
      `SELECT * FROM agent_submissions WHERE submission_key = $1`,
      [next.submissionKey],
    );
    if (known.length > 0) return { submission: submissionOf(known[0]), fresh: false };
    const [{ recent }]: { recent: number }[] = await manager.query(
      `SELECT count(*)::int AS recent FROM agent_submissions
        WHERE agent_id = $1 AND submitted_at > now() - interval '1 hour'`,
      [next.agentId],
    );
    const status = outcomeUnderQuota(recent, perHour);
    const rows: SubmissionRow[] = await manager.query(
      `INSERT INTO agent_submissions (submission_key, agent_id, report_id, status, submission)
       VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING *`,
      [
        next.submissionKey,
        next.agentId,
        next.reportId,
        status,
        status === 'held' ? JSON.stringify(storableJson(next.submission)) : null,
      ],
    );
    return { submission: submissionOf(rows[0]), fresh: true };
  }

  /** Held submissions, oldest first, after the one with id `afterId`. */
  async held(afterId: string | null, limit: number, manager: EntityManager): Promise<AgentSubmission[]> {
    const rows: SubmissionRow[] = await manager.query(
      `SELECT * FROM agent_submissions
        WHERE status = 'held' AND ($1::bigint IS NULL OR id > $1::bigint)
        ORDER BY id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map(submissionOf);
  }

  /** The submission, locked for a decision; null when there is none with this id. */
  async lock(id: string, manager: EntityManager): Promise<AgentSubmission | null> {
    const rows: SubmissionRow[] = await manager.query(
      `SELECT * FROM agent_submissions WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ? submissionOf(rows[0]) : null;
  }

  async decide(
    id: string,
    status: 'released' | 'refused',
    decidedBy: string,
    note: string | null,
    manager: EntityManager,
  ): Promise<AgentSubmission> {
    const [rows]: [SubmissionRow[], number] = await manager.query(
      `UPDATE agent_submissions SET status = $2, decided_by = $3, decided_at = now(), note = $4
        WHERE id = $1 AND status = 'held' RETURNING *`,
      [id, status, decidedBy, note],
    );
    return submissionOf(rows[0]);
  }
}
