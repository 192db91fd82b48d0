import { Kafka } from 'kafkajs';

/*
 * kafkajs 2.2.4 (its last release) speaks OffsetFetch up to version 4. Without `require_stable`
 * (version 7, KIP-447), the group coordinator answers with the offsets it has *applied*; when a
 * transaction that committed offsets completes, the coordinator applies them asynchronously after
 * its markers are written. So even once InitProducerId has seen the previous owner's transaction
 * through, a v4 answer may still be the offset from before it, and a new owner would decide that
 * batch again (and reply twice). With
 * `require_stable` the coordinator answers UNSTABLE_OFFSET_COMMIT until the offset is applied.
 *
 * kafkajs has no public way to send a request it does not know, so this reaches its cluster and
 * broker objects by their private symbols; `test/stable-committed-offset.e2e-spec.ts` fails if a
 * kafkajs upgrade moves them.
 */

type Encoder = {
  writeInt32(v: number): Encoder;
  writeBoolean(v: boolean): Encoder;
  writeUVarIntString(v: string): Encoder;
  writeUVarIntBytes(v?: Buffer): Encoder;
  writeUVarIntArray(v: Encoder[]): Encoder;
};
type Decoder = {
  readInt16(): number;
  readInt32(): number;
  readInt64(): { toString(): string };
  readUVarIntString(): string | null;
  readUVarIntArray<T>(reader: (d: Decoder) => T): T[] | null;
  readTaggedFields(): void;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const EncoderClass = require('kafkajs/src/protocol/encoder') as new () => Encoder;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const DecoderClass = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => Decoder;

const OFFSET_FETCH = 9;
const STABLE_VERSION = 7;
/** Errors that mean "ask again shortly": loading, moving, or the offset not applied yet. */
const COORDINATOR_LOADING = 14;
const COORDINATOR_NOT_AVAILABLE = 15;
const NOT_COORDINATOR = 16;
const UNSTABLE_OFFSET_COMMIT = 88;
const ASK_AGAIN = new Set([
  COORDINATOR_LOADING,
  COORDINATOR_NOT_AVAILABLE,
  NOT_COORDINATOR,
  UNSTABLE_OFFSET_COMMIT,
]);
const COORDINATOR_MOVED = new Set([COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR]);

interface PartitionAnswer {
  offset: string;
  errorCode: number;
}

export interface OffsetFetchAnswer {
  errorCode: number;
  partition: PartitionAnswer | null;
}

/** OffsetFetch v7 for one partition, require_stable set; flexible version, so tagged fields. */
export function stableOffsetFetchRequest(groupId: string, topic: string, partition: number) {
  return {
    request: {
      apiKey: OFFSET_FETCH,
      apiVersion: STABLE_VERSION,
      apiName: 'OffsetFetch',
      // The first empty tag buffer closes the flexible request header (kafkajs writes the rest of it).
      encode: async () =>
        new EncoderClass()
          .writeUVarIntBytes()
          .writeUVarIntString(groupId)
          .writeUVarIntArray([
            new EncoderClass()
              .writeUVarIntString(topic)
              .writeUVarIntArray([new EncoderClass().writeInt32(partition)])
              .writeUVarIntBytes(),
          ])
          .writeBoolean(true)
          .writeUVarIntBytes(),
    },
    response: {
      decode: async (raw: Buffer) => decodeOffsetFetchV7(raw, topic, partition),
      parse: async (answer: OffsetFetchAnswer) => answer,
    },
  };
}

export function decodeOffsetFetchV7(raw: Buffer, topic: string, partition: number): OffsetFetchAnswer {
  const decoder = new DecoderClass(raw);
  decoder.readTaggedFields();
  decoder.readInt32(); // throttle time
  let found: PartitionAnswer | null = null;
  decoder.readUVarIntArray((t) => {
    const name = t.readUVarIntString();
    t.readUVarIntArray((p) => {
      const index = p.readInt32();
      const offset = p.readInt64().toString();
      p.readInt32(); // committed leader epoch
      p.readUVarIntString(); // metadata
      const errorCode = p.readInt16();
      p.readTaggedFields();
      if (name === topic && index === partition) found = { offset, errorCode };
    });
    t.readTaggedFields();
  });
  const errorCode = decoder.readInt16();
  decoder.readTaggedFields();
  return { errorCode, partition: found };
}

interface PrivateBroker {
  versions?: Record<number, { minVersion: number; maxVersion: number }>;
  [key: symbol]: unknown;
}
interface PrivateCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(args: { groupId: string }): Promise<PrivateBroker>;
}

