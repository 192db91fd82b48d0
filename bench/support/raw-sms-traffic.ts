import { checkSmsEnvelope, parseReportText } from '@abuse-monitor/domain';
import { decodeRawSms } from '@abuse-monitor/messaging';
import { TrafficGenerator, TrafficMix } from '../../apps/simulator/src/traffic-generator';
import { BenchMessage, BenchTraffic, e164 } from './bench-traffic';
import { createRandom } from './random';

/** SMS_SHORT_CODES as the bench runs ingest: its default. */
const SHORT_CODES = ['156', '5656'];

/**
 * The simulator's mix, set so that about 10% of what reaches the short codes is no report: 7.5%
 * on purpose (texts that are not reports, malformed ones, broken JSON), and about 2% numbers the
 * generator draws under a carrier's prefix that the numbering plan does not assign (0890-0895,
 * most of 099). 3% are the gateway delivering the same message (same messageId) again.
 */
export const BENCH_RAW_MIX: TrafficMix = {
  heavySpammerShare: 0.35,
  // The bench measures throughput: one number more or less among the reported changes nothing.
  spoofedBankShare: 0,
  notAReportShare: 0.03,
  malformedShare: 0.04,
  duplicateShare: 0.03,
  brokenJsonShare: 0.005,
  // The benches' stream stays the one their recorded figures were measured on.
  campaignShare: 0,
};

/** The ingest app's default REPORT_MAX_LENGTH (the bench does not set it). */
const REPORT_MAX_LENGTH = 480;

/**
 * 3,000 spammers, the first reported far more often than the last (index = r² × 3,000, as in
 * accepted-reports.ts): a few numbers reported many times a day, most a few times a year.
 */
function weightedSpammers(random: () => number): string[] {
  const prefixes = ['086', '096', '097', '098', '088', '091', '094', '090', '093', '070', '077'];
  const spammers: string[] = [];
  while (spammers.length < 3_000) {
    const prefix = prefixes[spammers.length % prefixes.length];
    const number = `${prefix}${String(Math.floor(random() * 10_000_000)).padStart(7, '0')}`;
    // Only numbers the numbering plan assigns: one that is not would turn its share into rejections.
    if (parseReportText(`V ${number}`).ok) spammers.push(number);
  }
  // The generator picks uniformly from its list: listing spammer i in proportion to its weight.
  return Array.from({ length: 30_000 }, (_, j) => spammers[Math.floor((j / 30_000) ** 2 * spammers.length)]);
}

/**
 * What the SMS gateway puts on reports.sms.raw, from apps/simulator's TrafficGenerator (the
 * notations people type, texts that are not reports, malformed ones, broken JSON, redeliveries),
 * with the bench's mix and clock. Every message is decided as the ingest app decides it (decoded
 * with the gateway's schema, parsed by the domain's parser), so that the number of reports the
 * aggregator must count is known exactly; a redelivered messageId counts once.
 */
export class RawSmsTraffic implements BenchTraffic {
  messages = 0;
  acceptedReports = 0;
  /** Messages the ingest app takes for another delivery of one it has seen. */
  redeliveries = 0;
  /** Valid gateway messages that are not reports (a reply and reports.rejected). */
  rejected = 0;
  /** Messages the gateway's schema refuses (reports.deadletter). */
  deadLettered = 0;

  private readonly generator: TrafficGenerator;
  private readonly seen = new Set<string>();
  private at = 0;
  private ownSequence = 0;

  constructor(
    readonly topic: string,
    seed: number,
  ) {
    const random = createRandom(seed);
    this.generator = new TrafficGenerator(random, BENCH_RAW_MIX, () => new Date(this.at));
    // The simulator's five heavy spammers would take 35% of a year's reports between them, be
    // flagged all day and make every batch of the aggregator a few huge timelines; national
    // traffic spreads over thousands of numbers.
    this.generator.heavySpammers.splice(0, this.generator.heavySpammers.length, ...weightedSpammers(random));
  }

  describe(): string {
    const n = (count: number) => count.toLocaleString('en-US');
    return (
      `${n(this.acceptedReports)} reports to count, ${n(this.rejected)} rejected, ` +
      `${n(this.deadLettered)} dead letters, ${n(this.redeliveries)} redeliveries`
    );
  }

  next(at: number): BenchMessage {
    this.at = at;
    const message = this.generator.next();
    this.expect(message.value);
    return message;
  }

  report(
    reportedNational: string,
    reporterNational: string,
    at: number,
  ): BenchMessage & { reportedNumber: string } {
    this.ownSequence += 1;
    const value = JSON.stringify({
      messageId: `bench-${at}-${this.ownSequence}`,
      from: reporterNational,
      to: '156',
      text: `V ${reportedNational} goi lam phien`,
      receivedAt: new Date(at).toISOString(),
    });
    if (this.expect(value) !== 'accepted')
      throw new Error(`the bench's own report is not accepted: ${value}`);
    return { key: reporterNational, value, reportedNumber: e164(reportedNational) };
  }

  /** What the ingest app will make of this message, counted. */
  private expect(value: string): 'accepted' | 'rejected' | 'redelivery' | 'dead letter' {
    this.messages += 1;
    const decoded = decodeRawSms(Buffer.from(value));
    if (!decoded.ok) {
      this.deadLettered += 1;
      return 'dead letter';
    }
    const sms = decoded.value;
    if (this.seen.has(sms.messageId)) {
      this.redeliveries += 1;
      return 'redelivery';
    }
    this.seen.add(sms.messageId);
    if (!checkSmsEnvelope(sms.from, sms.to, SHORT_CODES).ok) {
      this.rejected += 1;
      return 'rejected';
    }
    const parsed = parseReportText(sms.text, {
      maxLength: REPORT_MAX_LENGTH,
      protectedNumbers: [],
      reporter: sms.from,
    });
    if (!parsed.ok) {
      this.rejected += 1;
      return 'rejected';
    }
    this.acceptedReports += 1;
    return 'accepted';
  }
}
