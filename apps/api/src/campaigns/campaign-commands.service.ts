import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  actOnFlag,
  allowlistEntryFor,
  campaignCommandRefusal,
  dismissFlag,
  isRole,
  mayUndoDecision,
  reopenFlag,
  statusAfterDecision,
  TAKEN_ACTIONS,
  takenActionOf,
  type CampaignCommand,
  type CampaignDecision,
  type CampaignStatus,
  type FlagTransition,
} from '@abuse-monitor/domain';
import { TopicNames } from '@abuse-monitor/messaging';
import {
  AllowlistRepository,
  AuditActor,
  AuditLogRepository,
  campaignChange,
  CampaignChange,
  CampaignRow,
  CampaignsRepository,
  enqueueOutbox,
  flagFromRow,
  FlagsRepository,
  OutboxRelayService,
  Transactions,
} from '@abuse-monitor/persistence';
import { Metrics } from '@abuse-monitor/observability';
import { ApiProblem, notFound } from '../http/problem';
import { API_TOPICS } from '../api.tokens';

export interface CampaignCaller {
  actor: AuditActor;
  /** Supervisors: may take over a campaign someone else reviews. */
  mayOverride: boolean;
}

/** What one decision did to each member flag, for its answer. */
export interface CampaignDecisionOutcome {
  changed: { reportedNumber: string; flagId: string; version: number; eventId: string | null }[];
  unchanged: { reportedNumber: string; flagId: string; reason: string }[];
}

/** The audit actions that close a flag or a campaign: the decisions a reopening undoes. */
const FLAG_CLOSING_ACTIONS = ['dismiss', ...TAKEN_ACTIONS].map((action) => `flag.${action}`);
const CAMPAIGN_CLOSING_ACTIONS = ['campaign.actioned', 'campaign.dismissed'];

/**
 * What people do to campaigns (decision 0054). Each command is one transaction: lock the campaign,
 * check the version read (409 otherwise), and store the campaign, its history row and event, and
 * its audit entry together. A decision also locks every member flag (in number order, as the
 * aggregator does) and applies the flag's own command to each, with the flag's own history row,
 * subscriber.flags event (carrying the campaign id) and audit entry.
 */
