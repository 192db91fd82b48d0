import 'reflect-metadata';
import { DataSource, EntityManager } from 'typeorm';
import {
  countWindows,
  FlagChange,
  FlagEvidence,
  FlagHistoryEntry,
  FlagState,
  FlagStatus,
  RULES_ACTOR,
} from '@abuse-monitor/domain';
import { saveFlagChanges } from '@abuse-monitor/persistence';
import { seedCampaign } from './support/seed';
import { createTestDatabase, openDataSource, TestDatabase } from './support/test-database';

const T0 = Date.UTC(2026, 11, 6, 8, 0, 0);
const minutes = (n: number) => T0 + n * 60_000;

function evidence(measured: number): FlagEvidence {
  return {
    ruleId: 'distinct-3-24h',
    ruleVersion: 1,
    measured,
    threshold: 3,
    counts: countWindows([], T0),
    reportIds: [],
    reportsBehind: measured,
  };
}

/** One change of a number's flag: the state after it and its history row. */
function change(
  reportedNumber: string,
  sequence: number,
  at: number,
  what: FlagChange,
  from: FlagStatus | null,
  to: FlagStatus,
  why: FlagEvidence | null,
): { flag: FlagState; entry: FlagHistoryEntry } {
  const flag: FlagState = {
    reportedNumber,
    kind: 'abuse',
    status: to,
    severity: 'medium',
    ruleId: 'distinct-3-24h',
    ruleVersion: 1,
    recommendedAction: 'warn',
    takenAction: null,
    openedAt: T0,
    lastChangeAt: at,
    countsReportsAfter: null,
    assignee: to === 'in_review' ? 'analyst-1' : null,
    possiblyCoordinated: false,
    sequence,
  };
  const entry: FlagHistoryEntry = {
    reportedNumber,
    sequence,
    at,
    change: what,
    fromStatus: from,
    toStatus: to,
    severity: 'medium',
    ruleId: 'distinct-3-24h',
    ruleVersion: 1,
    recommendedAction: 'warn',
    takenAction: null,
    possiblyCoordinated: false,
    actor: why ? RULES_ACTOR : 'analyst-1',
    note: null,
    evidence: why,
  };
  return { flag, entry };
}

interface StoredFlag {
  id: string;
  reported_number: string;
  evidence: FlagEvidence | null;
  sla_started_at: Date;
  overdue_since: Date | null;
}

/**
 * saveFlagChanges: the flags, with what their changes imply (the evidence that explains the flag,
 * the SLA clock, the overdue mark), and the history rows, for several flags in one statement.
 */
