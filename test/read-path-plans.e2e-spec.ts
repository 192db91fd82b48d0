import type { DataSource } from 'typeorm';
import {
  AllowlistRepository,
  countStatement,
  dueSoonStatement,
  FlagCursor,
  FlagFilter,
  FlagQueueRepository,
  FlagsRepository,
  FlagSort,
  QueueSla,
  Statement,
  UrgencyCursor,
} from '@abuse-monitor/persistence';
import { createTestDatabase, TestDatabase } from './support/test-database';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

/**
 * The queue's pages read only their rows (decision 0038): each order the API offers is the order
 * of an index, so a page is an index scan that stops after its rows, with no sort of every match.
 * The statements are the API's own (FlagsRepository), explained instead of run, on enough flags that
 * a sort of all of them would cost more than the scan.
 */
describe('the read paths', () => {
  let db: TestDatabase;
  /**
   * Hands each statement to EXPLAIN, with its parameters bound as the API binds them; also as the
   * manager that reads given none use (the data source's).
   */
  const explain = async (sql: string, params: unknown[] = []) =>
    (await db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${sql}`, params))[0][
      'QUERY PLAN'
    ];
  const explaining = { query: explain, manager: { query: explain } } as unknown as DataSource;
  const queries = new FlagsRepository(explaining);
  const queue = new FlagQueueRepository(explaining);
  const HOUR = 3_600_000;
  const SLA: QueueSla = {
    open: { high: 2 * HOUR, medium: 24 * HOUR, low: 72 * HOUR },
    in_review: { high: 4 * HOUR, medium: 48 * HOUR, low: 168 * HOUR },
  };

  async function planOfPage(filter: FlagFilter, sort: FlagSort, after?: FlagCursor) {
    const [{ Plan }] = (await queries.list(filter, sort, after, 51)) as unknown as [{ Plan: PlanNode }];
    return nodesOf(Plan);
  }

  beforeAll(async () => {
    db = await createTestDatabase('read_plans');
    // 20,000 flags: 5,000 open and 500 in review from the last two weeks, the rest decided before.
    await db.query(
      `INSERT INTO flags (id, reported_number, status, severity, rule_id, rule_version, recommended_action,
              opened_at, last_change_at, sequence, sla_started_at)
       SELECT i, '+8491' || lpad(i::text, 7, '0'), s.status, (ARRAY['high', 'medium', 'low'])[1 + i % 3],
              'distinct-3-24h', 1, 'watch', o.at, o.at, 1, o.at
         FROM generate_series(1, 20000) i
        CROSS JOIN LATERAL (SELECT CASE WHEN i <= 5000 THEN 'open' WHEN i <= 5500 THEN 'in_review'
                                        ELSE 'actioned' END AS status) s
        CROSS JOIN LATERAL (SELECT now() - CASE WHEN i <= 5500 THEN interval '14 days' * (i % 97) / 97
                                                ELSE interval '20 days' + interval '1 hour' * i END AS at) o`,
    );
    await db.query(
      `INSERT INTO flag_history (flag_id, reported_number, sequence, change, to_status, severity, rule_id,
              rule_version, recommended_action, possibly_coordinated, actor, occurred_at)
       SELECT id, reported_number, 1, 'raised', 'open', severity, rule_id, 1, 'watch', false, 'aggregator', opened_at
         FROM flags`,
    );
    // 20,000 allowlisted numbers: far more than a real list, so a sort of all of them would show.
    await db.query(
      `INSERT INTO allowlist (kind, pattern, reason, owner)
       SELECT 'number', '+8492' || lpad(i::text, 7, '0'), 'bank hotline', 'fraud team' FROM generate_series(1, 20000) i`,
    );
    await db.query(`ANALYZE flags, flag_history, allowlist`);
  });
  afterAll(() => db.drop());

  const sortsOf = (nodes: PlanNode[]) => nodes.filter((n) => n['Node Type'].includes('Sort'));
  const indexesOf = (nodes: PlanNode[]) => nodes.map((n) => n['Index Name']).filter(Boolean);

  it.each<[string, FlagFilter, FlagSort, string]>([
    ['every flag, most severe first', {}, 'severity', 'flags_rank_idx'],
    [
      'the console queue, most severe first',
      { status: ['open', 'in_review'] },
      'severity',
      'flags_queue_rank_idx',
    ],
    ['open flags, most severe first', { status: ['open'] }, 'severity', 'flags_queue_rank_idx'],
    ['open flags, oldest first', { status: ['open'] }, 'oldest', 'flags_queue_opened_idx'],
    [
      'the console queue, newest first',
      { status: ['open', 'in_review'] },
      'newest',
      'flags_queue_opened_idx',
    ],
    ['every flag, newest first', {}, 'newest', 'flags_opened_idx'],
  ])('reads a page of %s from its index, without sorting', async (_, filter, sort, index) => {
    const nodes = await planOfPage(filter, sort);
    expect(indexesOf(nodes)).toContain(index);
    expect(sortsOf(nodes)).toEqual([]);
  });

  it('starts the next page of the severity order where the cursor points, in the index', async () => {
    const cursor = { sort: 'severity' as const, rank: 2, openedAt: new Date().toISOString(), id: '100' };
    const nodes = await planOfPage({ status: ['open'] }, 'severity', cursor);
    const scan = nodes.find((n) => n['Index Name'] === 'flags_queue_rank_idx');
    expect(scan?.['Index Cond']).toMatch(/^\(ROW\(/);
    expect(sortsOf(nodes)).toEqual([]);
  });

  it('reads a page of the allowlist from its index, from the start and after a cursor (decision 0043)', async () => {
    const allowlist = new AllowlistRepository(explaining);
    for (const after of [null, { pattern: '+84920010000', kind: 'number' as const }]) {
      const [{ Plan }] = (await allowlist.page(after, 51)) as unknown as [{ Plan: PlanNode }];
      expect(indexesOf(nodesOf(Plan))).toEqual(['allowlist_pattern_kind_idx']);
      expect(sortsOf(nodesOf(Plan))).toEqual([]);
    }
  });

  /**
   * The urgency order (decision 0044) has no one index: each stage and severity is read from
   * flags_queue_sla_idx in the order of its SLA clock, at most a page of each (with ties), and only
   * those rows are sorted; no flag is read by a sequential scan.
   */
  it.each<[string, FlagFilter, UrgencyCursor | undefined, number]>([
    ['the console queue', { status: ['open', 'in_review'] }, undefined, 6],
    ['open flags', { status: ['open'] }, undefined, 3],
    [
      'open high flags after a cursor',
      { status: ['open'], severity: ['high'] },
      // A week back: the middle of the seeded queue, as page 20 of it would be.
      {
        sort: 'urgency',
        dueMicros: String((Date.now() - 7 * 86_400_000) * 1000),
        rank: 3,
        reporters: 4,
        id: '100',
      },
      1,
    ],
  ])(
    'reads a page of %s in urgency order from one index scan per stage and severity',
    async (_, filter, after, branches) => {
      const [{ Plan }] = (await queue.page(filter, SLA, after, 51)) as unknown as [{ Plan: PlanNode }];
      const nodes = nodesOf(Plan);
      const scans = nodes.filter(
        (n) => n['Index Name'] !== undefined && n['Index Name'] !== 'subscriber_counters_pkey',
      );
      expect(scans.map((n) => n['Index Name'])).toEqual(
        Array.from({ length: scans.length }, () => 'flags_queue_sla_idx'),
      );
      expect(scans).toHaveLength(branches);
      expect(nodes.some((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'flags')).toBe(false);
      if (after) {
        // The next page starts where the cursor points, in the index; the few rows left may be sorted.
        expect(scans[0]['Index Cond']).toMatch(/sla_started_at >=/);
      } else {
        // A first page reads each branch in the index's order and sorts only the branches' rows.
        expect(scans.every((n) => n['Node Type'] === 'Index Scan')).toBe(true);
        expect(sortsOf(nodes)).toHaveLength(1);
      }
    },
  );

  it('counts the queue and the wave ahead through indexes, never a sequential scan', async () => {
    const explain = async ({ sql, params }: Statement) =>
      (await explaining.query(sql, params)) as [{ Plan: PlanNode }];
    const [{ Plan: count }] = await explain(countStatement({ status: ['open', 'in_review'] }));
    expect(nodesOf(count).some((n) => n['Node Type'] === 'Seq Scan')).toBe(false);
    const [{ Plan: wave }] = await explain(dueSoonStatement(SLA, new Date(), [HOUR, 4 * HOUR]));
    const waveNodes = nodesOf(wave);
    expect(waveNodes.some((n) => n['Node Type'] === 'Seq Scan')).toBe(false);
    // One index read per stage and severity (on these flags, all overdue, the planner may take the
    // older (status, severity) index for some: every entry matches).
    expect(indexesOf(waveNodes)).toHaveLength(6);
  });

  it("reads a flag's history by its flag", async () => {
    const [{ Plan }] = (await queries.history('777')) as unknown as [{ Plan: PlanNode }];
    expect(indexesOf(nodesOf(Plan))).toEqual(['flag_history_flag_idx']);
  });
});
