import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { createRequire } from 'node:module';
import { CompressionTypes, Message, PartitionMetadata, Partitioners } from 'kafkajs';

/*
 * patches/kafkajs+2.2.4.patch rewrites kafkajs' produce path for speed (grouping, the Produce
 * request's records, the encoder's varints, the CRC). None of it may change a byte on the wire:
 * the digests below were taken from kafkajs 2.2.4 as published (with only the consumer fixes of
 * the same patch, which do not touch producing), before the speed-ups were written.
 */

const kafkajs = createRequire(require.resolve('kafkajs'));
type Grouped = Record<string, Message[]>;
const groupMessagesPerPartition = kafkajs('./src/producer/groupMessagesPerPartition') as (args: {
  topic: string;
  partitionMetadata: PartitionMetadata[];
  messages: Message[];
  partitioner: ReturnType<typeof Partitioners.DefaultPartitioner>;
}) => Grouped;
const createTopicData = kafkajs('./src/producer/createTopicData') as (
  data: { topic: string; partitions: number[]; messagesPerPartition: Grouped }[],
) => { topic: string; partitions: { partition: number; messages: Message[]; firstSequence?: number }[] }[];
const produceRequest = kafkajs('./src/protocol/requests/produce/v7/request') as (args: object) => object;
const frame = kafkajs('./src/protocol/request') as (args: object) => Promise<{ buffer: Buffer }>;
const Long = kafkajs('./src/utils/long') as { fromValue(value: number): unknown };
interface Encoder {
  writeVarLong(value: number | string | bigint): Encoder;
  writeVarInt(value: number): Encoder;
  writeUVarInt(value: number): Encoder;
  buffer: Buffer;
}
const Encoder = kafkajs('./src/protocol/encoder') as {
  new (initialSize?: number): Encoder;
  sizeOfVarLong(value: number): number;
  sizeOfVarInt(value: number): number;
};

const crc32C = kafkajs('./src/protocol/recordBatch/crc32C/crc32C') as (buffer: Buffer) => number;

const NOW = 1_780_000_000_123;

/** CRC-32C one byte at a time, the table built from the reflected Castagnoli polynomial. */
const CASTAGNOLI = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let bit = 0; bit < 8; bit++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  return c >>> 0;
});
function crc32CByteWise(buffer: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of buffer) crc = ((CASTAGNOLI[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8)) >>> 0;
  return (crc ^ 0xffffffff) >>> 0;
}

function partitions(count: number): PartitionMetadata[] {
  return Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
  }));
}

/** Deterministic, ingest-like: a JSON value of about 600 bytes keyed by a mobile number. */
function ingestBatch(count: number): Message[] {
  return Array.from({ length: count }, (_, i) => {
    const key = `+849${String((i * 7_919_993) % 100_000_000).padStart(8, '0')}`;
    return {
      key,
      value: JSON.stringify({ reportId: `r-${i}`, reportedNumber: key, note: 'Lừa đảo '.repeat(60) }),
    };
  });
}

/** Every shape kafkajs takes: null, Buffer and Unicode keys and values, headers, odd timestamps. */
function awkwardBatch(): Message[] {
  const timestamps = [
    undefined,
    '1780000000000',
    1_780_000_000_500,
    999,
    1_000,
    '1780000000000',
    1_782_600_000_000, // 30 days later: a delta past 32 bits
    -5,
    undefined,
    0,
  ];
  return Array.from({ length: 60 }, (_, i) => {
    const message: Message = {
      key: [null, '', 'a', Buffer.from([0, 0, 0, 0]), 'số điện thoại', `+8491234${i}`][
        i % 6
      ] as Message['key'],
      value: [null, '', 'v', Buffer.from('bytes'), 'Tin nhắn rác 📵'.repeat(i)][i % 5] as Message['value'],
    };
    const timestamp = timestamps[i % timestamps.length];
    if (timestamp !== undefined) message.timestamp = timestamp as string;
    if (i % 4 === 1) message.headers = { a: '1', b: ['x', Buffer.from('y')], 'ký tự': 'giá trị' };
    if (i % 9 === 0) message.partition = i % 2;
    return message;
  });
}

function grouping(grouped: Grouped, messages: Message[]): Record<string, number[]> {
  return Object.fromEntries(
    Object.entries(grouped).map(([partition, list]) => [partition, list.map((m) => messages.indexOf(m))]),
  );
}

