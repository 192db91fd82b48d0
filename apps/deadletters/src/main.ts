import { kafkaClientSettings, loadConfigOrExit } from '@abuse-monitor/config';
import {
  countBy,
  createKafka,
  DEAD_LETTER_REASONS,
  exitIfKafkaRefusesAccess,
  DeadLetterFilter,
  DeadLetterReason,
  groupsUpTo,
  MAX_DEAD_LETTER_SEND_BYTES,
  planRedrive,
  Publisher,
  Redrivable,
  RedrivePlan,
  SET_ASIDE_LIMIT,
  SKIP_EXPLANATIONS,
  TOPICS,
  topicNames,
} from '@abuse-monitor/messaging';
import { commandLine, printable, progress } from '@abuse-monitor/runtime';
import { readDeadLetters } from './dead-letter-reader';
import { deadlettersEnvSchema } from './deadletters.config';

/**
 * For the SRE: what is on the dead-letter topic, and, once the cause is fixed, sending the originals
 * back to the topics they came from. A redrive without --apply only says what it would send.
 */
/** The topics the service reads, as the command line names them (without the deployment's prefix). */
const INPUTS: readonly string[] = [TOPICS.smsRaw, TOPICS.submitted, TOPICS.accepted, TOPICS.rejected];

const READ_TIMEOUT_MS = 120_000;
/** Per send: a leader election passes within it; a broker that stays away does not. */
const SEND_GIVE_UP_MS = 60_000;
const LISTED_IN_DRY_RUN = 50;

const { parse, fail: failWithUsage } = commandLine({
  name: 'deadletters',
  summary: 'lists the dead letters and sends them back to their source topics',
  usage: [
    'list [--reason R,...] [--topic T,...] [--since TIME] [--until TIME] [--json]',
    'redrive --reason R,... [--topic T,...] [--since TIME] [--until TIME] [--limit N] [--apply] [--json]',
  ],
  description: [
    'Reads the dead-letter topic to its end with a consumer group of its own, deleted afterwards.',
    'A redrive without --apply only says what it would send. On a terminal, shows its progress on stderr.',
  ],
  commands: {
    list: 'what is on the topic: counts by reason and source topic, then one line per record',
    redrive: 'send the originals back to the topics they came from (once the cause is fixed)',
  },
  options: {
    reason: {
      type: 'string',
      value: 'R,...',
      description: `only these reasons: ${DEAD_LETTER_REASONS.join(', ')}`,
    },
    topic: { type: 'string', value: 'T,...', description: `only from these topics: ${INPUTS.join(', ')}` },
    since: { type: 'string', value: 'TIME', description: 'only those dead-lettered at or after TIME' },
    until: { type: 'string', value: 'TIME', description: 'only those dead-lettered before TIME' },
    limit: { type: 'string', value: 'N', description: 'redrive: send at most N (start with 1)' },
    apply: { type: 'boolean', default: false, description: 'redrive: send them (without it: a dry run)' },
    json: { type: 'boolean', default: false, description: 'one JSON object per line, for machines' },
  },
  environment: { names: Object.keys(deadlettersEnvSchema.shape) },
  notes: [
    "Topics are named without the deployment's prefix (KAFKA_TOPIC_PREFIX).",
    'TIME: when the message was dead-lettered: a UTC day (2026-11-29) or a time with its zone (2026-11-29T17:00:00+07:00)',
  ],
  examples: [
    'abuse-monitor deadletters list --reason unstorable --since 2026-11-29',
    'abuse-monitor deadletters redrive --reason unstorable --since 2026-11-29T17:00:00+07:00 --limit 1 --apply',
  ],
  allowPositionals: true,
});
const fail: (message: string) => never = failWithUsage;
const args = parse();
const config = loadConfigOrExit(deadlettersEnvSchema);
const topics = topicNames(config.KAFKA_TOPIC_PREFIX);
const INPUT_TOPICS = INPUTS.map((t) => `${config.KAFKA_TOPIC_PREFIX}${t}`);

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ZONED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A day is a UTC day; a time must say its zone, or 10:00 would mean the zone of whoever runs this. */
function time(option: string, value: string | undefined): Date | null {
  if (value === undefined) return null;
  const day = DAY.test(value);
  const at = new Date(day ? `${value}T00:00:00Z` : value);
  const valid = day
    ? !Number.isNaN(at.getTime()) && at.toISOString().startsWith(value)
    : ZONED_TIME.test(value) && !Number.isNaN(at.getTime());
  if (!valid)
    fail(
      `--${option} must be a UTC day like 2026-11-29 or a time with its zone like 2026-11-29T17:00:00+07:00`,
    );
  return at;
}

function readArguments() {
  const { positionals, values } = args;
  const [command, ...extra] = positionals;
  if (command !== 'list' && command !== 'redrive')
    fail(command ? `unknown command ${command}` : 'a command is needed');
  if (extra.length > 0) fail(`unexpected ${extra.join(' ')}`);
  // Sending back everything, broken JSON included, is never what the on-call engineer means.
  if (command === 'redrive' && !values.reason)
    fail('redrive needs --reason: say which dead letters to send back');
  if (command === 'list' && (values.apply || values.limit)) fail('--apply and --limit go with redrive');
  const reasons = values.reason?.split(',').map((r) => r.trim()) ?? null;
  const unknown = reasons?.filter((r) => !(DEAD_LETTER_REASONS as readonly string[]).includes(r)) ?? [];
  if (unknown.length > 0) fail(`unknown reason ${unknown.join(', ')}`);
  const sourceTopics = values.topic?.split(',').map((t) => t.trim()) ?? null;
  const notInputs = sourceTopics?.filter((t) => !INPUTS.includes(t)) ?? [];
  if (notInputs.length > 0) fail(`--topic ${notInputs.join(', ')}: not a topic the service reads`);
  const limit = values.limit === undefined ? null : Number(values.limit);
  if (limit !== null && !(Number.isInteger(limit) && limit > 0))
    fail('--limit must be a whole number above 0');
  const filter: DeadLetterFilter = {
    reasons: reasons as DeadLetterReason[] | null,
    sourceTopics: sourceTopics?.map((t) => `${config.KAFKA_TOPIC_PREFIX}${t}`) ?? null,
    since: time('since', values.since),
    until: time('until', values.until),
  };
  if (filter.since && filter.until && filter.until <= filter.since) fail('--until must be after --since');
  return { command, filter, limit, apply: values.apply === true, json: values.json === true };
}

