/**
 * The aggregator's side of its bulk parameters: CPU to turn a batch's columns into what pg puts on
 * the wire, as text literals (array-literal.ts) and in PostgreSQL's binary array format
 * (binary-array.ts), with no database.
 *
 *   npm run bench -- binary-array [--batch 2000] [--rounds 15]
 *
 * Each column is encoded and then serialised by pg's own Bind message writer (pg-protocol), which
 * writes a literal's UTF-8 bytes and copies a Buffer, so both sides pay what pg adds. The columns
 * are the reports insert's, from the aggregator-batch bench's mix (whose contents are short ASCII)
 * and with Vietnamese contents of an SMS's length. Rounds alternate between the two formats; the
 * figures are medians of nanoseconds per element.
 */
import { parseArgs } from 'node:util';
import { serialize } from 'pg-protocol';
import {
  binaryInt4Array,
  binaryInt8Array,
  binaryJsonbArray,
  binaryTextArray,
  binaryUuidArray,
  numberArray,
  textArray,
} from '@abuse-monitor/persistence';
import { acceptedReports } from './support/accepted-reports';

const { values } = parseArgs({
  options: { batch: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '15' } },
});
const BATCH = Number(values.batch);
const ROUNDS = Number(values.rounds);

const next = acceptedReports(2024);
const reports = Array.from({ length: BATCH }, (_, i) => next(Date.now() + i));
const receivedAt = reports.map((r) => Date.parse(r.receivedAt));
const vietnamese = reports.map(
  (r, i) => `Quý khách đã trúng thưởng ${i} triệu đồng, gọi ngay ${r.reportedNumber} để nhận quà 🎁`,
);
const counts = reports.map((_, i) => (i * 7919) % 500);
const byKind = reports.map(
  (r, i) => `{"${r.kind}":{"reports":${counts[i] + 1},"distinctReporters":${(counts[i] >> 1) + 1}}}`,
);

interface Column {
  name: string;
  text: () => unknown;
  binary: () => unknown;
}

const columns: Column[] = [
  {
    name: 'uuid (report id)',
    text: () => textArray(reports.map((r) => r.reportId)),
    binary: () => binaryUuidArray(reports.map((r) => r.reportId)),
  },
  {
    name: 'text: phone numbers',
    text: () => textArray(reports.map((r) => r.reportedNumber)),
    binary: () => binaryTextArray(reports.map((r) => r.reportedNumber)),
  },
  {
    name: 'text: kinds',
    text: () => textArray(reports.map((r) => r.kind)),
    binary: () => binaryTextArray(reports.map((r) => r.kind)),
  },
  {
    name: 'text: all null',
    text: () => textArray(reports.map((r) => r.agentId)),
    binary: () => binaryTextArray(reports.map((r) => r.agentId)),
  },
  {
    name: 'text: contents, ASCII',
    text: () => textArray(reports.map((r) => r.content)),
    binary: () => binaryTextArray(reports.map((r) => r.content)),
  },
  {
    name: 'text: contents, Vietnamese',
    text: () => textArray(vietnamese),
    binary: () => binaryTextArray(vietnamese),
  },
  {
    name: 'bigint (epoch ms)',
    text: () => numberArray(receivedAt),
    binary: () => binaryInt8Array(receivedAt),
  },
  {
    name: 'integer (counts)',
    text: () => numberArray(counts),
    binary: () => binaryInt4Array(counts),
  },
  {
    name: 'jsonb (counts by kind)',
    text: () => textArray(byKind),
    binary: () => binaryJsonbArray(byKind),
  },
];

/** CPU nanoseconds per element to encode the column and write it into a Bind message. */
function timed(encode: () => unknown): number {
  const started = process.cpuUsage();
  const repeat = 20;
  for (let i = 0; i < repeat; i += 1) serialize.bind({ values: [encode()] });
  const used = process.cpuUsage(started);
  return ((used.user + used.system) * 1000) / (repeat * BATCH);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

process.stdout.write(`ns of CPU an element, batches of ${BATCH}, median of ${ROUNDS} rounds\n`);
process.stdout.write(`${'column'.padEnd(28)}${'text'.padStart(8)}${'binary'.padStart(8)}\n`);
for (const column of columns) {
  // JIT warm-up
  for (let i = 0; i < 5; i += 1) {
    timed(column.text);
    timed(column.binary);
  }
  const text: number[] = [];
  const binary: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    text.push(timed(column.text));
    binary.push(timed(column.binary));
  }
  process.stdout.write(
    `${column.name.padEnd(28)}${median(text).toFixed(0).padStart(8)}${median(binary).toFixed(0).padStart(8)}\n`,
  );
}
