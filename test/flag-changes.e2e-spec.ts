import 'reflect-metadata';
import { DataSource } from 'typeorm';
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
 * saveFlagChanges: what the upsert of flags cannot say (the evidence that explains the flag, the
 * SLA clock, the overdue mark) and the history rows, for several flags in one call.
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

  const save = (changes: { flag: FlagState; entry: FlagHistoryEntry }[]) =>
    dataSource.transaction((manager) =>
      saveFlagChanges(
        changes.map(({ flag, entry }) => ({
          flag,
          coordinationShare: null,
          history: [entry],
          eventIds: new Map(),
        })),
        manager,
      ),
    );

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
});
