import {
  FlagQueueRepository,
  FlagsRepository,
  UrgencyCursor,
  UrgentFlagRow,
} from '@abuse-monitor/persistence';
import { fake, testActor } from '@abuse-monitor/persistence/testing';
import type { ApiConfig } from '../api.config';
import { ApiProblem } from '../http/problem';
import { FlagCaller, FlagCommandsService } from './flag-commands.service';
import { FlagQueueService } from './flag-queue.service';

const HOUR = 3_600_000;
const config = {
  SLA_HIGH: 2 * HOUR,
  SLA_MEDIUM: 24 * HOUR,
  SLA_LOW: 72 * HOUR,
  SLA_REVIEW_HIGH: 4 * HOUR,
  SLA_REVIEW_MEDIUM: 48 * HOUR,
  SLA_REVIEW_LOW: 168 * HOUR,
} as ApiConfig;
const caller: FlagCaller = { actor: testActor('lan.analyst', 'analyst'), mayOverride: false };

const candidate = (id: number) =>
  ({ id: String(id), due_micros: String(id * 1000), rank: 3, reporters_key: 2 }) as unknown as UrgentFlagRow;

function service(parts: {
  queue?: Partial<FlagQueueRepository>;
  flags?: Partial<FlagsRepository>;
  commands?: Partial<FlagCommandsService>;
}) {
  return new FlagQueueService(
    fake<FlagQueueRepository>(parts.queue ?? {}),
    fake<FlagsRepository>(parts.flags ?? {}),
    fake<FlagCommandsService>(parts.commands ?? {}),
    config,
  );
}

describe('FlagQueueService', () => {
  it('decides each flag on its own: a stale one and a failing one are refused, the others done', async () => {
    const acted: string[] = [];
    const s = service({
      commands: {
        act: async (flagId) => {
          if (flagId === '2')
            throw new ApiProblem('version-conflict', 'the flag is at version 4', { currentVersion: 4 });
          if (flagId === '3') throw new Error('connection reset');
          acted.push(flagId);
          return { sequence: 2, status: 'dismissed' } as never;
        },
      },
      // Someone changed the flags again since: the answer must still say what this decision left.
      flags: { byId: async (id) => ({ id, sequence: 7, status: 'open' }) as never },
    });
    const answer = await s.bulkDecide(
      ['1', '2', '3', '4'].map((flagId) => ({ flagId, version: 1 })),
      'dismiss',
      'quang cao',
      null,
      caller,
    );
    expect(acted).toEqual(['1', '4']);
    expect(answer.done).toEqual([
      { flagId: 1, version: 2, status: 'dismissed' },
      { flagId: 4, version: 2, status: 'dismissed' },
    ]);
    expect(answer.refused).toEqual([
      {
        flagId: 2,
        status: 409,
        type: 'urn:abuse-monitor:problem:version-conflict',
        detail: 'the flag is at version 4',
        currentVersion: 4,
      },
      expect.objectContaining({ flagId: 3, status: 500, type: 'urn:abuse-monitor:problem:internal' }),
    ]);
  });

  it('decides through the decisions command with a reason code, so each flag keeps it', async () => {
    const decided: { flagId: string; version: number; reasonCode: string; note: string | null }[] = [];
    const s = service({
      commands: {
        act: async () => {
          throw new Error('a bulk decision with a reason code must not go through act');
        },
        decide: async (flagId, version, decision, details) => {
          expect(decision).toBe('warn');
          decided.push({ flagId, version, reasonCode: details.reasonCode, note: details.note });
          return { after: { sequence: version + 1, status: 'actioned' } } as never;
        },
      },
    });
    const answer = await s.bulkDecide(
      [
        { flagId: '5', version: 2 },
        { flagId: '6', version: 3 },
      ],
      'warn',
      'goi rac',
      null,
      caller,
      'confirmed_spam',
    );
    expect(decided).toEqual([
      { flagId: '5', version: 2, reasonCode: 'confirmed_spam', note: 'goi rac' },
      { flagId: '6', version: 3, reasonCode: 'confirmed_spam', note: 'goi rac' },
    ]);
    expect(answer).toEqual({
      done: [
        { flagId: 5, version: 3, status: 'actioned' },
        { flagId: 6, version: 4, status: 'actioned' },
      ],
      refused: [],
    });
  });

  it('claims from the next candidates, after the last one, when all of the first went to others', async () => {
    const pages: (UrgencyCursor | undefined)[] = [];
    const offered: string[][] = [];
    let claims = 0;
    const s = service({
      queue: {
        page: async (filter, _sla, after) => {
          expect(filter).toEqual({ status: ['open'], claimableBy: 'lan.analyst' });
          pages.push(after);
          return after ? [candidate(21), candidate(22)] : [candidate(1), candidate(2)];
        },
        lockFirstClaimable: async (_manager, ids) => {
          offered.push([...ids]);
          return null;
        },
      },
      commands: {
        claimPicked: async (pick) => {
          await pick({} as never);
          return ++claims === 1 ? null : '21';
        },
      },
    });
    await expect(s.claimNext(caller)).resolves.toBe('21');
    expect(offered).toEqual([
      ['1', '2'],
      ['21', '22'],
    ]);
    expect(pages).toEqual([
      undefined,
      { sort: 'urgency', dueMicros: '2000', rank: 3, reporters: 2, id: '2' },
    ]);
  });

  it('answers 404 when no open flag is left to claim', async () => {
    const s = service({ queue: { page: async () => [] } });
    await expect(s.claimNext(caller)).rejects.toMatchObject({ kind: 'not-found', status: 404 });
  });

  it('adds up the wave ahead and lists only the stages with something in it', async () => {
    const s = service({
      queue: {
        dueSoon: async (_sla, _now, horizons) => {
          expect(horizons).toEqual([HOUR, 4 * HOUR]);
          return [
            { status: 'open', severity: 'high', overdue: 2, within: [832, 832] },
            { status: 'open', severity: 'low', overdue: 0, within: [0, 0] },
            { status: 'in_review', severity: 'medium', overdue: 1, within: [0, 3] },
          ];
        },
      },
    });
    const wave = await s.dueSoon(new Date('2026-12-04T10:00:00Z'));
    expect(wave).toEqual({
      at: '2026-12-04T10:00:00.000Z',
      overdue: 3,
      within1h: 832,
      within4h: 835,
      byStage: [
        { stage: 'queue', severity: 'high', overdue: 2, within1h: 832, within4h: 832 },
        { stage: 'review', severity: 'medium', overdue: 1, within1h: 0, within4h: 3 },
      ],
    });
  });
});