@Injectable()
export class CampaignCommandsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly campaigns: CampaignsRepository,
    private readonly flags: FlagsRepository,
    private readonly allowlist: AllowlistRepository,
    private readonly audit: AuditLogRepository,
    private readonly relay: OutboxRelayService,
    private readonly metrics: Metrics,
    @Inject(API_TOPICS) private readonly topics: TopicNames,
  ) {}

  async claim(id: string, version: number, caller: CampaignCaller): Promise<void> {
    await this.command(id, version, caller, 'claim', async (m, campaign, at) => {
      await this.campaigns.setStatus(m, id, {
        status: 'in_review',
        assignee: caller.actor.name,
        takenAction: campaign.taken_action,
        actionedAt: null,
      });
      return { change: 'claimed', toStatus: 'in_review', at };
    });
  }

  async decide(
    id: string,
    version: number,
    decision: CampaignDecision,
    details: { reasonCode: string; note: string | null },
    caller: CampaignCaller,
  ): Promise<CampaignDecisionOutcome> {
    const outcome: CampaignDecisionOutcome = { changed: [], unchanged: [] };
    await this.command(id, version, caller, 'decide', async (m, campaign, at) => {
      const rows = await this.campaigns.lockMemberFlags(m, id);
      const allowlisted = await this.allowlist.entries(m);
      const transitions: FlagTransition[] = [];
      for (const row of rows) {
        const flag = flagFromRow(row);
        const entry = decision === 'dismiss' ? null : allowlistEntryFor(flag.reportedNumber, allowlisted);
        if (entry) {
          outcome.unchanged.push({
            reportedNumber: flag.reportedNumber,
            flagId: String(row.id),
            reason: `on the allowlist (${entry.kind} ${entry.pattern}): nobody acts on it`,
          });
          continue;
        }
        const command = {
          analyst: caller.actor.name,
          at,
          note: details.note,
          reasonCode: details.reasonCode,
        };
        const result =
          decision === 'dismiss'
            ? dismissFlag(flag, command)
            : actOnFlag(flag, { ...command, action: decision });
        if (!result.ok) {
          outcome.unchanged.push({
            reportedNumber: flag.reportedNumber,
            flagId: String(row.id),
            reason: result.refusal.message,
          });
          continue;
        }
        const t = result.transition;
        transitions.push({ ...t, event: t.event && { ...t.event, campaignId: id } });
        outcome.changed.push({
          reportedNumber: flag.reportedNumber,
          flagId: String(row.id),
          version: t.state.sequence,
          eventId: t.event?.eventId ?? null,
        });
        await this.audit.append(
          caller.actor,
          {
            action: `flag.${decision}`,
            targetType: 'flag',
            targetId: String(row.id),
            before: flag,
            after: { ...t.state, reasonCode: details.reasonCode, campaignId: id },
          },
          m,
        );
      }
      await this.flags.saveTransitions(m, transitions, this.topics.subscriberFlags);
      for (const t of transitions)
        this.metrics.get('flagChanges').inc({ change: t.historyEntry.change, severity: t.state.severity });
      const status = statusAfterDecision(decision);
      const takenAction = takenActionOf(decision);
      await this.campaigns.setStatus(m, id, {
        status,
        assignee: campaign.assignee,
        takenAction,
        actionedAt: at,
      });
      return {
        change: status === 'actioned' ? 'actioned' : 'dismissed',
        toStatus: status,
        at,
        takenAction,
        note: details.note,
        details: {
          reasonCode: details.reasonCode,
          flagsChanged: outcome.changed.length,
          flagsUnchanged: outcome.unchanged.length,
        },
      };
    });
    if (decision !== 'dismiss') {
      const campaign = await this.campaigns.byId(id);
      if (campaign)
        this.metrics
          .get('campaignTimeToAction')
          .observe(Math.max(Date.now() - campaign.first_seen_at.getTime(), 0) / 1000);
    }
    return outcome;
  }

  /**
   * Reopens an actioned or dismissed campaign and every member flag its decision closed (decision
   * 0063), each as the flag's own reopen: history row, audit entry and subscriber.flags event with
   * the campaign id. As for a flag, a supervisor's decision is undone only by a supervisor: the
   * campaign's own (refused whole) and each member's (that member is left as it is, named in
   * `unchanged`). Members not actioned or dismissed are left too: the campaign's decision did not
   * close them. Reopened, the campaign is no longer matched against next SIMs.
   */
  async reopen(
    id: string,
    version: number,
    details: { reasonCode: string; note: string | null },
    caller: CampaignCaller,
  ): Promise<CampaignDecisionOutcome> {
    const outcome: CampaignDecisionOutcome = { changed: [], unchanged: [] };
    await this.command(id, version, caller, 'reopen', async (m, campaign, at) => {
      const decision = await this.audit.latestActorOf(
        { type: 'campaign', id, actions: CAMPAIGN_CLOSING_ACTIONS },
        m,
      );
      if (!this.mayUndo(decision, caller))
        throw new ApiProblem(
          'forbidden',
          `${decision?.actor ?? 'a supervisor'} (${decision?.role ?? 'unknown role'}) ${campaign.status === 'dismissed' ? 'dismissed' : 'acted on'} this campaign; only a supervisor can reopen it`,
        );
      const transitions: FlagTransition[] = [];
      for (const row of await this.campaigns.lockMemberFlags(m, id)) {
        const flag = flagFromRow(row);
        const flagId = String(row.id);
        if (flag.status !== 'actioned' && flag.status !== 'dismissed') {
          outcome.unchanged.push({
            reportedNumber: flag.reportedNumber,
            flagId,
            reason: `the flag is ${flag.status}: nothing to reopen`,
          });
          continue;
        }
        const closedBy = await this.audit.latestActorOf(
          { type: 'flag', id: flagId, actions: FLAG_CLOSING_ACTIONS },
          m,
        );
        if (!this.mayUndo(closedBy, caller)) {
          outcome.unchanged.push({
            reportedNumber: flag.reportedNumber,
            flagId,
            reason: `${closedBy?.actor ?? 'a supervisor'} (${closedBy?.role ?? 'unknown role'}) closed this flag; only a supervisor can reopen it`,
          });
          continue;
        }
        const result = reopenFlag(flag, {
          analyst: caller.actor.name,
          at,
          note: details.note,
          reasonCode: details.reasonCode,
        });
        if (!result.ok) {
          outcome.unchanged.push({
            reportedNumber: flag.reportedNumber,
            flagId,
            reason: result.refusal.message,
          });
          continue;
        }
        const t = result.transition;
        transitions.push({ ...t, event: t.event && { ...t.event, campaignId: id } });
        outcome.changed.push({
          reportedNumber: flag.reportedNumber,
          flagId,
          version: t.state.sequence,
          eventId: t.event?.eventId ?? null,
        });
        await this.audit.append(
          caller.actor,
          {
            action: 'flag.reopen',
            targetType: 'flag',
            targetId: flagId,
            before: flag,
            after: { ...t.state, reasonCode: details.reasonCode, campaignId: id },
          },
          m,
        );
      }
      await this.flags.saveTransitions(m, transitions, this.topics.subscriberFlags);
      for (const t of transitions)
        this.metrics.get('flagChanges').inc({ change: t.historyEntry.change, severity: t.state.severity });
      // The action taken stays on record, as a reopened flag keeps its last action.
      await this.campaigns.setStatus(m, id, {
        status: 'open',
        assignee: null,
        takenAction: campaign.taken_action,
        actionedAt: campaign.actioned_at?.getTime() ?? null,
      });
      return {
        change: 'reopened',
        toStatus: 'open',
        at,
        takenAction: null,
        note: details.note,
        details: {
          reasonCode: details.reasonCode,
          flagsChanged: outcome.changed.length,
          flagsUnchanged: outcome.unchanged.length,
        },
      };
    });
    return outcome;
  }

  private mayUndo(decision: { role: string | null } | null, caller: CampaignCaller): boolean {
    const decidedBy = decision && isRole(decision.role) ? decision.role : null;
    return isRole(caller.actor.role) && mayUndoDecision(decidedBy, caller.actor.role);
  }

  /** Supervisors: a number leaves the campaign, and the grouping never puts it back with these members. */
  async removeMember(id: string, version: number, number: string, caller: CampaignCaller): Promise<void> {
    await this.command(id, version, caller, 'remove_member', async (m, campaign, at) => {
      const members = (await this.campaigns.members(id)).map((row) => row.reported_number);
      if (!members.includes(number))
        throw new ApiProblem('state-conflict', `${number} is not a member of campaign ${id}`);
      await this.campaigns.recordOverride(m, {
        kind: 'remove_member',
        numbers: [number],
        other_numbers: members.filter((member) => member !== number),
        campaign_id: id,
        decided_by: caller.actor.name,
        decided_at: at,
      });
      await this.campaigns.removeMembers(m, [number]);
      await this.campaigns.refreshFingerprints(m, [id]);
      await this.bumpVersion(m, campaign);
      return {
        change: 'member_removed',
        toStatus: campaign.status,
        at,
        left: [number],
        memberCount: members.length - 1,
      };
    });
  }

  /** Supervisors: the other campaigns' members join this one, and the grouping keeps them together. */
  async merge(id: string, version: number, others: readonly string[], caller: CampaignCaller): Promise<void> {
    await this.command(id, version, caller, 'merge', async (m, campaign, at) => {
      const locked = await this.campaigns.lockMany(m, others);
      if (locked.length !== new Set(others).size) throw notFound(`campaign ${others.join(', ')}`);
      const moving: string[] = [];
      for (const other of locked) {
        const refusal = campaignCommandRefusal(other.status, 'merge');
        if (refusal) throw new ApiProblem('state-conflict', `campaign ${other.id}: ${refusal.message}`);
        const members = await this.campaigns.members(String(other.id));
        moving.push(...members.map((row) => row.reported_number));
        await this.campaigns.putMembers(
          m,
          members.map((row) => ({
            reportedNumber: row.reported_number,
            campaignId: id,
            flagId: String(row.flag_id),
            evidence: { ...row.evidence, mergedBySupervisor: true, mergedFrom: String(other.id) },
            joinedAt: at,
            joinedBy: caller.actor.name,
          })),
        );
        await this.campaigns.setStatus(m, String(other.id), {
          status: 'merged',
          assignee: other.assignee,
          takenAction: other.taken_action,
          actionedAt: other.actioned_at?.getTime() ?? null,
          mergedInto: id,
        });
        await this.record(m, other, caller, 'merged', 'merged', at, {
          left: members.map((r) => r.reported_number),
          mergedInto: id,
        });
      }
      const current = (await this.campaigns.members(id)).map((row) => row.reported_number);
      await this.campaigns.recordOverride(m, {
        kind: 'merge',
        numbers: current,
        other_numbers: [],
        campaign_id: id,
        decided_by: caller.actor.name,
        decided_at: at,
      });
      // The merged ones are left with no members: their count and fingerprints must say so too.
      const counts = await this.campaigns.refreshFingerprints(m, [
        id,
        ...locked.map((other) => String(other.id)),
      ]);
      await this.bumpVersion(m, campaign);
      return {
        change: 'members_changed',
        toStatus: campaign.status,
        at,
        joined: moving,
        memberCount: counts.get(id) ?? current.length,
        details: { mergedFrom: [...others] },
      };
    });
  }

  /** Supervisors: these members leave for a new campaign, and the grouping keeps the two sides apart. */
  async split(
    id: string,
    version: number,
    numbers: readonly string[],
    caller: CampaignCaller,
  ): Promise<string> {
    let created = '';
    await this.command(id, version, caller, 'split', async (m, campaign, at) => {
      const members = await this.campaigns.members(id);
      const leaving = members.filter((row) => numbers.includes(row.reported_number));
      const staying = members.filter((row) => !numbers.includes(row.reported_number));
      if (leaving.length !== new Set(numbers).size)
        throw new ApiProblem('state-conflict', `every number split off must be a member of campaign ${id}`);
      if (staying.length === 0)
        throw new ApiProblem('state-conflict', 'a split must leave at least one member in the campaign');
      created = await this.campaigns.create(
        m,
        {
          severity: campaign.severity,
          severityReason: `split from campaign ${id}`,
          rulesVersion: campaign.rules_version,
          memberCount: leaving.length,
          distinctReporters: 0,
          carriers: campaign.carriers,
          firstSeenAt: campaign.first_seen_at.getTime(),
          lastSeenAt: campaign.last_seen_at.getTime(),
          fingerprints: [],
        },
        at,
      );
      await this.campaigns.putMembers(
        m,
        leaving.map((row) => ({
          reportedNumber: row.reported_number,
          campaignId: created,
          flagId: String(row.flag_id),
          evidence: { ...row.evidence, splitFrom: id },
          joinedAt: at,
          joinedBy: caller.actor.name,
        })),
      );
      await this.campaigns.recordOverride(m, {
        kind: 'split',
        numbers: leaving.map((row) => row.reported_number),
        other_numbers: staying.map((row) => row.reported_number),
        campaign_id: id,
        decided_by: caller.actor.name,
        decided_at: at,
      });
      await this.campaigns.refreshFingerprints(m, [id, created]);
      const fresh = (await this.campaigns.lockMany(m, [created]))[0] as CampaignRow;
      await this.record(m, fresh, caller, 'opened', 'open', at, {
        joined: leaving.map((row) => row.reported_number),
        details: { splitFrom: id },
      });
      await this.bumpVersion(m, campaign);
      return {
        change: 'split',
        toStatus: campaign.status,
        at,
        left: leaving.map((row) => row.reported_number),
        memberCount: staying.length,
        details: { newCampaignId: created },
      };
    });
    return created;
  }

  /** A grouping decision changes the campaign as a person read it: the version moves on. */
  private async bumpVersion(m: EntityManager, campaign: CampaignRow): Promise<void> {
    await this.campaigns.setStatus(m, String(campaign.id), {
      status: campaign.status,
      assignee: campaign.assignee,
      takenAction: campaign.taken_action,
      actionedAt: campaign.actioned_at?.getTime() ?? null,
    });
  }

  private async record(
    m: EntityManager,
    campaign: CampaignRow,
    caller: CampaignCaller,
    change: CampaignChange['change'],
    toStatus: CampaignStatus,
    at: number,
    extra: Partial<CampaignChange>,
  ): Promise<void> {
    const id = String(campaign.id);
    const sequence = ((await this.campaigns.lastSequences(m, [id])).get(id) ?? 0) + 1;
    const { history, outbox } = campaignChange(this.topics.subscriberCampaigns, {
      campaignId: id,
      sequence,
      change,
      fromStatus: campaign.status,
      toStatus,
      severity: campaign.severity,
      memberCount: campaign.member_count,
      actor: caller.actor.name,
      at,
      ...extra,
    });
    await this.campaigns.appendHistory(m, [history]);
    if (outbox) await enqueueOutbox([outbox], m);
    await this.audit.append(
      caller.actor,
      {
        action: `campaign.${change}`,
        targetType: 'campaign',
        targetId: id,
        before: { status: campaign.status, version: campaign.version },
        after: { status: toStatus, ...history.details },
      },
      m,
    );
    this.metrics.get('campaignChanges').inc({ change });
  }

  private async command(
    id: string,
    version: number,
    caller: CampaignCaller,
    command: CampaignCommand,
    work: (
      m: EntityManager,
      campaign: CampaignRow,
      at: number,
    ) => Promise<
      Partial<CampaignChange> & { change: CampaignChange['change']; toStatus: CampaignStatus; at: number }
    >,
  ): Promise<void> {
    await this.transactions.run(async (m) => {
      const campaign = await this.campaigns.lockById(m, id);
      if (campaign === null) throw notFound(`campaign ${id}`);
      if (campaign.version !== version)
        throw new ApiProblem(
          'version-conflict',
          `the campaign is at version ${campaign.version}, you sent ${version}: reload it and decide again`,
          { currentVersion: campaign.version },
        );
      if (campaign.status === 'in_review' && campaign.assignee !== caller.actor.name && !caller.mayOverride)
        throw new ApiProblem(
          'forbidden',
          `${campaign.assignee} is reviewing this campaign; only they or a supervisor can change it`,
        );
      const refusal = campaignCommandRefusal(campaign.status, command);
      if (refusal) throw new ApiProblem('state-conflict', refusal.message);
      const { change, toStatus, at, ...extra } = await work(m, campaign, Date.now());
      await this.record(m, campaign, caller, change, toStatus, at, extra);
    });
    this.relay.wake();
  }
}
