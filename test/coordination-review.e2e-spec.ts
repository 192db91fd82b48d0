import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DataSource, QueryRunner } from 'typeorm';
import { Category, ReportKind } from '@abuse-monitor/domain';
import {
  FlagAssessmentsRepository,
  ReportRow,
  ReportsRepository,
  Transactions,
} from '@abuse-monitor/persistence';
import { AggregatorConfig } from '../apps/aggregator/src/aggregator.config';
import { CoordinationReviewService } from '../apps/aggregator/src/coordination-review.service';
import { createTestDatabase, openDataSource, TestDatabase } from './support/test-database';

const DAY = 86_400_000;
const NOW = Date.now();
const RING = [1, 2, 3, 4, 5].map((i) => `+8490300050${i}`);
const CROWD = [1, 2, 3, 4, 5].map((i) => `+8490300090${i}`);
const VICTIMS = ['+84987000501', '+84987000502', '+84987000503'];
const SPAMMER = '+84987000666';
/** Reported by the ring 35 days before its flag's count: outside that flag's 30-day window. */
const LATE = '+84987000777';
/** Reported by the ring, counted 40 days ago: the review reads the ring's reports from its window. */
const OLD = '+84987000888';

const report = (reportedNumber: string, reporter: string, receivedAt: number): ReportRow => ({
  reportId: randomUUID(),
  reportedNumber,
  reporter,
  channel: 'sms',
  shortCode: '156',
  sourceId: randomUUID(),
  kind: 'spam_sms' as ReportKind,
  category: 'unknown' as Category,
  categoryKeyword: null,
  numberType: 'mobile',
  carrier: null,
  content: null,
  textKey: null,
  agentId: null,
  receivedAt: new Date(receivedAt),
});

const config = {
  COORDINATION_REASSESS_AFTER_MS: 600_000,
  COORDINATION_THRESHOLD: 0.5,
} as AggregatorConfig;

interface AssessedFlag {
  reported_number: string;
  possibly_coordinated: boolean;
  coordination_share: number | null;
  assessed: boolean;
}

/**
 * The coordination review (CoordinationReviewService over FlagAssessmentsRepository): what it
 * judges, and that it never makes the aggregator wait for a flag it is looking at (decision 0073).
 */
