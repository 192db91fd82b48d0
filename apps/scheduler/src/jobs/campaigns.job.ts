import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  countWindows,
  decodeStoredFingerprints,
  DEFAULT_CAMPAIGN_RULES,
  fingerprint,
  fingerprintTexts,
  flagNextSim,
  groupCampaigns,
  indexActionedCampaigns,
  matchNextSim,
  matchStoredCampaigns,
  MAX_NUMBERS_PER_SHARED_REPORTER,
  numberBlockRange,
  overrideFromStored,
  SCHEDULER_ACTOR,
  TAKEN_ACTIONS,
  validateCampaignRules,
  type CampaignGroup,
  type CampaignOverride,
  type CampaignRules,
  type CampaignStatus,
  type FlaggedNumberEvidence,
  type FlagTransition,
  type Severity,
  type TakenAction,
  type WindowReport,
} from '@abuse-monitor/domain';
import { TopicNames, type CampaignEventType } from '@abuse-monitor/messaging';
import { Metrics } from '@abuse-monitor/observability';
import {
  campaignChange,
  CampaignHistoryToAppend,
  CampaignsRepository,
  type ReportTextRow,
  enqueueOutbox,
  FlagChangesRepository,
  GROUPED_FLAG_STATUSES,
  JobsRepository,
  OutboxMessage,
  OutboxRelayService,
  Transactions,
} from '@abuse-monitor/persistence';
import type { JobContext, ScheduledJob } from '../job-runner';
import { SCHEDULER_TOPICS } from '../scheduler.config';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Reports commit a little after they are received: each run looks back this far past the last one. */
const OVERLAP_MS = 5 * 60_000;
/** What grouping reads of a number: the longest counting window, and the reports in it, newest first. */
const EVIDENCE_REACH_MS = 30 * DAY;
const REPORTS_PER_NUMBER = 200;
/** A next SIM is judged on its last week of reports. */
const NEXT_SIM_REACH_MS = 7 * DAY;
const NEXT_SIM_REPORTS_PER_NUMBER = 100;
/** Flagged numbers a run takes; the rest wait for the next tick (the watermark stays before them). */
const MAX_CHANGED_PER_RUN = 20_000;
/**
 * Numbers whose report texts are read at once: at most 200 texts each, a few MiB a chunk, where a
 * run's 20,000 numbers at once were hundreds.
 */
const TEXT_CHUNK_NUMBERS = 250;

interface StoredCampaign {
  id: string;
  status: CampaignStatus;
  members: string[];
}

/**
 * Groups flagged numbers into campaigns, incrementally (decision 0054): each run takes the flagged
 * numbers whose flag or reports changed since the last one, refreshes their text fingerprints,
 * adds the grouped numbers they could link with (a shared fingerprint band, the same number block,
 * a shared reporter) and every member of the campaigns any of those are in, and groups that
 * neighbourhood with the domain's groupCampaigns and the supervisors' decisions. Groups are matched
 * to the stored campaigns by members, so a campaign keeps its id, status and history as it grows.
 *
 * Then it catches next SIMs: numbers reported since the last run, not in a campaign and not under
 * review, whose reports match an actioned campaign's texts from `nextSimMinReporters` people, are
 * flagged and join that campaign.
 */
@Injectable()
export class CampaignsJob implements ScheduledJob {
  readonly name = 'campaigns' as const;
  private readonly logger = new Logger('Campaigns');

  constructor(
    private readonly transactions: Transactions,
    private readonly campaigns: CampaignsRepository,
    private readonly flagChanges: FlagChangesRepository,
    private readonly jobs: JobsRepository,
    private readonly relay: OutboxRelayService,
    private readonly metrics: Metrics,
    @Inject(SCHEDULER_TOPICS) private readonly topics: TopicNames,
  ) {}

