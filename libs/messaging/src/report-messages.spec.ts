import {
  actOnFlag,
  applyRuleFiring,
  countWindows,
  DEFAULT_RULES,
  dismissFlag,
  type FlagEvent,
  type FlagTransition,
  reopenFlag,
} from '@abuse-monitor/domain';
import { flagEventMessage } from './flag-events';
import { decodeJsonMessage } from './raw-sms.schema';
import { acceptedReportSchema, flagEventSchema, rejectedReportSchema } from './report-messages';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value));
const HOUR = 3_600_000;
const recently = new Date(Date.now() - HOUR).toISOString();

const accepted = {
  reportId: '0b6f1d7e-4b1a-4c1e-9d8e-0a9b8c7d6e5f',
  channel: 'sms',
  shortCode: '156',
  sourceId: 'gw-1',
  reporter: '+84912345678',
  reportedNumber: '+84987654321',
  numberType: 'mobile',
  carrier: 'viettel',
  convertedFromLegacy: false,
  kind: 'spam_call',
  category: 'impersonation',
  categoryKeyword: 'cong an',
  content: 'goi tu xung cong an\r\ndoi chuyen tien',
  agentId: null,
  receivedAt: recently,
  acceptedAt: recently,
};
const hotline = { ...accepted, channel: 'hotline', shortCode: null, agentId: 'agent-17' };

const decodeAccepted = (value: unknown) => decodeJsonMessage(acceptedReportSchema, encode(value));
const refusal = (value: unknown) => {
  const result = decodeAccepted(value);
  return result.ok ? 'accepted' : `${result.reason}: ${result.detail}`;
};

describe('acceptedReportSchema', () => {
  it('takes an SMS report and a hotline report as ingest publishes them', () => {
    expect(decodeAccepted(accepted)).toEqual({ ok: true, value: accepted });
    expect(decodeAccepted(hotline)).toEqual({ ok: true, value: hotline });
  });

  it('drops fields it does not know, so a newer ingest does not stop this consumer', () => {
    const result = decodeAccepted({ ...accepted, addedLater: 1 });
    expect(result.ok && 'addedLater' in result.value).toBe(false);
  });

  it.each([
    ['a category outside the list', { category: 'phishing' }, /^invalid_fields: category: /],
    ['a carrier outside the list', { carrier: 'acme' }, /^invalid_fields: carrier: /],
    ['a kind outside the list', { kind: 'spam_fax' }, /^invalid_fields: kind: /],
    ['a channel outside the list', { channel: 'email' }, /^invalid_fields: channel: /],
    ['a number type outside the list', { numberType: 'satellite' }, /^invalid_fields: numberType: /],
    ['the police number', { reportedNumber: '+84113' }, /reportedNumber: is a protected number/],
    ['a reporting short code', { reportedNumber: '+84156' }, /reportedNumber: is a protected number/],
    ['a number outside the plan', { reportedNumber: '+84000' }, /reportedNumber: is not a Vietnamese/],
    ['a reporter over 64 characters', { reporter: '9'.repeat(65) }, /reporter: must be at most 64/],
    ['an empty reporter', { reporter: '' }, /reporter: must be at least 1/],
    ['a reporter with a NUL', { reporter: '+8491\u0000777' }, /reporter: must not hold control/],
    ['a reporter in national form', { reporter: '0912345678' }, /reporter: must be a Vietnamese subscriber/],
    ['a reporter who is a name', { reporter: 'Alice' }, /reporter: must be a Vietnamese subscriber/],
    ['a toll-free reporter', { reporter: '+8418001091' }, /reporter: must be a Vietnamese subscriber/],
    ['a source id over 512 characters', { sourceId: 'x'.repeat(513) }, /sourceId: must be at most 512/],
    ['content with a NUL', { content: 'a\u0000b' }, /content: must not hold control/],
    ['content with a lone surrogate', { content: 'a\ud800b' }, /content: must not hold unpaired/],
    ['content longer than any SMS', { content: 'x'.repeat(65_537) }, /content: must be at most 65536/],
    [
      'a year-9999 time',
      { receivedAt: '9999-12-31T23:59:59Z' },
      /receivedAt: must not be more than 24 hours ahead/,
    ],
    ['a time before 2000', { receivedAt: '1970-01-01T00:00:00Z' }, /receivedAt: must not be before 2000/],
    ['a time without a zone', { receivedAt: '2026-11-29T07:00:00' }, /receivedAt: must be an ISO 8601/],
    [
      'a carrier the number does not have',
      { carrier: 'mobifone' },
      /carrier: does not match the reported number/,
    ],
    ['a number type the number does not have', { numberType: 'toll_free' }, /numberType: does not match/],
    ['an SMS report with an agent', { agentId: 'agent-17' }, /agentId: must be given for a hotline report/],
    ['an SMS report without its short code', { shortCode: null }, /shortCode: must be given for an SMS/],
    ['a short code with a bidi control', { shortCode: '\u202e651' }, /shortCode: must be a short code of 2/],
    [
      'a short code that is a word',
      { shortCode: 'SPAM' },
      /shortCode: must be a short code of 2 to 8 digits/,
    ],
    ['a source id with a zero-width space', { sourceId: 'gw\u200b-1' }, /sourceId: must not hold invisible/],
    ['a keyword with a bidi isolate', { categoryKeyword: '\u2067cong an' }, /categoryKeyword: must not hold/],
    [
      'a hotline agent with a bidi control',
      { ...hotline, agentId: 'agent\u202e-17' },
      /agentId: must not hold/,
    ],
  ])('dead-letters %s', (_, change, reason) => {
    expect(refusal({ ...accepted, ...change })).toMatch(reason);
  });

  it('takes content with invisible format characters, which the aggregator strips before storing', () => {
    expect(decodeAccepted({ ...accepted, content: 'tai \u202egnp.exe' })).toMatchObject({ ok: true });
  });

  it('dead-letters a hotline report without its agent, which would escape per-agent limits', () => {
    expect(refusal({ ...hotline, agentId: null })).toMatch(/agentId: must be given for a hotline report/);
  });

  it('does not repeat the number it refuses in its reason', () => {
    expect(refusal({ ...accepted, reportedNumber: '+84113' })).not.toContain('113');
  });
});

