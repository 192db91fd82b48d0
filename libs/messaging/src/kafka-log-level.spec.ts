import { logLevel as KafkaLogLevel, LogEntry } from 'kafkajs';
import { kafkaLogText, kafkaSinkLevel } from './kafka-log-level';

/** An entry as kafkajs' Connection logs a broker's error answer (the first one seen on a cold start). */
function answered(error: string, level = KafkaLogLevel.ERROR, namespace = 'Connection'): LogEntry {
  return {
    namespace,
    level,
    label: KafkaLogLevel[level],
    log: {
      timestamp: '2026-11-29T16:52:11.896Z',
      message: 'Response GroupCoordinator(key: 10, version: 2)',
      broker: '127.0.0.1:9092',
      clientId: 'abuse-monitor-aggregator',
      error,
      correlationId: 2,
      size: 55,
    },
  };
}

/** An entry as kafkajs' producer logs a send that failed and that it retries. */
function producerReport(message: string): LogEntry {
  return {
    namespace: 'Producer',
    level: KafkaLogLevel.ERROR,
    label: 'ERROR',
    log: { timestamp: '2026-12-06T03:17:08.512Z', message, retryCount: 0, retryTime: 11 },
  };
}

describe('kafkaSinkLevel', () => {
  it.each([
    ['a coordinator not yet available', 'The group coordinator is not available'],
    [
      'a coordinator still loading',
      "The coordinator is loading and hence can't process requests for this group",
    ],
    [
      'a leader election',
      'There is no leader for this topic-partition as we are in the middle of a leadership election',
    ],
    ['a topic not yet created everywhere', 'This server does not host this topic-partition'],
    ['a rebalance', 'The group is rebalancing, so a rejoin is needed'],
    ['a member the group dropped', 'The coordinator is not aware of this member'],
    ['apps racing to create the same topics', 'Topic creation errors'],
  ])('logs %s, which kafkajs gets past by itself, as a warning', (_, error) => {
    expect(kafkaSinkLevel(answered(error))).toBe('warn');
  });

  it.each([
    ['a refused authorisation', 'Not authorized to access topics: [Topic authorization failed.]'],
    [
      'a corrupt message',
      'This message has failed its CRC checksum, exceeds the valid size, or is otherwise corrupt',
    ],
    ['a failing broker disk', 'Disk error when trying to access log file on the disk'],
    ['an error kafkajs does not know', 'something no broker says'],
  ])('keeps %s an error', (_, error) => {
    expect(kafkaSinkLevel(answered(error))).toBe('error');
  });

  it('keeps an error that is not a broker answer an error, whatever its text', () => {
    const passing = 'The group coordinator is not available';
    expect(kafkaSinkLevel(answered(passing, KafkaLogLevel.ERROR, 'Consumer'))).toBe('error');
    const refused: LogEntry = {
      namespace: 'Connection',
      level: KafkaLogLevel.ERROR,
      label: 'ERROR',
      log: { timestamp: 't', message: 'Connection error: connect ECONNREFUSED 127.0.0.1:9092' },
    };
    expect(kafkaSinkLevel(refused)).toBe('error');
  });

  it("takes the answer between two back-to-back transactions for routine, also in the producer's report", () => {
    const concurrent =
      'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing';
    expect(kafkaSinkLevel(answered(concurrent))).toBe('debug');
    expect(kafkaSinkLevel(producerReport(`Failed to send messages: ${concurrent}`))).toBe('debug');
  });

  it("logs the producer's report of a send it retries as the broker's answer itself is logged", () => {
    const election =
      'There is no leader for this topic-partition as we are in the middle of a leadership election';
    expect(kafkaSinkLevel(producerReport(`Failed to send messages: ${election}`))).toBe('warn');
    expect(
      kafkaSinkLevel(
        producerReport('Failed to send messages: Disk error when trying to access log file on the disk'),
      ),
    ).toBe('error');
    expect(kafkaSinkLevel(producerReport('Failed to send messages: something no broker says'))).toBe('error');
    expect(kafkaSinkLevel(producerReport('Connection error: connect ECONNREFUSED 127.0.0.1:9092'))).toBe(
      'error',
    );
  });

  it('passes warnings on as warnings and the rest as debug', () => {
    const passing = 'The group coordinator is not available';
    expect(kafkaSinkLevel(answered(passing, KafkaLogLevel.WARN))).toBe('warn');
    expect(kafkaSinkLevel(answered(passing, KafkaLogLevel.INFO))).toBe('debug');
    expect(kafkaSinkLevel(answered(passing, KafkaLogLevel.DEBUG))).toBe('debug');
  });
});

describe('kafkaLogText', () => {
  it('writes an error a handler threw as its name and message, never the parameters it carries', () => {
    const failure = Object.assign(new Error('gave up: handle 3 messages of reports.sms.raw[0]'), {
      name: 'GaveUpError',
      lastError: Object.assign(new Error('violates check constraint'), {
        parameters: ['V 0987654321 lua dao, goi lai cho toi'],
      }),
    });
    const entry: LogEntry = {
      namespace: 'Runner',
      level: KafkaLogLevel.ERROR,
      label: 'ERROR',
      log: {
        timestamp: 't',
        message: 'Error when calling eachBatch',
        topic: 'reports.sms.raw',
        error: failure,
      },
    };
    const text = kafkaLogText(entry);
    expect(text).toBe(
      '[kafkajs Runner] Error when calling eachBatch {"timestamp":"t","topic":"reports.sms.raw",' +
        '"error":"GaveUpError: gave up: handle 3 messages of reports.sms.raw[0]"}',
    );
    expect(text).not.toContain('lua dao');
  });
});
