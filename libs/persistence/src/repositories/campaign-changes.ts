import type { CampaignStatus, Severity } from '@abuse-monitor/domain';
import { campaignEventId, campaignEventRecord, type CampaignEventType } from '@abuse-monitor/messaging';
import type { OutboxMessage } from '../outbox.repository';
import type { CampaignHistoryToAppend } from './campaigns.repository';

/** Members an event names, at most: a campaign of thousands is described by its count beyond that. */
const EVENT_MEMBERS_CAP = 1_000;

export interface CampaignChange {
  campaignId: string;
  sequence: number;
  /** 'claimed' is history only; every other change is also an event on subscriber.campaigns. */
  change: CampaignEventType | 'claimed';
  fromStatus: CampaignStatus;
  toStatus: CampaignStatus;
  severity: Severity;
  memberCount: number;
  joined?: readonly string[];
  left?: readonly string[];
  takenAction?: string | null;
  mergedInto?: string | null;
  actor: string;
  note?: string | null;
  details?: Record<string, unknown>;
  at: number;
}

/**
 * One change of a campaign as its history row and, unless history only, its event through the
 * outbox: written in the same transaction, so a campaign never changes without its event.
 */
export function campaignChange(
  topic: string,
  c: CampaignChange,
): { history: CampaignHistoryToAppend; outbox: OutboxMessage | null } {
  const joined = [...(c.joined ?? [])];
  const left = [...(c.left ?? [])];
  const eventId = c.change === 'claimed' ? null : campaignEventId(c.campaignId, c.sequence);
  const outbox =
    c.change === 'claimed' || eventId === null
      ? null
      : campaignEventRecord(topic, {
          eventId,
          type: c.change,
          campaignId: c.campaignId,
          sequence: c.sequence,
          occurredAt: new Date(c.at).toISOString(),
          status: c.toStatus,
          severity: c.severity,
          memberCount: c.memberCount,
          joined: joined.slice(0, EVENT_MEMBERS_CAP),
          left: left.slice(0, EVENT_MEMBERS_CAP),
          takenAction: (c.takenAction ?? null) as never,
          mergedInto: c.mergedInto ?? null,
          actor: c.actor,
        });
  return {
    history: {
      campaign_id: c.campaignId,
      sequence: c.sequence,
      change: c.change,
      from_status: c.fromStatus,
      to_status: c.toStatus,
      actor: c.actor,
      note: c.note ?? null,
      details: { joined, left, memberCount: c.memberCount, severity: c.severity, ...(c.details ?? {}) },
      event_id: eventId,
      occurred_at: c.at,
    },
    outbox,
  };
}
