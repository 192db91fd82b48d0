import { z } from 'zod';
import { commonEnvShape, loadConfigOrExit } from '@abuse-monitor/config';
import {
  countBy,
  createKafka,
  DEAD_LETTER_REASONS,
  DeadLetterFilter,
  DeadLetterReason,
  planRedrive,
  Publisher,
  RedrivePlan,
  SKIP_EXPLANATIONS,
  topicNames,
} from '@abuse-monitor/messaging';
import { commandLine } from '@abuse-monitor/runtime';
import { readDeadLetters } from './dead-letter-reader';

/**
 * npm run -s deadletters -- list    [--reason R,...] [--topic T,...] [--since TIME] [--until TIME] [--json]
 * npm run -s deadletters -- redrive --reason R,... [--topic T,...] [--since TIME] [--until TIME] [--apply] [--json]
 * For the SRE: what is on the dead-letter topic, and, once the cause is fixed, sending the originals
 * back to the topics they came from. A redrive without --apply only says what it would send.
 */
const USAGE = [
  'usage: npm run -s deadletters -- list [--reason R,...] [--topic T,...] [--since TIME] [--until TIME] [--json]',
  '       npm run -s deadletters -- redrive --reason R,... [--topic T,...] [--since TIME] [--until TIME] [--apply] [--json]',
  `reasons: ${DEAD_LETTER_REASONS.join(', ')}; topics without the deployment's prefix (reports.accepted);`,
  'TIME: when the message was dead-lettered, ISO 8601 (2026-11-29 or 2026-11-29T10:00:00Z)',
].join('\n');

const READ_TIMEOUT_MS = 120_000;
const SEND_GIVE_UP_MS = 60_000;
const SEND_CHUNK = 200;

const config = loadConfigOrExit(
  z.object({
    KAFKA_BROKERS: commonEnvShape.KAFKA_BROKERS,
    KAFKA_CLIENT_ID: commonEnvShape.KAFKA_CLIENT_ID,
    KAFKA_TOPIC_PREFIX: commonEnvShape.KAFKA_TOPIC_PREFIX,
  }),
);
const topics = topicNames(config.KAFKA_TOPIC_PREFIX);
const INPUT_TOPICS = [topics.smsRaw, topics.submitted, topics.accepted];

const { parse, fail: failWithUsage } = commandLine(USAGE);
const fail: (message: string) => never = failWithUsage;

function time(option: string, value: string | undefined): Date | null {
  if (value === undefined) return null;
  if (!/^\d{4}-\d{2}-\d{2}(T.*)?$/.test(value) || Number.isNaN(Date.parse(value)))
    fail(`--${option} must be a time like 2026-11-29 or 2026-11-29T10:00:00Z`);
  return new Date(value);
}

