import fc from 'fast-check';
import { KafkaMessage } from 'kafkajs';
import { deadLetterRecord, groupsUpTo, MAX_DEAD_LETTER_VALUE_BYTES } from './dead-letter';

const NOW = new Date('2026-11-29T08:00:00Z');

function kafkaMessage(value: Buffer | null): KafkaMessage {
  return {
    key: Buffer.from('k'),
    value,
    timestamp: '1795939200000',
    attributes: 0,
    offset: '42',
    headers: {},
  } as KafkaMessage;
}

describe('deadLetterRecord', () => {
  it('keeps an original up to the limit whole', () => {
    const value = Buffer.alloc(MAX_DEAD_LETTER_VALUE_BYTES, 0xff);
    const record = deadLetterRecord('t', 0, kafkaMessage(value), 'invalid_json', 'x', NOW);
    expect(Buffer.from(record.valueBase64 ?? '', 'base64').equals(value)).toBe(true);
    expect(record).toMatchObject({ valueBytes: value.length, valueTruncated: false });
  });

  it('keeps the beginning of a longer original and says how long it was', () => {
    const value = Buffer.concat([Buffer.alloc(MAX_DEAD_LETTER_VALUE_BYTES, 0x61), Buffer.from('tail')]);
    const record = deadLetterRecord('t', 0, kafkaMessage(value), 'invalid_json', 'x', NOW);
    const kept = Buffer.from(record.valueBase64 ?? '', 'base64');
    expect(kept.length).toBe(MAX_DEAD_LETTER_VALUE_BYTES);
    expect(kept.equals(value.subarray(0, MAX_DEAD_LETTER_VALUE_BYTES))).toBe(true);
    expect(record).toMatchObject({ valueBytes: value.length, valueTruncated: true });
  });

  it('records a message without a value as such', () => {
    expect(deadLetterRecord('t', 0, kafkaMessage(null), 'empty_message', 'no value', NOW)).toMatchObject({
      valueBase64: null,
      valueBytes: 0,
      valueTruncated: false,
    });
  });
});

describe('groupsUpTo', () => {
  const size = (m: { key: string; value: string }) => Buffer.byteLength(m.key) + Buffer.byteLength(m.value);
  const message = fc.record({ key: fc.string({ maxLength: 5 }), value: fc.string({ maxLength: 60 }) });

  it('keeps every message, in order, in groups within the limit, each as full as the order allows', () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 40 }), fc.integer({ min: 1, max: 120 }), (messages, max) => {
        const groups = groupsUpTo(messages, max);
        expect(groups.flat()).toEqual(messages);
        for (const [i, group] of groups.entries()) {
          const total = group.reduce((sum, m) => sum + size(m), 0);
          expect(group.length).toBeGreaterThan(0);
          // Only a message bigger than the limit goes over it, alone.
          if (total > max) expect(group).toHaveLength(1);
          // The next group starts only when its first message would not have fitted here.
          if (i + 1 < groups.length) expect(total + size(groups[i + 1][0])).toBeGreaterThan(max);
        }
      }),
    );
  });

  it('counts bytes, not characters', () => {
    const vietnamese = { key: 'k', value: 'Giả danh ngân hàng' };
    expect(groupsUpTo([vietnamese, vietnamese], 2 * vietnamese.value.length + 2)).toHaveLength(2);
    expect(groupsUpTo([vietnamese, vietnamese], 2 * size(vietnamese))).toHaveLength(1);
  });
});
