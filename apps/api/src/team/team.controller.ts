import { Controller } from '@nestjs/common';
import { z } from 'zod';
import { hasPermission, ROLES, SEVERITIES, type Role } from '@abuse-monitor/domain';
import { TeamRepository } from '@abuse-monitor/persistence';
import { defineEndpoint, Endpoint } from '../http/endpoint';
import { recognised, storedEnum } from '../http/stored-values';
import { iso } from '../flags/flag-views';

/** How many of one holder's flags the team view lists; the totals count them all. */
export const FLAGS_LISTED_PER_HOLDER = 50;

const time = z.string().describe('ISO 8601 UTC');

/** The roles whose tokens may be handed flags: those that may act on them. */
const REVIEWER_ROLES: readonly Role[] = ROLES.filter((role) => hasPermission(role, 'flags:act'));

const workload = {
  inReview: z.number().int().describe('flags in review held now'),
  overdue: z.number().int().describe('of those, past their review SLA'),
  oldestSlaStartedAt: time.nullable().describe('the longest-running SLA clock among them'),
};

export const listReviewers = defineEndpoint({
  operationId: 'listReviewers',
  method: 'get',
  path: '/api/v1/reviewers',
  tag: 'team',
  summary: 'Who may be assigned flags (live tokens of analysts, supervisors and admins), with their workload',
  description: 'Least loaded first. `name` is what POST /api/v1/flags/{id}/assign takes as `assignee`.',
  permission: 'flags:reassign',
  response: z.object({
    items: z.array(
      z.object({
        name: z.string(),
        role: z.enum(ROLES),
        lastUsedAt: time.nullable().describe('to the minute: whether they are at work'),
        ...workload,
      }),
    ),
  }),
});

export const teamView = defineEndpoint({
  operationId: 'teamView',
  method: 'get',
  path: '/api/v1/team',
  tag: 'team',
  summary: 'Who holds what and what is overdue: flags in review by holder, and the unassigned queue',
  description:
    `Each holder lists up to ${FLAGS_LISTED_PER_HOLDER} flags, overdue first, then the longest held. A holder ` +
    'with `canReview: false` has no live reviewer token any more: hand their flags over.',
  permission: 'flags:reassign',
  response: z.object({
    holders: z.array(
      z.object({
        name: z.string(),
        canReview: z.boolean().describe('false: the token was revoked or expired, or its role cannot act'),
        ...workload,
        flags: z.array(
          z.object({
            id: z.number().int(),
            version: z.number().int(),
            reportedNumber: z.string(),
            severity: storedEnum(SEVERITIES),
            slaStartedAt: time,
            overdueSince: time.nullable(),
          }),
        ),
      }),
    ),
    unassigned: z.object({
      open: z.number().int(),
      overdue: z.number().int().describe('open flags past their SLA: high ones nobody claimed'),
      oldestSlaStartedAt: time.nullable(),
    }),
    listedPerHolder: z.number().int(),
  }),
});

/** What supervisors need to share the work (issue 19). */
@Controller()
export class TeamController {
  constructor(private readonly team: TeamRepository) {}

  @Endpoint(listReviewers)
  async reviewers() {
    const rows = await this.team.reviewers(REVIEWER_ROLES);
    return {
      items: rows.map((row) => ({
        name: row.name,
        role: row.role,
        lastUsedAt: iso(row.last_used_at),
        inReview: row.in_review,
        overdue: row.overdue,
        oldestSlaStartedAt: iso(row.oldest_sla_started_at),
      })),
    };
  }

  @Endpoint(teamView)
  async view() {
    const [reviewers, held, unassigned] = await Promise.all([
      this.team.reviewers(REVIEWER_ROLES),
      this.team.held(FLAGS_LISTED_PER_HOLDER),
      this.team.unassigned(),
    ]);
    const live = new Set(reviewers.map((r) => r.name));
    const holders = new Map<string, z.input<typeof teamView.response>['holders'][number]>();
    for (const row of held) {
      const holder = holders.get(row.assignee) ?? {
        name: row.assignee,
        canReview: live.has(row.assignee),
        inReview: row.held,
        overdue: row.held_overdue,
        oldestSlaStartedAt: null,
        flags: [],
      };
      holder.flags.push({
        id: Number(row.id),
        version: row.sequence,
        reportedNumber: row.reported_number,
        severity: recognised(SEVERITIES, row.severity),
        slaStartedAt: row.sla_started_at.toISOString(),
        overdueSince: iso(row.overdue_since),
      });
      holders.set(row.assignee, holder);
    }
    for (const r of reviewers) {
      const holder = holders.get(r.name);
      if (holder) holder.oldestSlaStartedAt = iso(r.oldest_sla_started_at);
      else
        holders.set(r.name, {
          name: r.name,
          canReview: true,
          inReview: 0,
          overdue: 0,
          oldestSlaStartedAt: null,
          flags: [],
        });
    }
    // The oldest clock of a holder without a live token comes from the flags listed (overdue first).
    for (const holder of holders.values())
      if (!holder.canReview && holder.flags.length > 0)
        holder.oldestSlaStartedAt = holder.flags.map((f) => f.slaStartedAt).sort()[0];
    return {
      // Overdue work first, then the most loaded: what a supervisor looks at first.
      holders: [...holders.values()].sort(
        (a, b) => b.overdue - a.overdue || b.inReview - a.inReview || a.name.localeCompare(b.name),
      ),
      unassigned: {
        open: unassigned.open,
        overdue: unassigned.overdue,
        oldestSlaStartedAt: iso(unassigned.oldest_sla_started_at),
      },
      listedPerHolder: FLAGS_LISTED_PER_HOLDER,
    };
  }
}