async function requestDigest(
  grouped: Grouped,
  options: { transactional: boolean; compression: CompressionTypes },
) {
  const topicData = createTopicData([
    {
      topic: 'reports.accepted',
      partitions: Object.keys(grouped).map(Number),
      messagesPerPartition: grouped,
    },
  ]);
  topicData[0]?.partitions.forEach((entry, i) => (entry.firstSequence = 17 * i));
  const request = produceRequest({
    acks: -1,
    timeout: 30_000,
    transactionalId: options.transactional ? 'abuse-monitor-ingest:reports.sms.raw:0' : undefined,
    producerId: Long.fromValue(options.transactional ? 4_242 : -1),
    producerEpoch: options.transactional ? 3 : 0,
    compression: options.compression,
    topicData,
  });
  const { buffer } = await frame({ correlationId: 7, clientId: 'abuse-monitor-ingest', request });
  return createHash('sha256').update(buffer).digest('hex');
}

describe('the patched kafkajs produce path', () => {
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
  afterEach(() => jest.restoreAllMocks());

  it('groups 2,000 keyed records per partition, in order, as kafkajs did', async () => {
    const messages = ingestBatch(2_000);
    const grouped = groupMessagesPerPartition({
      topic: 'reports.accepted',
      partitionMetadata: partitions(3),
      messages,
      partitioner: Partitioners.DefaultPartitioner(),
    });
    const order = grouping(grouped, messages);
    expect(Object.keys(order)).toEqual(['0', '1', '2']);
    expect(createHash('sha256').update(JSON.stringify(order)).digest('hex')).toBe(
      '4c7143b401353d72287e4cfd282f6a4a9f54f4ebbaf23e9c0a3b968c7cee54ad',
    );
    expect(await requestDigest(grouped, { transactional: true, compression: CompressionTypes.None })).toBe(
      '7a34e0881480347e1bff244bf3fc51ddba39b3827be60a4e043970bd654dd6c5',
    );
  });

  it('encodes awkward records byte for byte as kafkajs did', async () => {
    const messages = awkwardBatch();
    const grouped = groupMessagesPerPartition({
      topic: 'reports.accepted',
      partitionMetadata: partitions(2),
      messages,
      // kafkajs' round robin for keyless records starts at random: spread them by position instead.
      partitioner: ({ message }) => message.partition ?? (messages.indexOf(message) % 3) % 2,
    });
    const inOrder = (partition: number) =>
      messages.flatMap((m, i) => ((m.partition ?? (i % 3) % 2) === partition ? [i] : []));
    expect(grouping(grouped, messages)).toEqual({ 0: inOrder(0), 1: inOrder(1) });
    expect(await requestDigest(grouped, { transactional: false, compression: CompressionTypes.None })).toBe(
      'bd250b6bdc0d0a5c64f6f676a8deb579fbcbf21b503298b39913628ab952c53a',
    );
    expect(await requestDigest(grouped, { transactional: true, compression: CompressionTypes.None })).toBe(
      '74687c9dc3dfcc9ceeb178e687c7c1b9fa4509a4969a389d00266cc6e76bdad0',
    );
  });

  it('writes varints and varlongs as kafkajs did, 32-bit edges and past them', () => {
    const longs = [
      0,
      1,
      -1,
      63,
      -64,
      64,
      -65,
      8191,
      8192,
      2 ** 31 - 1,
      -(2 ** 31),
      2 ** 31,
      -(2 ** 31) - 1,
      2 ** 32 - 1,
      2 ** 32,
      1_780_000_000_123,
      -1_780_000_000_123,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
    ];
    const ints = [
      0,
      1,
      -1,
      63,
      -64,
      64,
      300,
      -300,
      2 ** 31 - 1,
      -(2 ** 31),
      2 ** 32 - 1,
      2 ** 40 + 5,
      -(2 ** 40),
    ];
    const encoder = new Encoder(1); // two bytes: every write must make room for itself
    for (const value of longs) encoder.writeVarLong(value);
    encoder.writeVarLong('123456789012').writeVarLong(-7n);
    for (const value of ints) encoder.writeVarInt(value).writeUVarInt(value);
    expect(encoder.buffer.toString('hex')).toBe(
      '0002017e7f80018101fe7f808001feffffff0fffffffff0f80808080108180808010feffffff1f8080808020f6a1a484ce67f5a1a484ce' +
        '67feffffffffffff1ffdffffffffffff1fa8e8c8e997070d0000020101ffffffff0f7e3f7fc0ffffff0f800140d804ac02d704d4fdffff' +
        '0ffeffffff0fffffffff07ffffffff0f808080800801ffffffff0f0a050000',
    );
    expect(longs.map((value) => Encoder.sizeOfVarLong(value))).toEqual([
      1, 1, 1, 1, 1, 2, 2, 2, 3, 5, 5, 5, 5, 5, 5, 6, 6, 8, 8,
    ]);
    expect(ints.map((value) => Encoder.sizeOfVarInt(value))).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 5, 5, 1, 1, 1]);
  });

  it('computes CRC-32C as the byte-wise table does, at every length and alignment', () => {
    expect(crc32C(Buffer.from('123456789'))).toBe(0xe3069283);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2_100 }), fc.nat(7), (bytes, offset) => {
        const view = Buffer.from(bytes).subarray(Math.min(offset, bytes.length));
        expect(crc32C(view)).toBe(crc32CByteWise(view));
      }),
      { numRuns: 2_000 },
    );
  });

  it('sends only bytes it wrote: the same requests from encoders whose buffers hold garbage', async () => {
    // The patched encoder takes its buffer from Node's pool unzeroed (decision 0068): a request that
    // relied on a zeroed byte, or sent one past what it wrote, would differ here.
    const unzeroed = Buffer.allocUnsafe.bind(Buffer);
    const filledWith = (byte: number) =>
      jest.spyOn(Buffer, 'allocUnsafe').mockImplementation((size: number) => unzeroed(size).fill(byte));
    const otherRequests = async () => {
      const txnOffsetCommit = kafkajs('./src/protocol/requests/txnOffsetCommit/v0/request') as (
        a: object,
      ) => object;
      const fetch = kafkajs('./src/protocol/requests/fetch/v11/request') as (a: object) => object;
      const framed = await Promise.all(
        [
          txnOffsetCommit({
            transactionalId: 'abuse-monitor-ingest:reports.sms.raw:0',
            groupId: 'abuse-monitor-ingest',
            producerId: Long.fromValue(4_242),
            producerEpoch: 3,
            topics: [
              { topic: 'reports.sms.raw', partitions: [{ partition: 0, offset: '1234', metadata: null }] },
            ],
          }),
          fetch({
            replicaId: -1,
            maxWaitTime: 20,
            minBytes: 1_048_576,
            maxBytes: 10_485_760,
            topics: [
              {
                topic: 'reports.accepted',
                partitions: [{ partition: 2, fetchOffset: '99', maxBytes: 1_048_576 }],
              },
            ],
          }),
        ].map((request) => frame({ correlationId: 9, clientId: 'abuse-monitor-aggregator', request })),
      );
      return framed.map(({ buffer }) => buffer.toString('hex'));
    };
    const ingest = groupMessagesPerPartition({
      topic: 'reports.accepted',
      partitionMetadata: partitions(3),
      messages: ingestBatch(200),
      partitioner: Partitioners.DefaultPartitioner(),
    });
    const awkward = awkwardBatch();
    const awkwardGrouped = groupMessagesPerPartition({
      topic: 'reports.accepted',
      partitionMetadata: partitions(2),
      messages: awkward,
      partitioner: ({ message }) => message.partition ?? (awkward.indexOf(message) % 3) % 2,
    });
    const encodings = [];
    for (const byte of [0x00, 0xab, 0xff]) {
      const spy = filledWith(byte);
      encodings.push({
        ingest: await requestDigest(ingest, { transactional: true, compression: CompressionTypes.None }),
        awkward: await requestDigest(awkwardGrouped, {
          transactional: false,
          compression: CompressionTypes.None,
        }),
        others: await otherRequests(),
      });
      expect(spy).toHaveBeenCalled();
      spy.mockRestore();
    }
    expect(encodings[1]).toEqual(encodings[0]);
    expect(encodings[2]).toEqual(encodings[0]);
    expect(encodings[0].awkward).toBe('bd250b6bdc0d0a5c64f6f676a8deb579fbcbf21b503298b39913628ab952c53a');
  });

  it('groups nothing for a topic without partitions', () => {
    const grouped = groupMessagesPerPartition({
      topic: 't',
      partitionMetadata: [],
      messages: ingestBatch(3),
      partitioner: Partitioners.DefaultPartitioner(),
    });
    expect(grouped).toEqual({});
  });
});
