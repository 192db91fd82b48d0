import { decisionConfirmation } from './decision-outcome.ts';
import { useLanguage } from './i18n.ts';
import type { DecisionOutcome } from './types.ts';

const ICT = 'Asia/Ho_Chi_Minh';

function outcome(over: Partial<DecisionOutcome>): DecisionOutcome {
  return {
    decision: 'warn',
    reasonCode: 'confirmed_scam',
    note: null,
    decidedBy: 'analyst-a',
    decidedAt: '2026-12-04T10:00:00.000Z',
    before: { status: 'in_review', assignee: 'analyst-a', version: 2 },
    after: { status: 'actioned', assignee: 'analyst-a', version: 3, takenAction: 'warn' },
    watchUntil: null,
    allowlisted: null,
    events: [{ eventId: 'flag:+84987000101:3', type: 'actioned', topic: 'subscriber.flags' }],
    historySequence: 3,
    ...over,
  };
}

const dismissal = outcome({
  decision: 'dismiss',
  reasonCode: 'legitimate_business',
  after: { status: 'dismissed', assignee: 'sup', version: 3, takenAction: null },
  before: { status: 'in_review', assignee: 'sup', version: 2 },
});
const listed = {
  kind: 'number' as const,
  pattern: '+84987000202',
  reason: 'Tổng đài',
  owner: 'Ngân hàng A',
  until: null,
  alreadyListed: false,
};

describe('the confirmation of a decision', () => {
  afterEach(() => useLanguage('en'));

  it('says the decision, its reason, the status it left and that provisioning was told', () => {
    expect(decisionConfirmation(outcome({}), null, ICT)).toBe(
      'Recorded: Warn the subscriber, reason: Confirmed scam. The flag is now Actioned (it was In review). ' +
        'Provisioning is told (1 event).',
    );
    expect(decisionConfirmation(outcome({}), 41, ICT)).toMatch(
      /^Recorded on flag 41: Warn the subscriber, reason: Confirmed scam\. /,
    );
  });

  it('names the allowlist entry and its end, or says it has none, or that it was there already', () => {
    expect(decisionConfirmation({ ...dismissal, allowlisted: listed }, null, ICT)).toContain(
      '+84987000202 is allowlisted with no end date: until a supervisor removes the entry.',
    );
    expect(
      decisionConfirmation(
        { ...dismissal, allowlisted: { ...listed, until: '2027-01-31T17:00:00.000Z' } },
        null,
        ICT,
      ),
    ).toContain('+84987000202 is allowlisted until 1 Feb 2027, 00:00 GMT+7.');
    expect(
      decisionConfirmation({ ...dismissal, allowlisted: { ...listed, alreadyListed: true } }, null, ICT),
    ).toContain('+84987000202 was already on the allowlist.');
    expect(decisionConfirmation(dismissal, null, ICT)).not.toContain('allowlist');
  });

  it('gives the watch date in the analyst’s zone, says the holder let go, and that nothing was enforced', () => {
    const watched = outcome({
      decision: 'watch',
      reasonCode: 'too_few_reports',
      after: { status: 'watched', assignee: null, version: 3, takenAction: null },
      watchUntil: '2026-12-11T10:00:00.000Z',
      events: [],
    });
    expect(decisionConfirmation(watched, null, ICT)).toBe(
      'Recorded: Watch, reason: Too few reports yet. The flag is now Watched (it was In review). ' +
        'Watched until 11 Dec 2026, 17:00 GMT+7: it comes back to the queue then, or sooner if a new report ' +
        'makes a rule fire. analyst-a no longer holds it. Nothing was sent to provisioning.',
    );
    useLanguage('vi');
    const vi = decisionConfirmation(watched, null, ICT);
    expect(vi).toContain('Đã ghi: Theo dõi, lý do: Còn quá ít báo cáo.');
    expect(vi).toContain('Theo dõi đến 17:00 GMT+7 11 thg 12, 2026');
  });

  it('shows a reason code it has no words for as written', () => {
    expect(decisionConfirmation(outcome({ reasonCode: 'sim_farm' }), null, ICT)).toContain(
      'reason: sim farm.',
    );
  });
});
