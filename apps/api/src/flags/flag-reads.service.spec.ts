import type { AllowlistEntry } from '@abuse-monitor/domain';
import type { QueueFlagRow } from '@abuse-monitor/persistence';
import { AllowlistRepository, CampaignsRepository, FlagsRepository } from '@abuse-monitor/persistence';
import { fake, fakeTransactions } from '@abuse-monitor/persistence/testing';
import type { ApiConfig } from '../api.config';
import { ApiProblem } from '../http/problem';
import { FlagReadsService } from './flag-reads.service';

const AT = new Date('2026-12-02T09:00:00Z');
const NUMBER = '+84987654321';
const HOUR = 3_600_000;
const config = {
  SLA_HIGH: 2 * HOUR,
  SLA_MEDIUM: 24 * HOUR,
  SLA_LOW: 72 * HOUR,
  SLA_REVIEW_HIGH: 4 * HOUR,
  SLA_REVIEW_MEDIUM: 48 * HOUR,
  SLA_REVIEW_LOW: 168 * HOUR,
} as ApiConfig;

const flagRow = (id: string, rank: number, openedAt: Date): QueueFlagRow => ({
  id,
  reported_number: `+8498765${id.padStart(4, '0')}`,
  kind: 'abuse',
  status: 'open',
  severity: 'high',
  rule_id: 'distinct-10-24h',
  rule_version: 1,
  recommended_action: 'block_outgoing',
  taken_action: null,
  opened_at: openedAt,
  last_change_at: openedAt,
  counts_reports_after: null,
  assignee: null,
  possibly_coordinated: false,
  coordination_share: null,
  sequence: 1,
  evidence: null,
  sla_started_at: openedAt,
  overdue_since: null,
  rank,
  number_type: 'mobile',
  carrier: 'viettel',
  distinct_reporters_24h: 11,
  last_report_at: openedAt,
});

/** Flags and an allowlist in memory; only the reads the service makes. */
function world(rows: QueueFlagRow[], allowlist: AllowlistEntry[] = []) {
  const limits: number[] = [];
  const flags = fake<FlagsRepository>({
    list: async (_filter, _sort, _after, limit) => {
      limits.push(limit);
      return rows.slice(0, limit);
    },
    byId: async (id) => rows.find((r) => r.id === id) ?? null,
    byNumber: async (number) => rows.find((r) => r.reported_number === number) ?? null,
    counters: async () => null,
    recentReports: async () => [],
    history: async () => [],
    ruleVersion: async () => null,
    sources: async () => [],
  });
  const entries = fake<AllowlistRepository>({ entries: async () => allowlist });
  const campaigns = fake<CampaignsRepository>({ ofFlag: async () => null });
  return { service: new FlagReadsService(flags, entries, config, campaigns, fakeTransactions()), limits };
}

describe('FlagReadsService (fake repositories)', () => {
  const rows = [1, 2, 3].map((i) => flagRow(String(i), 3, new Date(AT.getTime() + i * 60_000)));

  it('asks for one flag more than the page, and points the cursor at the last flag shown', async () => {
    const w = world(rows);
    const page = await w.service.page({ status: ['open'] }, 'severity', undefined, 2);
    expect(w.limits).toEqual([3]);
    expect(page.items.map((f) => f.id)).toEqual([1, 2]);
    expect(JSON.parse(Buffer.from(page.nextCursor!, 'base64url').toString('utf8'))).toEqual({
      sort: 'severity',
      rank: 3,
      openedAt: rows[1].opened_at.toISOString(),
      id: '2',
    });
    expect((await w.service.page({}, 'oldest', undefined, 3)).nextCursor).toBeNull();
  });

  it("answers a missing flag's page with not-found", async () => {
    const missing = await world(rows)
      .service.detail('99', false)
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ApiProblem);
    expect((missing as ApiProblem).kind).toBe('not-found');
  });

  it('shows the allowlist entry that covers a number, by prefix too, and none for another', async () => {
    const prefix: AllowlistEntry = {
      kind: 'prefix',
      pattern: '+849876',
      reason: 'operator range',
      owner: 'noc',
    };
    const w = world([], [prefix]);
    expect((await w.service.subscriber(NUMBER, false)).allowlisted).toEqual({
      kind: 'prefix',
      pattern: '+849876',
      reason: 'operator range',
      owner: 'noc',
    });
    expect((await w.service.subscriber('+84912345678', false)).allowlisted).toBeNull();
  });
});
