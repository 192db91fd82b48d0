import { RawSms, topicNames } from '@abuse-monitor/messaging';
import { decideSms } from './decide-sms';
import { IntakeOptions } from './intake-options';

const topics = topicNames('t-');
const options: IntakeOptions = {
  topics,
  maxReportLength: 480,
  shortCodes: ['156', '5656'],
  maxSubmissionAgeMs: 7 * 86_400_000,
};
const now = new Date('2026-12-03T08:00:00Z');

const sms = (change: Partial<RawSms>): RawSms => ({
  messageId: 'gw-1',
  from: '0912345678',
  to: '156',
  text: 'V 0987654321 quang cao',
  receivedAt: new Date('2026-12-03T07:59:00Z'),
  ...change,
});

const published = (decision: ReturnType<typeof decideSms>, topic: string) =>
  decision.messages.filter((m) => m.topic === topic).map((m) => JSON.parse(m.value as string));

describe('decideSms', () => {
  it.each(['84912345678', '+84912345678', '0912345678'])(
    'counts the sender %j as +84912345678 and replies to the address as given',
    (from) => {
      const decision = decideSms(sms({ from }), options, now);
      expect(published(decision, topics.accepted)).toMatchObject([{ reporter: '+84912345678' }]);
      expect(published(decision, topics.smsOutbound)).toMatchObject([{ to: from, from: '156' }]);
    },
  );

  it('rejects a sender that is no number as invalid_sender, unanswered', () => {
    const decision = decideSms(sms({ from: 'Alice' }), options, now);
    expect(decision).toMatchObject({ outcome: 'rejected', rejectionReason: 'invalid_sender' });
    expect(published(decision, topics.rejected)).toMatchObject([
      { reason: 'invalid_sender', reporter: 'Alice', shortCode: '156', sourceId: 'gw-1' },
    ]);
    expect(published(decision, topics.smsOutbound)).toEqual([]);
    expect(published(decision, topics.accepted)).toEqual([]);
  });

  it('rejects a message to a short code not configured, never storing it or replying from it', () => {
    const decision = decideSms(sms({ to: '\u202e156' }), options, now);
    expect(decision.rejectionReason).toBe('invalid_short_code');
    expect(published(decision, topics.rejected)).toMatchObject([
      { reason: 'invalid_short_code', shortCode: null, reporter: '0912345678' },
    ]);
    expect(decision.messages.map((m) => m.topic)).toEqual([topics.rejected]);
  });

  it('takes the short codes it is configured with', () => {
    const decision = decideSms(sms({ to: '9199' }), { ...options, shortCodes: ['9199'] }, now);
    expect(decision.outcome).toBe('accepted');
    expect(published(decision, topics.smsOutbound)).toMatchObject([{ from: '9199' }]);
  });

  it('sees a self report whichever way the sender is written', () => {
    const decision = decideSms(sms({ from: '84987654321' }), options, now);
    expect(decision.rejectionReason).toBe('self_report');
  });

  it('keeps a rejected text free of what the database refuses', () => {
    const decision = decideSms(sms({ text: 'xin\u0000chao \ud800' }), options, now);
    const [rejected] = published(decision, topics.rejected);
    expect(rejected).toMatchObject({ reason: 'no_keyword', text: 'xin chao \ufffd' });
  });
});
