import { z } from 'zod';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from '@abuse-monitor/domain';
import {
  MAX_DEAD_LETTER_DETAIL_CHARS,
  MAX_DEAD_LETTER_VALUE_BYTES,
  type DeadLetterRecord,
} from './dead-letter';

/** Our keys are numbers and source positions; a gateway's message key is short too. */
const MAX_REDRIVEN_KEY_CHARS = 1_024;
import type { DeadLetterReason } from './raw-sms.schema';

/**
 * Which dead letters go back to the topic they came from, once whatever refused them is fixed (a
 * constraint relaxed, a migration applied, a bug released). Every consumer of those topics drops
 * what it has already stored (by message id, submission id or report id), so sending an original
 * again is safe: it is stored once, whether or not it had been.
 */

/**
 * Read leniently (fields added later must not make older tools refuse newer records), but bounded:
 * anyone who can write to the broker can write this topic, and what a redrive reads from it goes
 * back to an input topic and into the terminal.
 */
const deadLetterRecordSchema = z.object({
  // A reason added by a later version is listed as it is, not refused.
  reason: z.string().regex(/^[a-z_]{1,64}$/, 'expected lower-case letters and underscores'),
  detail: z.string().max(MAX_DEAD_LETTER_DETAIL_CHARS),
  source: z.object({
    // Kafka's own rule for topic names.
    topic: z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'expected a Kafka topic name'),
    partition: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
    offset: z.string().regex(/^\d{1,19}$/),
    key: z.string().max(MAX_REDRIVEN_KEY_CHARS).nullable(),
    timestamp: z.string().regex(/^-?\d{1,19}$/),
  }),
  valueBase64: z
    .string()
    .max(Math.ceil(MAX_DEAD_LETTER_VALUE_BYTES / 3) * 4)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64')
    .nullable(),
  // Records written before originals were cut at 256 KiB have neither: theirs are whole.
  valueBytes: z.number().int().min(0).optional(),
  valueTruncated: z.boolean().default(false),
  deadLetteredAt: z.iso.datetime({ offset: true }),
});

/** A message read from the dead-letter topic, and where it sits there. */
export interface DeadLetterEntry {
  position: string;
  value: Buffer | null;
}

export interface DeadLetterFilter {
  reasons: readonly DeadLetterReason[] | null;
  sourceTopics: readonly string[] | null;
  /** Dead-lettered at or after. */
  since: Date | null;
  /** Dead-lettered before. */
  until: Date | null;
}

export interface SelectedDeadLetter {
  position: string;
  record: DeadLetterRecord;
}

export interface Redrivable extends SelectedDeadLetter {
  topic: string;
  key: string | null;
  value: Buffer;
}

export type SkipReason = 'truncated' | 'no_value' | 'not_an_input_topic' | 'repeat' | 'no_identity';

/** Where originals may go back to. */
export interface RedriveTopics {
  inputs: readonly string[];
  /**
   * Hotline submissions: one without an idempotency key is known by its place on this topic
   * (decision 0009), so a copy at a new place would be a second report.
   */
  submitted: string;
}

export interface RedrivePlan {
  /** Every record the filter selected, in the order read. */
  selected: SelectedDeadLetter[];
  redrive: Redrivable[];
  skipped: (SelectedDeadLetter & { why: SkipReason })[];
  /** Messages on the dead-letter topic that are not dead-letter records at all. */
  unreadable: { position: string; problem: string }[];
}

export const SKIP_EXPLANATIONS: Readonly<Record<SkipReason, string>> = {
  truncated:
    'only the first 256 KiB were kept; the whole original is on its source topic at the offset given',
  no_value: 'the original had no value: there is nothing to send',
  not_an_input_topic: 'its source is not a topic this deployment reads',
  repeat: 'the same original was dead-lettered twice (a retried batch); it is sent once',
  no_identity:
    'a hotline submission without an idempotency key is known by its place on the topic: sent again it would count twice; submit it again through the API, with a key',
};

/** A hotline submission sent again is the same report only when it carries its client's key. */
function hasIdempotencyKey(value: Buffer): boolean {
  try {
    const json: unknown = JSON.parse(value.toString('utf8'));
    const key =
      typeof json === 'object' && json !== null ? (json as Record<string, unknown>).idempotencyKey : null;
    return typeof key === 'string' && key.trim().length > 0 && key.length <= MAX_IDEMPOTENCY_KEY_LENGTH;
  } catch {
    return false;
  }
}

function readRecord(entry: DeadLetterEntry): DeadLetterRecord | string {
  if (entry.value === null) return 'no value';
  let json: unknown;
  try {
    json = JSON.parse(entry.value.toString('utf8'));
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
  const parsed = deadLetterRecordSchema.safeParse(json);
  if (!parsed.success)
    return `not a dead-letter record: ${parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(root)'} ${i.message}`)
      .join('; ')}`;
  const record = parsed.data;
  return {
    ...record,
    reason: record.reason as DeadLetterReason,
    valueBytes:
      record.valueBytes ??
      (record.valueBase64 === null ? 0 : Buffer.from(record.valueBase64, 'base64').length),
  };
}

function matches(record: DeadLetterRecord, filter: DeadLetterFilter): boolean {
  const at = Date.parse(record.deadLetteredAt);
  return (
    (filter.reasons === null || filter.reasons.includes(record.reason)) &&
    (filter.sourceTopics === null || filter.sourceTopics.includes(record.source.topic)) &&
    (filter.since === null || at >= filter.since.getTime()) &&
    (filter.until === null || at < filter.until.getTime())
  );
}

/** Why an original seen for the first time cannot go back whole, or null when it can. */
function whyNotSent(
  record: DeadLetterRecord,
  value: Buffer | null,
  topics: RedriveTopics,
): SkipReason | null {
  if (!topics.inputs.includes(record.source.topic)) return 'not_an_input_topic';
  if (value === null) return 'no_value';
  if (record.valueTruncated) return 'truncated';
  if (record.source.topic === topics.submitted && !hasIdempotencyKey(value)) return 'no_identity';
  return null;
}

export function planRedrive(
  entries: Iterable<DeadLetterEntry>,
  filter: DeadLetterFilter,
  topics: RedriveTopics,
): RedrivePlan {
  const plan: RedrivePlan = { selected: [], redrive: [], skipped: [], unreadable: [] };
  const originals = new Set<string>();
  for (const entry of entries) {
    const record = readRecord(entry);
    if (typeof record === 'string') {
      plan.unreadable.push({ position: entry.position, problem: record });
      continue;
    }
    if (!matches(record, filter)) continue;
    const selected = { position: entry.position, record };
    plan.selected.push(selected);
    const { topic, partition, offset, key } = record.source;
    const original = `${topic}/${partition}/${offset}`;
    const repeat = originals.has(original);
    originals.add(original);
    const value = record.valueBase64 === null ? null : Buffer.from(record.valueBase64, 'base64');
    const why = repeat ? 'repeat' : whyNotSent(record, value, topics);
    if (why === null && value !== null) plan.redrive.push({ ...selected, topic, key, value });
    else plan.skipped.push({ ...selected, why: why ?? 'no_value' });
  }
  return plan;
}

/** How many records of each reason and source topic: the summary an SRE reads first. */
export function countBy(selected: readonly SelectedDeadLetter[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { record } of selected) {
    const key = `${record.reason} from ${record.source.topic}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return new Map([...counts].sort(([a], [b]) => a.localeCompare(b)));
}
