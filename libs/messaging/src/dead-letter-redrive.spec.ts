import fc from 'fast-check';
import type { DeadLetterRecord } from './dead-letter';
import { countBy, DeadLetterEntry, DeadLetterFilter, planRedrive } from './dead-letter-redrive';

const TOPICS = {
  inputs: ['reports.sms.raw', 'reports.submitted', 'reports.accepted'],
  submitted: 'reports.submitted',
};
const ALL: DeadLetterFilter = { reasons: null, sourceTopics: null, since: null, until: null };

function record(offset: number, overrides: Partial<DeadLetterRecord> = {}): DeadLetterRecord {
  return {
    reason: 'unstorable',
    detail: 'PostgreSQL refused it (SQLSTATE 23514), table reports, constraint x',
    source: {
      topic: 'reports.accepted',
      partition: 1,
      offset: String(offset),
      key: '+84987000101',
      timestamp: '1',
    },
    valueBase64: Buffer.from(`{"reportId":"r${offset}"}`).toString('base64'),
    valueBytes: 17,
    valueTruncated: false,
    deadLetteredAt: '2026-11-29T10:00:00.000Z',
    ...overrides,
  };
}

const entry = (position: number, value: unknown): DeadLetterEntry => ({
  position: `0/${position}`,
  value: value === null ? null : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
});