describe('rejectedReportSchema', () => {
  const rejected = {
    sourceId: 'gw-2',
    channel: 'sms',
    shortCode: '156',
    reporter: 'Alice\u0000',
    reason: 'not_a_report',
    detail: 'no keyword',
    notAReportKind: null,
    fieldErrors: null,
    text: 'xin chao',
    receivedAt: recently,
    rejectedAt: recently,
  };
  const decode = (value: unknown) => decodeJsonMessage(rejectedReportSchema, encode(value));

  it('takes a rejection whose reporter is whatever was typed', () => {
    expect(decode(rejected)).toEqual({ ok: true, value: rejected });
  });

  it('takes invisible format characters in the free text, which is never shown as typed', () => {
    const withControls = { ...rejected, text: 'V \u202e0912', detail: 'no \u200bkeyword' };
    expect(decode(withControls)).toEqual({ ok: true, value: withControls });
  });

  it.each([
    ['a text over 500 characters', { text: 'x'.repeat(501) }],
    ['a detail over 2,000 characters', { detail: 'x'.repeat(2_001) }],
    ['a year-9999 time', { receivedAt: '9999-01-01T00:00:00Z' }],
    ['a thousand field errors', { fieldErrors: Array(1_000).fill({ field: 'a', code: 'b', message: 'c' }) }],
    ['a channel outside the list', { channel: 'fax' }],
    ['a short code with a bidi control', { shortCode: '15\u202e6' }],
    ['a short code that is no number', { shortCode: 'abc' }],
    ['a source id with a bidi control', { sourceId: 'gw\u202e-2' }],
  ])('dead-letters %s', (_, change) => {
    expect(decode({ ...rejected, ...change })).toMatchObject({ ok: false, reason: 'invalid_fields' });
  });
});

describe('flagEventSchema', () => {
  const [LOW, , , HIGH] = DEFAULT_RULES;
  const at = Date.parse('2026-11-20T08:00:00Z');
  const fire = (rule: (typeof DEFAULT_RULES)[number], flag: FlagTransition['state'] | null, when: number) =>
    applyRuleFiring('+84987654321', flag, {
      rule,
      at: when,
      evidence: {
        ruleId: rule.id,
        ruleVersion: rule.version,
        measured: rule.threshold,
        threshold: rule.threshold,
        counts: countWindows([], when),
        reportIds: ['0b6f1d7e-4b1a-4c1e-9d8e-0a9b8c7d6e5f'],
        reportsBehind: 1,
      },
    }) as FlagTransition;
  const done = (result: ReturnType<typeof actOnFlag>) => {
    if (!result.ok) throw new Error(result.refusal.message);
    return result.transition;
  };

  /** A flag's life: opened, raised, dismissed, reopened on appeal, actioned. */
  function lifeOfAFlag(): FlagEvent[] {
    const opened = fire(LOW, null, at);
    const raised = fire(HIGH, opened.state, at + 60_000);
    const dismissed = done(dismissFlag(raised.state, { analyst: 'supervisor.ha', at: at + HOUR }));
    const reopened = done(reopenFlag(dismissed.state, { analyst: 'supervisor.ha', at: at + 2 * HOUR }));
    const actioned = done(
      actOnFlag(reopened.state, {
        analyst: 'analyst.lan',
        at: at + 3 * HOUR,
        action: 'suspend',
        note: 'chắc chắn',
      }),
    );
    return [opened, raised, dismissed, reopened, actioned].flatMap((t) => (t.event ? [t.event] : []));
  }

  it('holds every event we publish in a flag life', () => {
    const events = lifeOfAFlag();
    expect(events.map((e) => e.type)).toEqual(['opened', 'raised', 'dismissed', 'reopened', 'actioned']);
    for (const event of events) {
      const published = JSON.parse(JSON.stringify(flagEventMessage(event)));
      expect(flagEventSchema.safeParse(published)).toMatchObject({ success: true });
    }
  });

  it('refuses a forged event: an event id for another number, an unknown action', () => {
    const published = JSON.parse(JSON.stringify(flagEventMessage(lifeOfAFlag()[4])));
    expect(flagEventSchema.safeParse({ ...published, eventId: 'flag:+84912345678:3' }).success).toBe(false);
    expect(flagEventSchema.safeParse({ ...published, takenAction: 'disconnect' }).success).toBe(false);
    expect(flagEventSchema.safeParse({ ...published, occurredAt: '9999-01-01T00:00:00Z' }).success).toBe(
      false,
    );
  });
});
