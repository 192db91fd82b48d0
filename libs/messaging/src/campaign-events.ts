import { z } from 'zod';
import { CAMPAIGN_STATUSES, SEVERITIES, TAKEN_ACTIONS } from '@abuse-monitor/domain';
import { eventTime, singleLine } from './message-fields';

/** What happened to a campaign: every history row but a claim, which matters to the team only. */
export const CAMPAIGN_EVENT_TYPES = [
  'opened',
  'members_changed',
  'actioned',
  'dismissed',
  'reopened',
  'merged',
  'split',
  'member_removed',
] as const;
export type CampaignEventType = (typeof CAMPAIGN_EVENT_TYPES)[number];

const campaignId = z.string().regex(/^[1-9][0-9]{0,18}$/, 'must be a campaign id');
const number = z.string().regex(/^\+84\d{3,11}$/, 'must be a Vietnamese number in E.164 (+84...)');

/** Deterministic, like a flag's: the same campaign and sequence always give the same id. */
export function campaignEventId(id: string, sequence: number): string {
  return `campaign:${id}:${sequence}`;
}

/**
 * subscriber.campaigns, keyed by the campaign id: one change of a campaign, for the operator's
 * other systems (decision 0054). Each member flag's own change goes to subscriber.flags with the
 * campaign id on it; this topic says what happened to the campaign as a whole.
 */
export const campaignEventSchema = z
  .object({
    /** Unique per change ('campaign:12:3'); consumers drop repeats by it. */
    eventId: singleLine(64),
    type: z.enum(CAMPAIGN_EVENT_TYPES),
    campaignId,
    sequence: z.number().int().positive(),
    occurredAt: eventTime,
    status: z.enum(CAMPAIGN_STATUSES),
    severity: z.enum(SEVERITIES),
    memberCount: z.number().int().min(0),
    /** Numbers that joined and left with this change (capped at 1,000 each). */
    joined: z.array(number).max(1_000),
    left: z.array(number).max(1_000),
    takenAction: z.enum(TAKEN_ACTIONS).nullable(),
    /** The campaign this one was merged into, for 'merged'. */
    mergedInto: campaignId.nullable(),
    /** A person's token name, or 'scheduler' for the grouping. */
    actor: singleLine(128),
  })
  .strict()
  .refine((e) => e.eventId === campaignEventId(e.campaignId, e.sequence), {
    path: ['eventId'],
    message: 'must be campaign:<campaignId>:<sequence>',
  });

export type CampaignEventMessage = z.input<typeof campaignEventSchema>;

export function campaignEventRecord(
  topic: string,
  event: CampaignEventMessage,
): { topic: string; key: string; payload: string } {
  return { topic, key: event.campaignId, payload: JSON.stringify(event) };
}