  async run(context: JobContext): Promise<void> {
    const now = context.now.getTime();
    const published = await this.transactions.run(async (m) => {
      const rules = await this.rulesInForce(m);
      const state = await this.campaigns.groupingState(m);
      // New rules regroup every flagged number of the longest window, like a first run.
      const since =
        state === null || state.rulesVersion !== rules.version
          ? new Date(now - EVIDENCE_REACH_MS)
          : new Date(Math.max(state.groupedThrough.getTime() - OVERLAP_MS, now - EVIDENCE_REACH_MS));
      const outbox: OutboxMessage[] = [];
      const changed = await this.changedNumbers(m, since, context.batchSize);
      if (changed.length > 0) await this.regroup(m, changed, rules, now, outbox);
      const caught = await this.catchNextSims(m, since, rules, now, outbox);
      await enqueueOutbox(outbox, m);
      await this.campaigns.saveGroupingState(m, new Date(now), rules.version);
      context.count(changed.length + caught);
      return outbox.length > 0;
    });
    if (published) this.relay.wake();
  }

  /** The latest stored rules; stored rules that no longer validate give way to the defaults, loudly. */
  private async rulesInForce(m: EntityManager): Promise<CampaignRules> {
    const stored = await this.campaigns.currentRules(m);
    if (stored === null) return DEFAULT_CAMPAIGN_RULES;
    const checked = validateCampaignRules(stored.definition);
    if (checked.ok) return checked.rules;
    this.logger.error(
      `campaign rules version ${stored.version} are invalid (${checked.fieldErrors.map((e) => e.field).join(', ')}); grouping with the defaults`,
    );
    return DEFAULT_CAMPAIGN_RULES;
  }

  private async changedNumbers(m: EntityManager, since: Date, pageSize: number): Promise<string[]> {
    const numbers: string[] = [];
    let after = '';
    while (numbers.length < MAX_CHANGED_PER_RUN) {
      const page = await this.campaigns.changedFlaggedNumbers(m, since, after, pageSize);
      numbers.push(...page.map((r) => r.reported_number));
      if (page.length < pageSize) break;
      after = page[page.length - 1]!.reported_number;
    }
    return numbers;
  }

  private async regroup(
    m: EntityManager,
    changed: readonly string[],
    rules: CampaignRules,
    now: number,
    outbox: OutboxMessage[],
  ): Promise<void> {
    const evidenceSince = new Date(now - EVIDENCE_REACH_MS);
    await this.refreshNumberFingerprints(m, changed, evidenceSince);

    const blocks = new Map<string, { lo: string; hi: string }>();
    for (const number of changed) {
      const block = numberBlockRange(number, rules.blockPrefixDigits);
      if (block) blocks.set(block.lo, block);
    }
    const neighbours = await this.campaigns.neighbours(
      m,
      changed,
      [...blocks.values()],
      new Date(now - Math.max(rules.sharedReportersWithinHours * HOUR, DAY)),
      MAX_NUMBERS_PER_SHARED_REPORTER,
    );
    const around = [...new Set([...changed, ...neighbours])];
    const stored: StoredCampaign[] = (await this.campaigns.campaignsHolding(m, around)).map((c) => ({
      id: String(c.id),
      status: c.status,
      members: c.members,
    }));
    const members = new Set(stored.flatMap((c) => c.members));
    const numbers = [...new Set([...around, ...members])].sort();

    const rows = await this.campaigns.evidenceOf(m, numbers, evidenceSince, REPORTS_PER_NUMBER);
    const flagIdOf = new Map<string, string>();
    const evidence: FlaggedNumberEvidence[] = [];
    for (const row of rows) {
      const grouped = (GROUPED_FLAG_STATUSES as readonly string[]).includes(row.flag_status);
      if (!grouped && !members.has(row.reported_number)) continue;
      flagIdOf.set(row.reported_number, String(row.flag_id));
      const times = row.times ?? [];
      const reporters = row.reporters ?? [];
      evidence.push({
        number: row.reported_number,
        carrier: row.carrier as FlaggedNumberEvidence['carrier'],
        severity: row.severity,
        fingerprints: decodeStoredFingerprints(row.fingerprints),
        reports: reporters.map((reporter, index) => ({ reporter, at: times[index] ?? now })),
        firstReportAt: times[0] ?? now - EVIDENCE_REACH_MS,
        lastReportAt: times[times.length - 1] ?? now - EVIDENCE_REACH_MS,
      });
    }
    const overrides = (await this.campaigns.overrides(m))
      .map((o) =>
        overrideFromStored({
          kind: o.kind,
          numbers: o.numbers,
          otherNumbers: o.other_numbers,
          at: o.decided_at.getTime(),
        }),
      )
      .filter((o): o is CampaignOverride => o !== null);
    const { campaigns: groups } = groupCampaigns(evidence, rules, overrides);
    await this.saveGroups(m, groups, stored, flagIdOf, rules, now, outbox);
  }