describe('saving flag changes (saveFlagChanges)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase('flagchanges');
    dataSource = await openDataSource(db.url);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const saveIn = (manager: EntityManager, changes: { flag: FlagState; entry: FlagHistoryEntry }[]) =>
    saveFlagChanges(
      changes.map(({ flag, entry }) => ({
        flag,
        coordinationShare: null,
        history: [entry],
        eventIds: new Map(),
      })),
      manager,
    );
  const save = (changes: { flag: FlagState; entry: FlagHistoryEntry }[]) =>
    dataSource.transaction((manager) => saveIn(manager, changes));

  const stored = async (): Promise<Map<string, StoredFlag>> => {
    const rows: StoredFlag[] = await dataSource.query(
      `SELECT id, reported_number, evidence, sla_started_at, overdue_since FROM flags`,
    );
    return new Map(rows.map((r) => [r.reported_number, r]));
  };

  it('keeps the evidence of the last rule-made change, and moves the SLA clock and overdue mark', async () => {
    const a = '+84987000001';
    const b = '+84987000002';
    // Both open, in one call: each gets its own evidence and clock.
    await save([
      change(a, 1, minutes(0), 'opened', null, 'open', evidence(3)),
      change(b, 1, minutes(1), 'opened', null, 'open', evidence(4)),
    ]);
    let flags = await stored();
    expect(flags.get(a)).toMatchObject({ evidence: evidence(3), overdue_since: null });
    expect(flags.get(a)?.sla_started_at.getTime()).toBe(minutes(0));
    expect(flags.get(b)).toMatchObject({ evidence: evidence(4), overdue_since: null });
    expect(flags.get(b)?.sla_started_at.getTime()).toBe(minutes(1));

    // a goes overdue and b is claimed, neither with evidence: both keep theirs.
    await save([
      change(a, 2, minutes(30), 'overdue', 'open', 'open', null),
      change(b, 2, minutes(31), 'claimed', 'open', 'in_review', null),
    ]);
    flags = await stored();
    expect(flags.get(a)?.evidence).toEqual(evidence(3));
    expect(flags.get(a)?.overdue_since?.getTime()).toBe(minutes(30));
    expect(flags.get(a)?.sla_started_at.getTime()).toBe(minutes(0));
    expect(flags.get(b)?.evidence).toEqual(evidence(4));
    expect(flags.get(b)?.sla_started_at.getTime()).toBe(minutes(31));

    // A rule raises a, still open: new evidence, the clock restarts and the overdue mark goes.
    await save([change(a, 3, minutes(40), 'raised', 'open', 'open', evidence(10))]);
    flags = await stored();
    expect(flags.get(a)?.evidence).toEqual(evidence(10));
    expect(flags.get(a)?.overdue_since).toBeNull();
    expect(flags.get(a)?.sla_started_at.getTime()).toBe(minutes(40));
    expect(flags.get(b)?.evidence).toEqual(evidence(4));

    const history: { flag_id: string; reported_number: string; sequence: number; change: string }[] =
      await dataSource.query(
        `SELECT flag_id, reported_number, sequence, change FROM flag_history ORDER BY reported_number, sequence`,
      );
    expect(history).toEqual([
      { flag_id: flags.get(a)?.id, reported_number: a, sequence: 1, change: 'opened' },
      { flag_id: flags.get(a)?.id, reported_number: a, sequence: 2, change: 'overdue' },
      { flag_id: flags.get(a)?.id, reported_number: a, sequence: 3, change: 'raised' },
      { flag_id: flags.get(b)?.id, reported_number: b, sequence: 1, change: 'opened' },
      { flag_id: flags.get(b)?.id, reported_number: b, sequence: 2, change: 'claimed' },
    ]);
  });

  it("writes each flag once, a stored and a new one in one call, and names a member's campaign", async () => {
    const stored1 = '+84987000011';
    const member = '+84987000012';
    const fresh = '+84987000013';
    await save([
      change(stored1, 1, minutes(0), 'opened', null, 'open', evidence(3)),
      change(member, 1, minutes(0), 'opened', null, 'open', evidence(3)),
    ]);
    const ids = await stored();
    const campaignId = await seedCampaign(db, [{ number: member, flagId: ids.get(member)!.id }]);

    // The backend's row counts for flags before and after, in one transaction: PostgreSQL keeps
    // them in the backend until it reports them, so only the difference is this call's.
    const flagWrites = async (manager: EntityManager) => {
      const [row]: { inserted: string; updated: string }[] = await manager.query(
        `SELECT n_tup_ins AS inserted, n_tup_upd AS updated FROM pg_stat_xact_user_tables WHERE relname = 'flags'`,
      );
      return { inserted: Number(row?.inserted ?? 0), updated: Number(row?.updated ?? 0) };
    };
    const { campaigns, written } = await dataSource.transaction(async (manager) => {
      const before = await flagWrites(manager);
      const campaigns = await saveIn(manager, [
        change(stored1, 2, minutes(5), 'claimed', 'open', 'in_review', null),
        change(member, 2, minutes(5), 'raised', 'open', 'open', evidence(5)),
        change(fresh, 1, minutes(5), 'opened', null, 'open', evidence(3)),
      ]);
      const after = await flagWrites(manager);
      return {
        campaigns,
        written: { inserted: after.inserted - before.inserted, updated: after.updated - before.updated },
      };
    });
    // Two stored flags updated once each, one inserted: not an upsert followed by an update.
    expect(written).toEqual({ inserted: 1, updated: 2 });
    expect(campaigns).toEqual(new Map([[member, String(campaignId)]]));

    const flags = await stored();
    expect(flags.get(stored1)?.id).toBe(ids.get(stored1)?.id);
    expect(flags.get(stored1)?.sla_started_at.getTime()).toBe(minutes(5));
    expect(flags.get(member)?.evidence).toEqual(evidence(5));
    expect(flags.get(fresh)?.evidence).toEqual(evidence(3));
    expect(flags.get(fresh)?.sla_started_at.getTime()).toBe(minutes(5));
    const history: { flag_id: string; sequence: number }[] = await dataSource.query(
      `SELECT flag_id, sequence FROM flag_history WHERE reported_number = $1`,
      [fresh],
    );
    expect(history).toEqual([{ flag_id: flags.get(fresh)?.id, sequence: 1 }]);
  });

  it('refuses a change made on a flag that has changed since, and a second flag for a number', async () => {
    const number = '+84987000021';
    await save([change(number, 1, minutes(0), 'opened', null, 'open', evidence(3))]);
    await save([change(number, 2, minutes(1), 'claimed', 'open', 'in_review', null)]);
    const before = (await stored()).get(number);

    // Made from the flag at sequence 1, after another change took it to 2: nothing is written.
    await expect(save([change(number, 2, minutes(2), 'overdue', 'open', 'open', null)])).rejects.toThrow(
      /flag_id/,
    );
    // Made as if no flag were stored (the caller read none, another transaction inserted one since).
    await expect(save([change(number, 1, minutes(2), 'opened', null, 'open', evidence(9))])).rejects.toThrow(
      /flags_reported_number_key/,
    );
    // Two changes of one flag in a call would leave one of them to chance.
    await expect(
      save([
        change(number, 3, minutes(3), 'overdue', 'in_review', 'in_review', null),
        change(number, 3, minutes(3), 'overdue', 'in_review', 'in_review', null),
      ]),
    ).rejects.toThrow(/one change per flag/);

    expect((await stored()).get(number)).toEqual(before);
    const history: { sequence: number }[] = await dataSource.query(
      `SELECT sequence FROM flag_history WHERE reported_number = $1 ORDER BY sequence`,
      [number],
    );
    expect(history.map((h) => h.sequence)).toEqual([1, 2]);
  });
});
