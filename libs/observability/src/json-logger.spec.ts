import { Writable } from 'node:stream';
import { withCorrelationId } from './correlation';
import { JsonLogger, maskPhoneNumbers } from './json-logger';

function capture(level: 'log' | 'debug') {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString()
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as Record<string, unknown>),
      );
      done();
    },
  });
  return { logger: new JsonLogger('ingest', level, stream), lines };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('maskPhoneNumbers', () => {
  it.each([
    ['reporter +84912345678 sent 30 reports', 'reporter 091*****78 sent 30 reports'],
    ['from 0912345678 to 156', 'from 091*****78 to 156'],
    ['two: +84912345678, 0987654321.', 'two: 091*****78, 098*****21.'],
    ['without the plus: 84912345678', 'without the plus: 091*****78'],
    ['spaces: 0912 345 678', 'spaces: 091*****78'],
    ['dots: 0912.345.678', 'dots: 091*****78'],
    ['dashes: 0912-345-678', 'dashes: 091*****78'],
    ['parentheses: (+84) 912 345 678', 'parentheses: (091*****78'],
    ['full-width: ０９１２３４５６７８', 'full-width: 091*****78'],
  ])('masks %s', (text, masked) => {
    expect(maskPhoneNumbers(text)).toBe(masked);
  });

  it.each(['offset 1234567890123', 'batch of 500 messages in 120 ms', 'short code 156', 'id 20261129'])(
    'leaves %s alone',
    (text) => {
      expect(maskPhoneNumbers(text)).toBe(text);
    },
  );
});

describe('JsonLogger', () => {
  it('writes one JSON object per line with app, level, context and the correlation id in hand', async () => {
    const { logger, lines } = capture('log');
    withCorrelationId('reports.sms.raw/2@41', () => logger.log('batch stored', 'ReportIntakeService'));
    logger.warn('outside any batch', 'Kafka');
    await flush();
    expect(lines[0]).toMatchObject({
      level: 'info',
      app: 'ingest',
      context: 'ReportIntakeService',
      correlationId: 'reports.sms.raw/2@41',
      msg: 'batch stored',
    });
    expect(lines[1]).toMatchObject({ level: 'warn', context: 'Kafka', msg: 'outside any batch' });
    expect(lines[1]).not.toHaveProperty('correlationId');
    expect(typeof lines[0].time).toBe('string');
  });

  it('masks phone numbers at info and above, and shows them at debug, where an operator asked for them', async () => {
    const { logger, lines } = capture('debug');
    logger.warn('reporter +84912345678 marked suspicious', 'Guard');
    logger.error('cannot reply to 0912345678', 'Relay');
    logger.debug('reporter +84912345678 sent report r-1', 'Guard');
    await flush();
    expect(lines.map((l) => l.msg)).toEqual([
      'reporter 091*****78 marked suspicious',
      'cannot reply to 091*****78',
      'reporter +84912345678 sent report r-1',
    ]);
  });

  it('writes nothing below its level', async () => {
    const { logger, lines } = capture('log');
    logger.debug('not shown', 'X');
    logger.verbose('not shown', 'X');
    logger.log('shown', 'X');
    await flush();
    expect(lines.map((l) => l.msg)).toEqual(['shown']);
  });

  it('keeps the stack of an error apart from its message', async () => {
    const { logger, lines } = capture('log');
    logger.error('job failed', 'Error: no route to +84912345678\n    at run (job.ts:1:1)', 'Jobs');
    await flush();
    expect(lines[0]).toMatchObject({ level: 'error', context: 'Jobs', msg: 'job failed' });
    expect(String(lines[0].stack)).toContain('at run');
    expect(String(lines[0].stack)).toContain('no route to 091*****78');
  });
});