  /**
   * Fingerprints of the changed numbers, taken again from their latest texts, a chunk of numbers
   * at a time: only a chunk's texts are ever held, and the prints go to the database, which the
   * neighbours' band lookup reads them from (issue 20: all the texts at once grew the process by
   * hundreds of MiB on a first run).
   */
  private async refreshNumberFingerprints(
    m: EntityManager,
    changed: readonly string[],
    evidenceSince: Date,
  ): Promise<void> {
    for (let start = 0; start < changed.length; start += TEXT_CHUNK_NUMBERS) {
      const chunk = changed.slice(start, start + TEXT_CHUNK_NUMBERS);
      const texts = await this.campaigns.reportsWithText(m, chunk, evidenceSince, REPORTS_PER_NUMBER);
      const textsOf = new Map<string, { content: string | null; at: Date }[]>();
      for (const row of texts) {
        const list = textsOf.get(row.reported_number) ?? [];
        list.push({ content: row.content, at: row.received_at });
        textsOf.set(row.reported_number, list);
      }
      const prints = chunk.map((number) => {
        const list = textsOf.get(number) ?? [];
        const taken = fingerprintTexts(list.map((t) => t.content));
        return { reportedNumber: number, ...taken, through: list[0]?.at ?? null };
      });
      await this.campaigns.saveFingerprints(m, prints);
    }
  }

  private async saveGroups(
    m: EntityManager,
    groups: readonly CampaignGroup[],
    stored: readonly StoredCampaign[],
    flagIdOf: ReadonlyMap<string, string>,
    rules: CampaignRules,
    now: number,
    outbox: OutboxMessage[],
  ): Promise<void> {
    const matching = matchStoredCampaigns(
      groups.map((g) => g.members),
      stored,
    );
    const statusOf = new Map(stored.map((c) => [c.id, c.status]));
    const sequences = await this.campaigns.lastSequences(
      m,
      stored.map((c) => c.id),
    );
    const placed = new Set<string>();
    const history: CampaignHistoryToAppend[] = [];
    const allLeft: string[] = [];
    for (const [index, match] of matching.groups.entries()) {
      const group = groups[index] as CampaignGroup;
      const summary = {
        severity: group.severity,
        severityReason: group.severityReason,
        rulesVersion: rules.version,
        memberCount: group.members.length,
        distinctReporters: group.distinctReporters,
        carriers: group.carriers,
        firstSeenAt: group.firstSeenAt,
        lastSeenAt: group.lastSeenAt,
        fingerprints: [], // filled below from the members' stored prints
      };
      let id = match.campaignId;
      const isNew = id === null;
      if (id === null) id = await this.campaigns.create(m, summary, now);
      else await this.campaigns.updateSummary(m, id, summary);
      await this.campaigns.putMembers(
        m,
        group.evidence.map((member) => ({
          reportedNumber: member.number,
          campaignId: id as string,
          flagId: flagIdOf.get(member.number) as string,
          evidence: { links: member.links, mergedBySupervisor: member.mergedBySupervisor },
          joinedAt: now,
          joinedBy: SCHEDULER_ACTOR,
        })),
      );
      for (const member of group.members) placed.add(member);
      allLeft.push(...match.left);
      if (!isNew && match.joined.length === 0 && match.left.length === 0) continue;
      const sequence = (sequences.get(id) ?? 0) + 1;
      sequences.set(id, sequence);
      const status = statusOf.get(id) ?? 'open';
      const type: CampaignEventType = isNew ? 'opened' : 'members_changed';
      history.push(
        this.historyEntry(id, sequence, type, status, group.severity, group.members.length, now, {
          joined: match.joined,
          left: match.left,
          outbox,
        }),
      );
    }
    await this.campaigns.removeMembers(
      m,
      allLeft.filter((number) => !placed.has(number)),
    );
    const holding = await this.campaigns.campaignsHolding(m, [...placed]);
    await this.campaigns.refreshFingerprints(
      m,
      holding.map((c) => String(c.id)),
    );
    await this.campaigns.appendHistory(m, history);
    for (const entry of history) this.metrics.get('campaignChanges').inc({ change: entry.change });
  }

