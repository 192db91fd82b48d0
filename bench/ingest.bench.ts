/**
 * What ingest's own work costs per raw SMS, without Kafka: decoding the gateway's JSON, deciding
 * (envelope, parser, ids, replies) and encoding the records to produce, then the after-commit
 * bookkeeping (metrics, remembered ids). Beside it, in the same run, the parser alone on the same
 * texts and a bare JSON.parse + JSON.stringify of each message: the pipeline bench's CPU per report
 * for ingest minus this is what kafkajs (fetch, transactional produce) and its garbage cost.
 *
 *   npm run bench -- ingest [--count 200000] [--batch 2000] [--passes 3]
 *
 * The messages are the pipeline bench's raw mix (RawSmsTraffic, its seed), in batches of `batch`
 * as one partition's fetch; the best of `passes` passes is reported (the first warms the JIT).
 * Needs nothing running.
 */
import { parseArgs } from 'node:util';
import { Logger } from '@nestjs/common';
import { KafkaMessage } from 'kafkajs';
import { parseReportText } from '@abuse-monitor/domain';
import { BatchContext, decodeRawSms, topicNames } from '@abuse-monitor/messaging';
import { Metrics } from '@abuse-monitor/observability';
import { IngestConfig, ingestEnvSchema } from '../apps/ingest/src/ingest.config';
import { ReportIntakeService } from '../apps/ingest/src/report-intake.service';
import { RawSmsTraffic } from './support/raw-sms-traffic';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '200000' },
    batch: { type: 'string', default: '2000' },
    passes: { type: 'string', default: '3' },
  },
});
const count = Number(values.count);
const batchSize = Number(values.batch);
const passes = Number(values.passes);

// As in the pipeline bench (LOG_LEVEL=warn): dead letters are logged.
Logger.overrideLogger(['warn', 'error']);

const PREFIX = 'bench.';
const topics = topicNames(PREFIX);

function rawMessages(): KafkaMessage[] {
  const traffic = new RawSmsTraffic(topics.smsRaw, 156);
  const now = Date.now();
  const messages: KafkaMessage[] = [];
  for (let i = 0; i < count; i++) {
    // The national rate the pipeline bench replays: about 2,800 a day, up to now.
    const message = traffic.next(now - (count - i) * 30_000);
    messages.push({
      key: Buffer.from(message.key),
      value: Buffer.from(message.value),
      offset: String(i),
      timestamp: String(now),
      attributes: 0,
      headers: {},
    });
  }
  return messages;
}

/** CPU microseconds per message of the best of `passes` runs of `work` over every message. */
function cpuPerMessage(work: () => void): number {
  let best = Infinity;
  for (let pass = 0; pass < passes; pass++) {
    const before = process.cpuUsage();
    work();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / count);
  }
  return best;
}

function main(): void {
  const messages = rawMessages();
  const config = ingestEnvSchema.parse({ KAFKA_TOPIC_PREFIX: PREFIX }) as IngestConfig;
  let records = 0;
  let accepted = 0;
  const transform = cpuPerMessage(() => {
    // A new service per pass: its remembered ids would make every later pass a redelivery.
    const intake = new ReportIntakeService(new Metrics('ingest'), config);
    records = 0;
    for (let i = 0; i < messages.length; i += batchSize) {
      const context = { topic: topics.smsRaw, partition: 0 } as BatchContext;
      const produced = intake.transform(messages.slice(i, i + batchSize), context);
      records += produced.records.length;
      produced.committed?.();
    }
  });
  const texts = messages.flatMap((m) => {
    const decoded = decodeRawSms(m.value);
    return decoded.ok ? [{ text: decoded.value.text, from: decoded.value.from }] : [];
  });
  const parse = cpuPerMessage(() => {
    accepted = 0;
    for (const { text, from } of texts) {
      if (parseReportText(text, { maxLength: config.REPORT_MAX_LENGTH, reporter: from }).ok) accepted += 1;
    }
  });
  let bytes = 0;
  const json = cpuPerMessage(() => {
    bytes = 0;
    for (const m of messages) {
      try {
        bytes += JSON.stringify(JSON.parse(m.value?.toString('utf8') ?? 'null')).length;
      } catch {
        // The mix's broken JSON, as ingest meets it.
      }
    }
  });
  const n = (value: number) => value.toLocaleString('en-US');
  const us = (value: number) => `${value.toFixed(2)} µs CPU a message`;
  process.stdout.write(
    `ingest's own work, ${n(count)} raw SMS of the pipeline bench's mix in batches of ${n(batchSize)} ` +
      `(best of ${passes} passes, one core):\n` +
      `  decide and encode (ReportIntakeService)  ${us(transform)}  (${n(records)} records to produce)\n` +
      `  the parser alone, same texts             ${us(parse)}  (${n(accepted)} reports)\n` +
      `  JSON.parse + JSON.stringify of each      ${us(json)}  (${n(bytes)} bytes)\n`,
  );
}

main();