/** Keys, details and topic names come from the topic, where anyone who can write may put escape sequences. */
const out = (line: string) => process.stdout.write(`${printable(line)}\n`);
const err = (line: string) => process.stderr.write(`${printable(line)}\n`);

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

/**
 * Sends the originals in the order they were dead-lettered, topic by topic, in requests the broker
 * takes (a partition's batch over 1 MiB is refused for good), each with its own time limit.
 * On a failure, says how far it got.
 */
async function send(kafka: ReturnType<typeof createKafka>, redrive: readonly Redrivable[]): Promise<void> {
  const publisher = new Publisher(kafka, (level, message) => err(`${level}: ${message}`));
  const shown = progress('sent back', redrive.length);
  let sent = 0;
  try {
    for (const topic of new Set(redrive.map((r) => r.topic))) {
      const messages = redrive
        .filter((r) => r.topic === topic)
        .map((r) => ({
          key: r.key,
          value: r.value,
          // Its original time: ingest dates a submission without submittedAt by it.
          timestamp: r.record.source.timestamp,
          headers: { 'abuse-monitor-redriven-from': `${topics.deadLetter}/${r.position}` },
        }));
      for (const group of groupsUpTo(messages, MAX_DEAD_LETTER_SEND_BYTES)) {
        const deadline = Date.now() + SEND_GIVE_UP_MS;
        await publisher.send(topic, group, () => Date.now() < deadline);
        sent += group.length;
        shown.advance(group.length);
      }
    }
    shown.finish();
  } catch (error) {
    shown.finish();
    throw new Error(
      `sent ${sent} of ${redrive.length}, then: ${(error as Error).message}. Running the same command again is safe: what was stored already is dropped by its consumer`,
    );
  } finally {
    await publisher.close();
  }
}

async function main(): Promise<void> {
  const { command, filter, limit, apply, json } = readArguments();
  const settings = kafkaClientSettings(config, 'deadletters');
  await exitIfKafkaRefusesAccess(settings);
  const kafka = createKafka(settings, (level, message) => {
    if (level === 'error' || level === 'warn') err(`kafka ${level}: ${message}`);
  });
  const reading = progress(`${topics.deadLetter} read`, null);
  const entries = await readDeadLetters(
    kafka,
    topics.deadLetter,
    READ_TIMEOUT_MS,
    config.KAFKA_TOPIC_PREFIX,
    reading,
  ).finally(() => {
    // The offsets counted transaction markers too: the total is what was there to read.
    reading.setTotal(reading.done);
    reading.finish();
  });
  const plan = planRedrive(entries, filter, { inputs: INPUT_TOPICS, submitted: topics.submitted });
  if (command === 'list') {
    if (json) {
      for (const s of plan.selected) out(JSON.stringify({ position: s.position, ...s.record }));
      for (const u of plan.unreadable) out(JSON.stringify({ position: u.position, unreadable: u.problem }));
    } else {
      printSummary(entries.length, plan);
      printList(plan);
    }
    return;
  }
  const chosen = limit === null ? plan.redrive : plan.redrive.slice(0, limit);
  const leftForLater = plan.redrive.length - chosen.length;
  if (apply) await send(kafka, chosen);
  if (json) {
    out(
      JSON.stringify({
        read: entries.length,
        selected: plan.selected.length,
        [apply ? 'sent' : 'wouldSend']: chosen.map((r) => ({
          position: r.position,
          source: r.record.source,
        })),
        leftForLater,
        skipped: plan.skipped.map((s) => ({ position: s.position, source: s.record.source, why: s.why })),
        unreadable: plan.unreadable,
      }),
    );
    return;
  }
  printSummary(entries.length, plan);
  if (apply)
    out(`sent ${chosen.length} back to their source topics; a consumer drops any it had already stored`);
  else {
    out(`would send ${chosen.length} back to their source topics; add --apply to send them:`);
    for (const r of chosen.slice(0, LISTED_IN_DRY_RUN))
      out(`  ${source(r.record)} (at ${r.position}): ${r.record.detail}`);
    if (chosen.length > LISTED_IN_DRY_RUN) out(`  ... and ${chosen.length - LISTED_IN_DRY_RUN} more`);
    if (chosen.length > SET_ASIDE_LIMIT.refusals)
      out(
        `careful: if the cause is not fixed, the consumers set aside ${SET_ASIDE_LIMIT.refusals} of these again and then stop their partition ` +
          '(AbuseMonitorConsumerFailing pages); send one first with --limit 1 and check it was stored',
      );
  }
  if (leftForLater > 0) out(`left for a later run (--limit ${limit}): ${leftForLater}`);
  printSkipped(plan);
}

main().catch((error: unknown) => {
  err(`deadletters failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
