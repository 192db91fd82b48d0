/**
 * CPU that kafkajs spends to turn one ingest transaction's records into a produce request, on one
 * core, with no broker: the producer half of ingest's cost per report.
 *
 *   npm run bench -- produce-encode [seconds]
 *
 * A batch is what ingest sends in one transaction: 2,000 records of an accepted-report-sized JSON
 * value (about 600 bytes), keyed by a Vietnamese mobile number, over 3 partitions. Each round goes
 * through kafkajs' own code, as sendMessages does: partition every message, group them per
 * partition, build the topic data, encode the Produce v7 request and frame it. It is timed with
 * kafkajs' DefaultPartitioner and with ours, and split into grouping and encoding, so a change to
 * either shows on its own line. Figures are CPU microseconds per record (user + system).
 */
import { createRequire } from 'node:module';
import { ICustomPartitioner, Message, PartitionMetadata, Partitioners } from 'kafkajs';
import { javaCompatiblePartitioner } from '@abuse-monitor/messaging/kafka-partitioner';
import { acceptedReports } from './support/accepted-reports';

type Partition = ReturnType<ICustomPartitioner>;
type Grouped = Record<string, Message[]>;

// kafkajs' internals, the modules sendMessages and the connection call: not part of its typings.
const kafkajs = createRequire(require.resolve('kafkajs'));
const groupMessagesPerPartition = kafkajs('./src/producer/groupMessagesPerPartition') as (args: {
  topic: string;
  partitionMetadata: PartitionMetadata[];
  messages: Message[];
  partitioner: Partition;
}) => Grouped;
const createTopicData = kafkajs('./src/producer/createTopicData') as (
  data: { topic: string; partitions: number[]; messagesPerPartition: Grouped }[],
) => { topic: string; partitions: { partition: number; messages: Message[]; firstSequence?: number }[] }[];
const produceRequest = kafkajs('./src/protocol/requests/produce/v7/request') as (args: object) => {
  apiKey: number;
  apiVersion: number;
  encode: () => Promise<unknown>;
};
const frame = kafkajs('./src/protocol/request') as (args: object) => Promise<{ size(): number }>;
const Long = kafkajs('./src/utils/long') as { fromValue(value: number): unknown };

const SECONDS = Number(process.argv[2] ?? 5);
const RECORDS = 2_000;
const TOPIC = 'reports.accepted';
const PARTITIONS: PartitionMetadata[] = [0, 1, 2].map((partitionId) => ({
  partitionErrorCode: 0,
  partitionId,
  leader: 1,
  replicas: [1],
  isr: [1],
}));

function batch(): Message[] {
  const next = acceptedReports(156_5656);
  const start = Date.parse('2026-06-01T08:00:00Z');
  return Array.from({ length: RECORDS }, (_, i) => {
    const report = {
      ...next(start + i * 7),
      content: 'Goi lam phien, moi vay tien, bam so 1 de nghe tu van.',
    };
    const value = JSON.stringify({
      ...report,
      parserVersion: 7,
      note: 'x'.repeat(600 - JSON.stringify(report).length - 30),
    });
    return { key: report.reportedNumber.replace('+8498', '+8491'), value };
  });
}

function group(messages: Message[], partitioner: Partition) {
  return groupMessagesPerPartition({ topic: TOPIC, partitionMetadata: PARTITIONS, messages, partitioner });
}

async function encode(messagesPerPartition: Grouped): Promise<number> {
  const partitions = Object.keys(messagesPerPartition).map(Number);
  const topicData = createTopicData([{ topic: TOPIC, partitions, messagesPerPartition }]);
  for (const entry of topicData[0]?.partitions ?? []) entry.firstSequence = 0;
  const request = produceRequest({
    acks: -1,
    timeout: 30_000,
    transactionalId: 'abuse-monitor-ingest:reports.sms.raw:0',
    producerId: Long.fromValue(4_242),
    producerEpoch: 3,
    compression: 0,
    topicData,
  });
  const framed = await frame({ correlationId: 1, clientId: 'abuse-monitor-ingest', request });
  return framed.size();
}

/** CPU µs per record of `round`, run over and over for `seconds` after a warm-up. */
async function cpuPerRecord(round: () => Promise<unknown> | unknown, seconds: number): Promise<number> {
  const warmUntil = Date.now() + 1_000;
  while (Date.now() < warmUntil) await round();
  const before = process.cpuUsage();
  const until = Date.now() + seconds * 1_000;
  let rounds = 0;
  while (Date.now() < until) {
    await round();
    rounds += 1;
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / (rounds * RECORDS);
}

async function main(): Promise<void> {
  const messages = batch();
  const meanValue = messages.reduce((sum, m) => sum + String(m.value).length, 0) / messages.length;
  const grouped = group(messages, Partitioners.DefaultPartitioner());
  const bytes = await encode(grouped);
  const perPartition = Object.values(grouped).map((m) => m.length);
  console.log(
    `${RECORDS} records of ${meanValue.toFixed(0)} bytes over partitions of ${perPartition.join('/')}; request ${bytes} bytes`,
  );

  const fixedSeconds = Math.max(1, SECONDS / 4);
  const rows: [string, number][] = [
    [
      'group, kafkajs DefaultPartitioner',
      await cpuPerRecord(() => group(messages, Partitioners.DefaultPartitioner()), fixedSeconds),
    ],
    [
      'group, javaCompatiblePartitioner',
      await cpuPerRecord(() => group(messages, javaCompatiblePartitioner()), fixedSeconds),
    ],
    ['encode the Produce request', await cpuPerRecord(() => encode(grouped), fixedSeconds)],
    [
      'all, kafkajs DefaultPartitioner',
      await cpuPerRecord(() => encode(group(messages, Partitioners.DefaultPartitioner())), fixedSeconds),
    ],
    [
      'all, javaCompatiblePartitioner',
      await cpuPerRecord(() => encode(group(messages, javaCompatiblePartitioner())), fixedSeconds),
    ],
  ];
  for (const [name, micros] of rows)
    console.log(`${name.padEnd(36)} ${micros.toFixed(2).padStart(7)} µs/record`);
}

void main();
