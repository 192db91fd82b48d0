import type { AllowlistEntry, FlagTransition } from '@abuse-monitor/domain';
import type { TopicNames } from '@abuse-monitor/messaging';
import type { Metrics } from '@abuse-monitor/observability';
import {
  AllowlistRepository,
  AuditLogRepository,
  CampaignHistoryToAppend,
  CampaignRow,
  CampaignsRepository,
  FlagRow,
  FlagsRepository,
  OutboxRelayService,
  readBinaryArray,
} from '@abuse-monitor/persistence';
import { fake, fakeTransactions, testActor } from '@abuse-monitor/persistence/testing';
import { ApiProblem } from '../http/problem';
import { CampaignCaller, CampaignCommandsService } from './campaign-commands.service';

const OPENED = new Date('2026-12-01T08:00:00Z');

const flagRow = (id: string, number: string, change: Partial<FlagRow> = {}): FlagRow => ({
  id,
  reported_number: number,
  kind: 'abuse',
  status: 'open',
  severity: 'high',
  rule_id: 'scam-distinct-5-24h',
  rule_version: 1,
  recommended_action: 'block_outgoing',
  taken_action: null,
  opened_at: OPENED,
  last_change_at: OPENED,
  counts_reports_after: null,
  assignee: null,
  possibly_coordinated: false,
  coordination_share: null,
  sequence: 2,
  evidence: null,
  sla_started_at: OPENED,
  overdue_since: null,
  ...change,
});

const campaignRow = (change: Partial<CampaignRow> = {}): CampaignRow => ({
  id: '12',
  status: 'open',
  severity: 'high',
  severity_reason: 'seeded',
  version: 4,
  rules_version: 1,
  member_count: 3,
  distinct_reporters: 15,
  carriers: ['viettel'],
  first_seen_at: OPENED,
  last_seen_at: OPENED,
  fingerprints: [],
  assignee: null,
  taken_action: null,
  merged_into: null,
  opened_at: OPENED,
  actioned_at: null,
  updated_at: OPENED,
  ...change,
});

const analyst: CampaignCaller = { actor: testActor('lan', 'analyst'), mayOverride: false };

/** One campaign of three member flags, an allowlist, an audit log and an outbox in memory. */
function world(campaign: CampaignRow, members: FlagRow[], allowlisted: AllowlistEntry[] = []) {
  const savedFlags: FlagTransition[] = [];
  const history: CampaignHistoryToAppend[] = [];
  const audited: { action: string; targetType: string; targetId: string }[] = [];
  const statuses: { status: string; takenAction: string | null }[] = [];
  const campaigns = fake<CampaignsRepository>({
    lockById: async (_m, id) => (id === campaign.id ? campaign : null),
    lockMemberFlags: async () => members,
    setStatus: async (_m, _id, change) => {
      statuses.push({ status: change.status, takenAction: change.takenAction });
      return campaign.version + 1;
    },
    lastSequences: async () => new Map([[campaign.id, 2]]),
    appendHistory: async (_m, rows) => void history.push(...rows),
    byId: async () => campaign,
  });
  const flags = fake<FlagsRepository>({
    saveTransitions: async (_m, transitions) => void savedFlags.push(...transitions),
  });
  const allowlist = fake<AllowlistRepository>({ entries: async () => allowlisted });
  const audit = fake<AuditLogRepository>({
    append: async (_actor, record) =>
      void audited.push({ action: record.action, targetType: record.targetType, targetId: record.targetId }),
  });
  const metric = { inc: () => undefined, observe: () => undefined };
  const metrics = fake<Metrics>({ get: (() => metric) as unknown as Metrics['get'] });
  let wakes = 0;
  const relay = fake<OutboxRelayService>({ wake: () => void wakes++ });
  const topics = {
    subscriberFlags: 'test.subscriber.flags',
    subscriberCampaigns: 'test.subscriber.campaigns',
  } as TopicNames;
  // The outbox is written through enqueueOutbox on the manager: the fake manager takes the query,
  // whose columns are binary arrays.
  const outbox: unknown[][] = [];
  const readable = (param: unknown) => (Buffer.isBuffer(param) ? readBinaryArray(param).values : param);
  const transactions = fakeTransactions();
  const run = transactions.run;
  transactions.run = (work) =>
    run((manager) =>
      work(
        Object.assign(Object.create(manager), {
          query: async (_sql: string, params: unknown[]) => void outbox.push(params.map(readable)),
        }),
      ),
    );
  const service = new CampaignCommandsService(
    transactions,
    campaigns,
    flags,
    allowlist,
    audit,
    relay,
    metrics,
    topics,
  );
  return { service, savedFlags, history, audited, statuses, outbox, wakes: () => wakes };
}

const problemOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => (error instanceof ApiProblem ? error.kind : error),
  );

describe('CampaignCommandsService (fake repositories)', () => {
  const members = () => [
    flagRow('1', '+84987654300'),
    flagRow('2', '+84987654301', { status: 'actioned', taken_action: 'warn' }),
    flagRow('3', '+84987654302'),
  ];

  it('decides on every member flag it may, names the others, and records the campaign once', async () => {
    const w = world(campaignRow(), members());
    const outcome = await w.service.decide(
      '12',
      4,
      'block_outgoing',
      { reasonCode: 'confirmed_scam', note: null },
      analyst,
    );
    expect(outcome.changed.map((c) => c.reportedNumber)).toEqual(['+84987654300', '+84987654302']);
    expect(outcome.unchanged).toEqual([
      { reportedNumber: '+84987654301', flagId: '2', reason: expect.stringMatching(/actioned/) },
    ]);
    expect(w.savedFlags.map((t) => [t.state.status, t.state.takenAction, t.event?.campaignId])).toEqual([
      ['actioned', 'block_outgoing', '12'],
      ['actioned', 'block_outgoing', '12'],
    ]);
    expect(w.statuses).toEqual([{ status: 'actioned', takenAction: 'block_outgoing' }]);
    expect(w.history.map((h) => [h.sequence, h.change, h.event_id])).toEqual([
      [3, 'actioned', 'campaign:12:3'],
    ]);
    expect(w.audited.map((a) => `${a.targetType}:${a.targetId}:${a.action}`)).toEqual([
      'flag:1:flag.block_outgoing',
      'flag:3:flag.block_outgoing',
      'campaign:12:campaign.actioned',
    ]);
    // The campaign's event goes through the outbox in the same transaction.
    expect(JSON.stringify(w.outbox)).toContain('campaign:12:3');
    expect(w.wakes()).toBe(1);
  });

  it('leaves an allowlisted member alone when acting, and dismisses it with the others', async () => {
    const entry = { kind: 'number', pattern: '+84987654300', reason: 'bank', owner: 'qa' } as AllowlistEntry;
    const acted = world(campaignRow(), [flagRow('1', '+84987654300')], [entry]);
    const outcome = await acted.service.decide(
      '12',
      4,
      'warn',
      { reasonCode: 'confirmed_spam', note: null },
      analyst,
    );
    expect(outcome.changed).toEqual([]);
    expect(outcome.unchanged[0]?.reason).toMatch(/allowlist/);

    const dismissed = world(campaignRow(), [flagRow('1', '+84987654300')], [entry]);
    const done = await dismissed.service.decide(
      '12',
      4,
      'dismiss',
      { reasonCode: 'not_abuse', note: null },
      analyst,
    );
    expect(done.changed).toHaveLength(1);
    expect(dismissed.statuses).toEqual([{ status: 'dismissed', takenAction: null }]);
  });

  it('refuses a stale version, a decided campaign and one someone else reviews, changing nothing', async () => {
    const stale = world(campaignRow(), members());
    expect(
      await problemOf(stale.service.decide('12', 3, 'warn', { reasonCode: 'x', note: null }, analyst)),
    ).toBe('version-conflict');
    const decided = world(campaignRow({ status: 'actioned' }), members());
    expect(
      await problemOf(decided.service.decide('12', 4, 'warn', { reasonCode: 'x', note: null }, analyst)),
    ).toBe('state-conflict');
    const held = world(campaignRow({ status: 'in_review', assignee: 'minh' }), members());
    expect(
      await problemOf(held.service.decide('12', 4, 'warn', { reasonCode: 'x', note: null }, analyst)),
    ).toBe('forbidden');
    expect(await problemOf(held.service.claim('99', 4, analyst))).toBe('not-found');
    for (const w of [stale, decided, held]) {
      expect(w.savedFlags).toEqual([]);
      expect(w.history).toEqual([]);
      expect(w.audited).toEqual([]);
    }
  });
});