  /** One history row of the grouping, with its event on subscriber.campaigns. */
  private historyEntry(
    campaignId: string,
    sequence: number,
    type: CampaignEventType,
    status: CampaignStatus,
    severity: Severity,
    memberCount: number,
    now: number,
    change: { joined: readonly string[]; left: readonly string[]; outbox: OutboxMessage[]; note?: string },
  ): CampaignHistoryToAppend {
    const { history, outbox } = campaignChange(this.topics.subscriberCampaigns, {
      campaignId,
      sequence,
      change: type,
      fromStatus: status,
      toStatus: status,
      severity,
      memberCount,
      joined: change.joined,
      left: change.left,
      actor: SCHEDULER_ACTOR,
      note: change.note ?? null,
      at: now,
    });
    if (outbox) change.outbox.push(outbox);
    return history;
  }

  /**
   * Flags the next SIMs of actioned campaigns among the numbers reported since `since`; returns
   * how many it flagged.
   */
  private async catchNextSims(
    m: EntityManager,
    since: Date,
    rules: CampaignRules,
    now: number,
    outbox: OutboxMessage[],
  ): Promise<number> {
    const actioned = await this.campaigns.actionedCampaigns(m);
    if (actioned.length === 0) return 0;
    const index = indexActionedCampaigns(
      actioned.map((c) => ({
        campaignId: String(c.id),
        fingerprints: decodeStoredFingerprints(c.fingerprints),
      })),
      rules,
    );
    const campaignOf = new Map(actioned.map((c) => [String(c.id), c]));
    // A number a supervisor took out of a campaign (removed, split off) is never its next SIM.
    const takenOut = new Set(
      (await this.campaigns.overrides(m))
        .filter((o) => o.kind !== 'merge')
        .flatMap((o) => o.numbers.map((number) => `${number} ${String(o.campaign_id)}`)),
    );
    const candidates = (await this.campaigns.nextSimCandidates(m, since, MAX_CHANGED_PER_RUN)).map(
      (r) => r.reported_number,
    );
    // A chunk of candidates' texts at a time; only the caught numbers' reports are kept.
    const byNumber = new Map<string, ReportTextRow[]>();
    const caught: { number: string; campaignId: string; decision: ReturnType<typeof matchNextSim> }[] = [];
    for (let start = 0; start < candidates.length; start += TEXT_CHUNK_NUMBERS) {
      const reports = await this.campaigns.reportsWithText(
        m,
        candidates.slice(start, start + TEXT_CHUNK_NUMBERS),
        new Date(now - NEXT_SIM_REACH_MS),
        NEXT_SIM_REPORTS_PER_NUMBER,
      );
      const chunkByNumber = new Map<string, ReportTextRow[]>();
      for (const row of reports) {
        const list = chunkByNumber.get(row.reported_number) ?? [];
        list.push(row);
        chunkByNumber.set(row.reported_number, list);
      }
      for (const [number, rows] of chunkByNumber) {
        const weighted = rows.filter((r) => r.weighted);
        // Fewer people than the threshold cannot be enough: no fingerprint needed.
        if (new Set(weighted.map((r) => r.reporter)).size < rules.nextSimMinReporters) continue;
        const printOf = new Map<string, ReturnType<typeof fingerprint>>();
        const decision = matchNextSim(
          weighted.map((r) => {
            const text = r.content ?? '';
            let print = printOf.get(text);
            if (print === undefined) printOf.set(text, (print = fingerprint(text)));
            return { reporter: r.reporter, fingerprint: r.content === null ? null : print };
          }),
          index,
          rules,
        );
        if (decision.matched && decision.flag && !takenOut.has(`${number} ${decision.campaignId}`)) {
          caught.push({ number, campaignId: decision.campaignId, decision });
          byNumber.set(number, rows);
        }
      }
    }
    if (caught.length === 0) return 0;

    const flags = await this.flagChanges.forUpdate(
      caught.map((c) => c.number),
      m,
    );
    const transitions: { number: string; campaignId: string; transition: FlagTransition; reason: string }[] =
      [];
    for (const { number, campaignId, decision } of caught) {
      if (!decision.matched) continue;
      const campaign = campaignOf.get(campaignId)!;
      const rows = byNumber.get(number) ?? [];
      const windowReports: WindowReport[] = rows.map((r) => ({
        reportId: r.report_id,
        reporter: r.reporter,
        agentId: r.agent_id,
        kind: r.kind,
        category: r.category,
        numberType: r.number_type,
        receivedAt: r.received_at.getTime(),
        weighted: r.weighted,
      }));
      const takenAction = (TAKEN_ACTIONS as readonly string[]).includes(campaign.taken_action ?? '')
        ? (campaign.taken_action as TakenAction)
        : null;
      const transition = flagNextSim({
        reportedNumber: number,
        flag: flags.get(number) ?? null,
        match: {
          campaignId,
          similarity: decision.similarity,
          matchingReporters: decision.matchingReporters,
          reason: decision.reason,
        },
        severity: campaign.severity,
        takenAction,
        rulesVersion: rules.version,
        threshold: decision.threshold,
        at: now,
        counts: countWindows(windowReports, now),
        reportIds: rows.filter((r) => r.weighted).map((r) => r.report_id),
      });
      if (transition === null) continue;
      transitions.push({ number, campaignId, transition, reason: decision.reason });
    }
    await this.jobs.saveTransitions(
      m,
      transitions.map(({ transition, campaignId }) => ({
        ...transition,
        event: transition.event && { ...transition.event, campaignId },
      })),
      this.topics.subscriberFlags,
    );
    const flagIds = await this.campaigns.flagIds(
      m,
      transitions.map((t) => t.number),
    );
    await this.campaigns.putMembers(
      m,
      transitions.map(({ number, campaignId, transition, reason }) => ({
        reportedNumber: number,
        campaignId,
        flagId: flagIds.get(number) as string,
        evidence: { links: [], mergedBySupervisor: false, nextSim: transition.historyEntry.evidence, reason },
        joinedAt: now,
        joinedBy: 'next_sim',
      })),
    );
    const byCampaign = new Map<string, string[]>();
    for (const t of transitions)
      byCampaign.set(t.campaignId, [...(byCampaign.get(t.campaignId) ?? []), t.number]);
    const sequences = await this.campaigns.lastSequences(m, [...byCampaign.keys()]);
    const counts = await this.campaigns.refreshFingerprints(m, [...byCampaign.keys()]);
    const history = [...byCampaign].map(([campaignId, joined]) => {
      const campaign = campaignOf.get(campaignId)!;
      return this.historyEntry(
        campaignId,
        (sequences.get(campaignId) ?? 0) + 1,
        'members_changed',
        'actioned',
        campaign.severity,
        counts.get(campaignId) ?? joined.length,
        now,
        { joined, left: [], outbox, note: "next SIM: its reports match the campaign's texts" },
      );
    });
    await this.campaigns.appendHistory(m, history);
    this.metrics.get('campaignNextSims').inc(transitions.length);
    return transitions.length;
  }
}
