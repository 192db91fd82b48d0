import { bulkRequest, reasonKindOf, refusalText } from './bulk-decisions.ts';
import type { Selection } from './bulk-decisions.ts';
import { dueSoonNotice } from './due-soon.ts';
import { useLanguage } from './i18n.ts';
import { mayLeadTeam } from './team-view.ts';
import type { FlagSummary } from './types.ts';

const flag = (id: number, version: number) =>
  ({ id, version, reportedNumber: '+84912345678' }) as FlagSummary;

describe('the due-soon warning', () => {
  it('names the overdue flags and the nearest wave, and says nothing when nothing is due', () => {
    expect(dueSoonNotice({ overdue: 0, within1h: 0, within4h: 0 })).toBeNull();
    expect(dueSoonNotice({ overdue: 2, within1h: 0, within4h: 0 })).toEqual({ overdue: 2, wave: null });
    expect(dueSoonNotice({ overdue: 0, within1h: 3, within4h: 9 })).toEqual({
      overdue: 0,
      wave: { within: '1h', count: 3 },
    });
    expect(dueSoonNotice({ overdue: 1, within1h: 0, within4h: 9 })).toEqual({
      overdue: 1,
      wave: { within: '4h', count: 9 },
    });
  });
});

describe('bulk decisions from the queue', () => {
  beforeAll(() => useLanguage('en'));

  it('sends each selected flag with the version the analyst saw, the reason code and the note', () => {
    const selection: Selection = new Map([
      [7, flag(7, 3)],
      [9, flag(9, 1)],
    ]);
    expect(bulkRequest(selection, 'dismiss', 'not_abuse', 'quảng cáo hợp pháp')).toEqual({
      flags: [
        { flagId: '7', version: 3 },
        { flagId: '9', version: 1 },
      ],
      action: 'dismiss',
      reasonCode: 'not_abuse',
      note: 'quảng cáo hợp pháp',
    });
    expect(reasonKindOf('dismiss')).toBe('dismiss');
    expect(reasonKindOf('block_both')).toBe('act');
  });

  it('says a stale flag was changed by someone else, and passes other refusals on as the API said them', () => {
    expect(
      refusalText({
        flagId: 7,
        status: 409,
        type: 'urn:abuse-monitor:problem:version-conflict',
        detail: 'the flag is at version 4',
        currentVersion: 4,
      }),
    ).toBe('someone changed it since the queue was loaded (now version 4); open it and decide again.');
    expect(
      refusalText({
        flagId: 8,
        status: 409,
        type: 'urn:abuse-monitor:problem:state-conflict',
        detail: 'decided',
      }),
    ).toBe('decided');
  });
});

describe('the team view', () => {
  it('is offered to the roles that may reassign flags only', () => {
    expect(mayLeadTeam({ permissions: ['flags:read', 'flags:act', 'flags:reassign'] })).toBe(true);
    expect(mayLeadTeam({ permissions: ['flags:read', 'flags:act'] })).toBe(false);
  });
});