function symbolNamed(target: object, description: string): symbol {
  const found = Object.getOwnPropertySymbols(target).find((s) => s.description === description);
  if (!found)
    throw new Error(`kafkajs internals changed: no ${description} (see stable-committed-offset.ts)`);
  return found;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Reads a group's committed offset for one partition once every transaction that wrote it has
 * been applied. One cluster connection, made on first use and kept until close().
 */
export class StableCommittedOffsets {
  private cluster: Promise<PrivateCluster> | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly giveUpAfterMs = 30_000,
  ) {}

  /** The committed offset, or null when the group has none for the partition. */
  async read(groupId: string, topic: string, partition: number): Promise<bigint | null> {
    const deadline = Date.now() + this.giveUpAfterMs;
    let lastError = 0;
    for (let attempt = 0; Date.now() < deadline; attempt += 1) {
      const cluster = await this.connected();
      const coordinator = await cluster.findGroupCoordinator({ groupId });
      const answer = await this.send(coordinator, stableOffsetFetchRequest(groupId, topic, partition));
      const errorCode = answer.errorCode || answer.partition?.errorCode || 0;
      if (errorCode === 0) {
        const offset = answer.partition?.offset;
        return offset !== undefined && /^[0-9]+$/.test(offset) ? BigInt(offset) : null;
      }
      if (!ASK_AGAIN.has(errorCode))
        throw new Error(`OffsetFetch for ${topic}[${partition}] failed: error code ${errorCode}`);
      lastError = errorCode;
      if (COORDINATOR_MOVED.has(errorCode)) await this.reconnect();
      await sleep(Math.min(50 * 2 ** attempt, 1_000));
    }
    throw new Error(
      `the committed offset of ${topic}[${partition}] did not become stable in ${this.giveUpAfterMs} ms (last error code ${lastError})`,
    );
  }

  async close(): Promise<void> {
    const cluster = await this.cluster?.catch(() => null);
    this.cluster = null;
    await cluster?.disconnect().catch(() => undefined);
  }

  private send(broker: PrivateBroker, request: ReturnType<typeof stableOffsetFetchRequest>) {
    const supported = broker.versions?.[OFFSET_FETCH]?.maxVersion;
    if (supported !== undefined && supported < STABLE_VERSION)
      throw new Error(
        `the broker speaks OffsetFetch up to v${supported}; exactly-once needs v${STABLE_VERSION} (Kafka 2.5 or later)`,
      );
    const sendRequest = symbolNamed(Object.getPrototypeOf(broker) as object, 'private:Broker:sendRequest');
    const method = broker[sendRequest] as (r: typeof request) => Promise<OffsetFetchAnswer>;
    return method.call(broker, request);
  }

  private connected(): Promise<PrivateCluster> {
    if (this.cluster === null) {
      const create = (this.kafka as unknown as Record<symbol, (o: object) => PrivateCluster>)[
        symbolNamed(this.kafka, 'private:Kafka:createCluster')
      ];
      const cluster = create({ allowAutoTopicCreation: false });
      const connecting = cluster.connect().then(() => cluster);
      this.cluster = connecting;
      connecting.catch(() => {
        if (this.cluster === connecting) this.cluster = null;
      });
    }
    return this.cluster;
  }

  private async reconnect(): Promise<void> {
    await this.close();
  }
}