describe('coordination review', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let review: CoordinationReviewService;
  const repository = new FlagAssessmentsRepository();

  beforeAll(async () => {
    db = await createTestDatabase('coordreview');
    dataSource = await openDataSource(db.url, 3);
    review = new CoordinationReviewService(new Transactions(dataSource), repository, config);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  beforeEach(async () => {
    await dataSource.query('TRUNCATE flag_assessments, flags, reports CASCADE');
  });

  /** Stores the reports and opens a flag on `reportedNumber` with them as its evidence. */
  async function flagged(reportedNumber: string, rows: ReportRow[], countedAt = NOW): Promise<void> {
    await dataSource.transaction((m) => new ReportsRepository().insertNew(rows, m));
    const evidence = { reportIds: rows.map((r) => r.reportId), counts: { at: countedAt } };
    await dataSource.query(
      `INSERT INTO flags (reported_number, status, severity, rule_id, rule_version, recommended_action,
                          opened_at, last_change_at, sla_started_at, sequence, evidence)
       VALUES ($1, 'open', 'medium', 'distinct-3-24h', 1, 'warn', now(), now(), now(), 1, $2)`,
      [reportedNumber, JSON.stringify(evidence)],
    );
  }

  const victimsOfTheRing = () =>
    Promise.all(
      VICTIMS.map((victim, v) =>
        flagged(
          victim,
          RING.map((reporter, r) => report(victim, reporter, NOW - DAY + v * 60_000 + r * 1_000)),
        ),
      ),
    );

  /** The ring reports each of `numbers`, a minute apart from `at`, with no flag on them. */
  async function ringMet(numbers: readonly string[], at: number): Promise<void> {
    for (const [n, number] of numbers.entries())
      await dataSource.transaction((m) =>
        new ReportsRepository().insertNew(
          RING.map((reporter, r) => report(number, reporter, at + n * 60_000 + r * 1_000)),
          m,
        ),
      );
  }

  /** LATE flagged by the ring an hour ago. */
  const lateFlagged = () =>
    flagged(
      LATE,
      RING.map((reporter, r) => report(LATE, reporter, NOW - 3_600_000 + r * 1_000)),
    );

  const assessed = async (): Promise<AssessedFlag[]> =>
    dataSource.query(
      `SELECT reported_number, possibly_coordinated, coordination_share,
              coordination_assessed_at IS NOT NULL AS assessed
         FROM flags ORDER BY reported_number`,
    );

  const recorded = async (): Promise<string[]> =>
    (
      await dataSource.query<{ reported_number: string }[]>(
        'SELECT reported_number FROM flag_assessments ORDER BY reported_number',
      )
    ).map((r) => r.reported_number);

  it("marks the ring's victims, not a crowd's number, and records each first judgement once", async () => {
    await victimsOfTheRing();
    await flagged(
      SPAMMER,
      CROWD.map((reporter, r) => report(SPAMMER, reporter, NOW - 3_600_000 + r * 1_000)),
    );

    expect(await review.reviewPending()).toBe(4);
    expect(await assessed()).toEqual([
      ...VICTIMS.map((reported_number) => ({
        reported_number,
        possibly_coordinated: true,
        coordination_share: 1,
        assessed: true,
      })),
      { reported_number: SPAMMER, possibly_coordinated: false, coordination_share: 0, assessed: true },
    ]);
    expect(await recorded()).toEqual([...VICTIMS, SPAMMER]);

    // Nothing changed since: nothing waits, nothing is recorded again.
    expect(await review.reviewPending()).toBe(0);
    expect(await recorded()).toHaveLength(4);
  });

  it("counts another number only if reported within the flag's own window", async () => {
    // The ring met on two numbers 35 days before LATE's count: outside LATE's window. OLD, also
    // the ring's and counted 40 days ago, makes the review read the ring's reports that far back.
    const longAgo = NOW - 35 * DAY;
    await flagged(
      OLD,
      RING.map((reporter, r) => report(OLD, reporter, NOW - 41 * DAY + r * 1_000)),
      NOW - 40 * DAY,
    );
    await ringMet(['+84987000601', '+84987000602'], longAgo);
    await lateFlagged();

    expect(await review.reviewPending()).toBe(2);
    expect((await assessed()).find((f) => f.reported_number === LATE)).toMatchObject({
      possibly_coordinated: false,
      coordination_share: 0,
      assessed: true,
    });
  });

  it("counts another number reported near the start of the flag's window", async () => {
    // The ring met on two numbers 25 days before LATE's count, inside its 30-day window: a read
    // narrower than the window would miss them, and LATE would pass as uncoordinated.
    const early = NOW - 25 * DAY;
    await ringMet(['+84987000611', '+84987000612'], early);
    await lateFlagged();

    expect(await review.reviewPending()).toBe(1);
    expect(await assessed()).toEqual([
      { reported_number: LATE, possibly_coordinated: true, coordination_share: 1, assessed: true },
    ]);
  });

  it('holds no flag while it reads and judges', async () => {
    await victimsOfTheRing();
    const probe = new (class extends FlagAssessmentsRepository {
      override async reportedSince(...args: Parameters<FlagAssessmentsRepository['reportedSince']>) {
        // An aggregator batch that takes these flags now gets them at once.
        await dataSource.query('SELECT id FROM flags FOR UPDATE NOWAIT');
        return super.reportedSince(...args);
      }
    })();
    const probing = new CoordinationReviewService(new Transactions(dataSource), probe, config);
    expect(await probing.reviewPending()).toBe(3);
  });

  it('skips, without waiting, a flag another transaction holds, and takes it at the next review', async () => {
    await victimsOfTheRing();
    const holder: QueryRunner = dataSource.createQueryRunner();
    let reviewing: Promise<number> = Promise.resolve(0);
    await holder.startTransaction();
    try {
      // As an aggregator batch holds the flags of its numbers.
      await holder.query('SELECT id FROM flags WHERE reported_number = $1 FOR UPDATE', [VICTIMS[0]]);
      const waited = new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 5_000).unref());
      reviewing = review.reviewPending();
      expect(await Promise.race([reviewing, waited])).toBe(2);
      expect((await assessed()).map((f) => f.assessed)).toEqual([false, true, true]);
    } finally {
      await holder.commitTransaction();
      await holder.release();
      // A review that did wait ends here, before the next test empties the tables.
      await reviewing;
    }
    expect(await review.reviewPending()).toBe(1);
    expect((await assessed()).map((f) => f.possibly_coordinated)).toEqual([true, true, true]);
  });

  it('does not save an assessment over a flag changed after it was read; the flag stays pending', async () => {
    await victimsOfTheRing();
    const pending = await repository.pending(dataSource.manager, 600_000, 200);
    expect(pending.map((f) => f.reportedNumber).sort()).toEqual(VICTIMS);
    // The aggregator changes the second victim's flag between the review's read and its save.
    await dataSource.query(
      `UPDATE flags SET sequence = sequence + 1, updated_at = now() WHERE reported_number = $1`,
      [VICTIMS[1]],
    );
    const saved = await repository.save(
      dataSource.manager,
      pending.map((flag) => ({
        flag,
        assessment: { coordinated: true, share: 1, reporters: RING.length },
        changed: true,
      })),
    );
    const changed = pending.find((f) => f.reportedNumber === VICTIMS[1]);
    expect(saved.size).toBe(2);
    expect(saved.has(changed?.id ?? '')).toBe(false);
    expect((await assessed()).map((f) => f.assessed)).toEqual([true, false, true]);
    expect(await recorded()).toEqual([VICTIMS[0], VICTIMS[2]]);
    const next = await repository.pending(dataSource.manager, 600_000, 200);
    expect(next.map((f) => f.reportedNumber)).toEqual([VICTIMS[1]]);
  });

  it('leaves pending an assessed flag that changed between read and save', async () => {
    await victimsOfTheRing();
    expect(await review.reviewPending()).toBe(3);
    const change = () =>
      dataSource.query(
        `UPDATE flags SET sequence = sequence + 1, updated_at = now() WHERE reported_number = $1`,
        [VICTIMS[1]],
      );
    await change();
    const pending = await repository.pending(dataSource.manager, 600_000, 200);
    expect(pending.map((f) => f.reportedNumber)).toEqual([VICTIMS[1]]);
    await change();
    const saved = await repository.save(
      dataSource.manager,
      pending.map((flag) => ({
        flag,
        assessment: { coordinated: false, share: 0, reporters: 0 },
        changed: true,
      })),
    );
    expect(saved.size).toBe(0);
    expect((await assessed()).map((f) => f.possibly_coordinated)).toEqual([true, true, true]);
    expect((await repository.pending(dataSource.manager, 600_000, 200)).map((f) => f.reportedNumber)).toEqual(
      [VICTIMS[1]],
    );
  });

  it('records a share stored as a real once, not again at each reassessment', async () => {
    // Four of seven reporters in a ring: a share of 4/7, which a real column rounds.
    const others = ['+84987000601', '+84987000602'];
    for (const number of others)
      await dataSource.transaction((m) =>
        new ReportsRepository().insertNew(
          RING.slice(0, 4).map((reporter, r) => report(number, reporter, NOW - 2 * DAY + r * 1_000)),
          m,
        ),
      );
    const reporters = [...RING.slice(0, 4), ...CROWD.slice(0, 3)];
    await flagged(
      VICTIMS[0],
      reporters.map((reporter, r) => report(VICTIMS[0], reporter, NOW - DAY + r * 1_000)),
    );
    const reassessing = new CoordinationReviewService(new Transactions(dataSource), repository, {
      ...config,
      COORDINATION_REASSESS_AFTER_MS: 0,
    });
    expect(await reassessing.reviewPending()).toBe(1);
    expect(await reassessing.reviewPending()).toBe(1);
    const [flag] = await assessed();
    expect(flag).toMatchObject({ possibly_coordinated: true, assessed: true });
    expect(flag.coordination_share).toBeCloseTo(4 / 7, 6);
    expect(await recorded()).toEqual([VICTIMS[0]]);
  });
});