function readArguments() {
  const { positionals, values } = parse({
    allowPositionals: true,
    options: {
      reason: { type: 'string' },
      topic: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      apply: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const [command, ...extra] = positionals;
  if (command !== 'list' && command !== 'redrive')
    fail(command ? `unknown command ${command}` : 'a command is needed');
  if (extra.length > 0) fail(`unexpected ${extra.join(' ')}`);
  // Sending back everything, broken JSON included, is never what the on-call engineer means.
  if (command === 'redrive' && !values.reason)
    fail('redrive needs --reason: say which dead letters to send back');
  if (command === 'list' && values.apply) fail('--apply goes with redrive');
  const reasons = values.reason?.split(',').map((r) => r.trim()) ?? null;
  const unknown = reasons?.filter((r) => !(DEAD_LETTER_REASONS as readonly string[]).includes(r)) ?? [];
  if (unknown.length > 0) fail(`unknown reason ${unknown.join(', ')}`);
  const filter: DeadLetterFilter = {
    reasons: reasons as DeadLetterReason[] | null,
    sourceTopics: values.topic?.split(',').map((t) => `${config.KAFKA_TOPIC_PREFIX}${t.trim()}`) ?? null,
    since: time('since', values.since),
    until: time('until', values.until),
  };
  return { command, filter, apply: values.apply === true, json: values.json === true };
}

const out = (line: string) => process.stdout.write(`${line}\n`);

function source(record: { source: { topic: string; partition: number; offset: string } }): string {
  return `${record.source.topic}[${record.source.partition}]@${record.source.offset}`;
}

function printSummary(read: number, plan: RedrivePlan): void {
  out(
    `${topics.deadLetter}: ${read} read, ${plan.selected.length} selected, ${plan.unreadable.length} unreadable`,
  );
  for (const [what, count] of countBy(plan.selected)) out(`  ${what}: ${count}`);
  for (const u of plan.unreadable) out(`  unreadable at ${u.position}: ${u.problem}`);
}

function printList(plan: RedrivePlan): void {
  for (const { position, record } of plan.selected)
    out(
      [
        record.deadLetteredAt,
        record.reason,
        source(record),
        `key=${record.source.key ?? '-'}`,
        `${record.valueBytes} bytes${record.valueTruncated ? ' (truncated)' : ''}`,
        `at ${position}`,
        record.detail,
      ].join('  '),
    );
}

function printSkipped(plan: RedrivePlan): void {
  if (plan.skipped.length === 0) return;
  out(`not sent (${plan.skipped.length}):`);
  for (const s of plan.skipped) out(`  ${source(s.record)} (at ${s.position}): ${SKIP_EXPLANATIONS[s.why]}`);
}

async function send(kafka: ReturnType<typeof createKafka>, plan: RedrivePlan): Promise<void> {
  const publisher = new Publisher(kafka, (level, message) => process.stderr.write(`${level}: ${message}\n`));
  const deadline = Date.now() + SEND_GIVE_UP_MS;
  try {
    for (let i = 0; i < plan.redrive.length; i += SEND_CHUNK) {
      // In the order they were dead-lettered, grouped by topic, so each number's reports keep their order.
      const chunk = plan.redrive.slice(i, i + SEND_CHUNK);
      for (const topic of new Set(chunk.map((r) => r.topic)))
        await publisher.send(
          topic,
          chunk
            .filter((r) => r.topic === topic)
            .map((r) => ({
              key: r.key,
              value: r.value,
              headers: { 'abuse-monitor-redriven-from': `${topics.deadLetter}/${r.position}` },
            })),
          () => Date.now() < deadline,
        );
    }
  } finally {
    await publisher.close();
  }
}

async function main(): Promise<void> {
  const { command, filter, apply, json } = readArguments();
  const kafka = createKafka(
    { brokers: config.KAFKA_BROKERS, clientId: `${config.KAFKA_CLIENT_ID}-deadletters` },
    (level, message) => {
      if (level === 'error' || level === 'warn') process.stderr.write(`kafka ${level}: ${message}\n`);
    },
  );
  const entries = await readDeadLetters(kafka, topics.deadLetter, READ_TIMEOUT_MS);
  const plan = planRedrive(entries, filter, INPUT_TOPICS);
  if (command === 'list') {
    if (json) for (const s of plan.selected) out(JSON.stringify({ position: s.position, ...s.record }));
    else {
      printSummary(entries.length, plan);
      printList(plan);
    }
    return;
  }
  if (apply) await send(kafka, plan);
  if (json) {
    out(
      JSON.stringify({
        read: entries.length,
        selected: plan.selected.length,
        [apply ? 'sent' : 'wouldSend']: plan.redrive.map((r) => ({
          position: r.position,
          source: r.record.source,
        })),
        skipped: plan.skipped.map((s) => ({ position: s.position, source: s.record.source, why: s.why })),
        unreadable: plan.unreadable,
      }),
    );
    return;
  }
  printSummary(entries.length, plan);
  out(
    apply
      ? `sent ${plan.redrive.length} back to their source topics; consumers store each once, whether or not they had`
      : `would send ${plan.redrive.length} back to their source topics; add --apply to send them`,
  );
  printSkipped(plan);
}

main().catch((error: unknown) => {
  process.stderr.write(`deadletters failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