describe('planning a redrive of dead letters', () => {
  it('sends each selected original back to its source topic with its key and exact bytes', () => {
    const bytes = Buffer.from([0xff, 0x00, 0x7b, 0x22]); // not even UTF-8: sent as it came
    const plan = planRedrive(
      [
        entry(0, record(5)),
        entry(
          1,
          record(6, { valueBase64: bytes.toString('base64'), source: { ...record(6).source, key: null } }),
        ),
      ],
      ALL,
      TOPICS,
    );
    expect(plan.redrive.map((r) => [r.topic, r.key, r.value.toString('hex')])).toEqual([
      ['reports.accepted', '+84987000101', Buffer.from('{"reportId":"r5"}').toString('hex')],
      ['reports.accepted', null, 'ff007b22'],
    ]);
    expect(plan.skipped).toEqual([]);
    expect(plan.unreadable).toEqual([]);
  });

  it('selects by reason, source topic and time, the end of the range excluded', () => {
    const entries = [
      entry(0, record(1, { reason: 'invalid_json' })),
      entry(1, record(2, { deadLetteredAt: '2026-11-29T09:59:59.999Z' })),
      entry(2, record(3, { deadLetteredAt: '2026-11-29T12:00:00.000Z' })),
      entry(3, record(4, { source: { ...record(4).source, topic: 'reports.sms.raw' } })),
      entry(4, record(5)),
    ];
    const plan = planRedrive(
      entries,
      {
        reasons: ['unstorable'],
        sourceTopics: ['reports.accepted'],
        since: new Date('2026-11-29T10:00:00Z'),
        until: new Date('2026-11-29T12:00:00Z'),
      },
      TOPICS,
    );
    expect(plan.selected.map((s) => s.position)).toEqual(['0/4']);
    expect(plan.redrive.map((r) => r.record.source.offset)).toEqual(['5']);
  });

  it('skips, and says why, what cannot or need not be sent again', () => {
    const plan = planRedrive(
      [
        entry(0, record(1, { valueTruncated: true, valueBytes: 300_000 })),
        entry(1, record(2, { reason: 'empty_message', valueBase64: null, valueBytes: 0 })),
        entry(2, record(3, { source: { ...record(3).source, topic: 'someone.elses.topic' } })),
        entry(3, record(4)),
        entry(4, record(4, { deadLetteredAt: '2026-11-29T10:00:01.000Z' })), // a retried batch's second copy
      ],
      ALL,
      TOPICS,
    );
    expect(plan.skipped.map((s) => [s.position, s.why])).toEqual([
      ['0/0', 'truncated'],
      ['0/1', 'no_value'],
      ['0/2', 'not_an_input_topic'],
      ['0/4', 'repeat'],
    ]);
    expect(plan.redrive.map((r) => r.position)).toEqual(['0/3']);
  });

  it('reports what is not a dead-letter record without stopping, and reads records of other versions', () => {
    const { valueBytes: _bytes, valueTruncated: _truncated, ...older } = record(3);
    const plan = planRedrive(
      [
        entry(0, null),
        entry(1, 'not json {'),
        entry(2, { reason: 'unstorable' }),
        entry(3, { ...record(1), reason: 'a_reason_added_later' }),
        entry(4, { ...record(2), addedInAFutureVersion: { x: 1 } }),
        entry(5, older),
      ],
      ALL,
      TOPICS,
    );
    expect(plan.unreadable.map((u) => u.position)).toEqual(['0/0', '0/1', '0/2']);
    expect(plan.unreadable[1].problem).toMatch(/^not JSON/);
    expect(plan.unreadable[2].problem).toMatch(/^not a dead-letter record: detail/);
    expect(plan.selected.map((s) => s.record.reason)).toEqual([
      'a_reason_added_later',
      'unstorable',
      'unstorable',
    ]);
    expect(plan.redrive.map((r) => r.record.source.offset)).toEqual(['1', '2', '3']);
    expect(plan.redrive[2].record).toMatchObject({ valueTruncated: false, valueBytes: 17 });
  });

  it.each([
    ['a reason with escape sequences', { reason: 'unstorable\u001b[2J' }],
    ['a detail of a megabyte', { detail: 'x'.repeat(1_000_000) }],
    [
      'a source topic Kafka would not name',
      { source: { ...record(1).source, topic: '../reports accepted' } },
    ],
    ['a key of a megabyte', { source: { ...record(1).source, key: 'k'.repeat(1_000_000) } }],
    ['an original beyond what a record keeps', { valueBase64: 'A'.repeat(400_000) }],
    ['an original that is not base64', { valueBase64: '{"not":"base64"}' }],
  ])('reports a forged record with %s as unreadable, not sent', (_, change) => {
    const plan = planRedrive([entry(0, { ...record(1), ...change })], ALL, TOPICS);
    expect(plan.unreadable.map((u) => u.position)).toEqual(['0/0']);
    expect(plan.redrive).toEqual([]);
  });

  it('sends a hotline submission back only when it carries its idempotency key', () => {
    const submitted = (offset: number, body: unknown) =>
      record(offset, {
        source: { ...record(offset).source, topic: 'reports.submitted' },
        valueBase64: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)).toString('base64'),
      });
    const plan = planRedrive(
      [
        entry(0, submitted(1, { idempotencyKey: 'call-2026-11-29-0001', reporter: '0912345678' })),
        entry(1, submitted(2, { reporter: '0912345678' })),
        entry(2, submitted(3, { idempotencyKey: '   ' })),
        entry(3, submitted(4, 'not json')),
      ],
      ALL,
      TOPICS,
    );
    expect(plan.redrive.map((r) => r.record.source.offset)).toEqual(['1']);
    expect(plan.skipped.map((s) => [s.record.source.offset, s.why])).toEqual([
      ['2', 'no_identity'],
      ['3', 'no_identity'],
      ['4', 'no_identity'],
    ]);
  });

  it('never throws, and accounts for every message it reads exactly once', () => {
    const anyEntry = fc.oneof(
      fc.nat(50).map((o) => record(o)),
      fc
        .record({ offset: fc.nat(50), truncated: fc.boolean(), empty: fc.boolean() })
        .map(({ offset, truncated, empty }) =>
          record(offset, {
            valueTruncated: truncated,
            valueBase64: empty ? null : record(offset).valueBase64,
          }),
        ),
      fc.jsonValue(),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(anyEntry, { maxLength: 40 }), (values) => {
        const entries = values.map((v, i) => entry(i, v));
        const plan = planRedrive(entries, ALL, TOPICS);
        expect(plan.selected.length + plan.unreadable.length).toBe(entries.length);
        expect(plan.redrive.length + plan.skipped.length).toBe(plan.selected.length);
        const sent = plan.redrive.map(
          (r) => `${r.topic}/${r.record.source.partition}/${r.record.source.offset}`,
        );
        expect(new Set(sent).size).toBe(sent.length);
      }),
    );
  });

  it('counts by reason and source topic, in a stable order', () => {
    const plan = planRedrive(
      [entry(0, record(1)), entry(1, record(2, { reason: 'invalid_json' })), entry(2, record(3))],
      ALL,
      TOPICS,
    );
    expect([...countBy(plan.selected)]).toEqual([
      ['invalid_json from reports.accepted', 1],
      ['unstorable from reports.accepted', 2],
    ]);
  });
});
