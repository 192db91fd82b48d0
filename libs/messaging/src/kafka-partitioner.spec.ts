import fc from 'fast-check';
import { Message, PartitionerArgs, PartitionMetadata, Partitioners } from 'kafkajs';
import { javaCompatiblePartitioner, murmur2 } from './kafka-partitioner';

/*
 * A record must land where kafkajs' DefaultPartitioner (and so the Java client) puts it: each
 * reported number's records stay on one partition. The literal hashes below were printed by
 * kafkajs 2.2.4's own murmur2 before ours existed; the ones marked Java are Kafka's UtilsTest.
 */
const KAFKAJS_MURMUR2: [string, number][] = [
  ['', 275646681],
  ['a', -1563381124],
  ['ab', 316155434],
  ['abc', 479470107],
  ['abcd', -1323649548],
  ['abcde', 461995741],
  ['abcdef', 1870650108],
  ['abcdefg', -346467175],
  ['abcdefgh', -955427363],
  ['abcdefghi', -619679810],
  ['0', 971027396],
  ['+84912345678', -2050175579],
  ['+84387654321', 429827943],
  ['report:01HZX3Q7', -1266938737],
  ['Lừa đảo', 354608362],
  ['Tin nhắn rác từ số lạ', -215294241],
  ['\u{1F4F5} spam', -673682712],
  ['\u00ff\u00ff\u0080', -1991406848],
  ['\ud800', -1863826953],
  ['a\udc00b', 451637745],
  ['123456789012345678901234567890', 41741525],
  // Java: org.apache.kafka.common.utils.UtilsTest#testMurmur2
  ['21', -973932308],
  ['foobar', -790332482],
  ['a-little-bit-long-string', -985981536],
  ['a-little-bit-longer-string', -1486304829],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
];

const KAFKAJS_MURMUR2_BYTES: [number[], number][] = [
  [[0, 1, 2, 0x7f, 0x80, 0xfe, 0xff], -721333981],
  [[0xff, 0xff, 0xff, 0xff, 0xff], -363838622],
  [[0x61, 0x62, 0x63], 479470107],
];

function metadata(count: number, leaderless: number[] = []): PartitionMetadata[] {
  return Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: leaderless.includes(partitionId) ? -1 : 0,
    replicas: [0],
    isr: [0],
  }));
}

const key = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 400 }),
  fc.stringMatching(/^\+849\d{8}$/),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
);

describe('murmur2', () => {
  it.each(KAFKAJS_MURMUR2)('hashes %j as kafkajs does', (text, expected) => {
    expect(murmur2(text)).toBe(expected);
    expect(murmur2(Buffer.from(text))).toBe(expected);
  });

  it.each(KAFKAJS_MURMUR2_BYTES)('hashes the bytes %j as kafkajs does', (bytes, expected) => {
    expect(murmur2(Buffer.from(bytes))).toBe(expected);
  });

  it('hashes keys of about 1 kB of UTF-8, where its scratch buffer ends, as kafkajs does', () => {
    expect(murmur2('x'.repeat(400))).toBe(-1667645171);
    expect(murmur2('ừ'.repeat(341))).toBe(-450481734);
    expect(murmur2('ừ'.repeat(500))).toBe(-367255354);
  });
});

describe('javaCompatiblePartitioner', () => {
  it('picks the partition kafkajs DefaultPartitioner picks, for 1 to 12 partitions', () => {
    fc.assert(
      fc.property(key, fc.integer({ min: 1, max: 12 }), (messageKey, count) => {
        const args: PartitionerArgs = {
          topic: 't',
          partitionMetadata: metadata(count),
          message: { key: messageKey, value: 'v' },
        };
        expect(javaCompatiblePartitioner()(args)).toBe(Partitioners.DefaultPartitioner()(args));
      }),
      { numRuns: 5_000 },
    );
  });

  it('honours an explicit partition, even over a key', () => {
    const args = (message: Message): PartitionerArgs => ({
      topic: 't',
      partitionMetadata: metadata(3),
      message,
    });
    const partition = javaCompatiblePartitioner();
    expect(partition(args({ key: '+84912345678', value: 'v', partition: 2 }))).toBe(2);
    expect(partition(args({ key: null, value: 'v', partition: 0 }))).toBe(0);
  });

  it('leaves a message without a key to kafkajs: round robin over partitions that have a leader', () => {
    const partition = javaCompatiblePartitioner();
    const partitionMetadata = metadata(4, [1]);
    const picked = Array.from({ length: 12 }, () =>
      partition({ topic: 't', partitionMetadata, message: { key: null, value: 'v' } }),
    );
    expect(new Set(picked)).toEqual(new Set([0, 2, 3]));
    const start = picked.indexOf(0);
    expect(picked.slice(start, start + 3)).toEqual([0, 2, 3]);
  });
});
