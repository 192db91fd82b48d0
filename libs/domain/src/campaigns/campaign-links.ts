/**
 * What ties two flagged numbers to one operation, pair by pair, each signal worded for an analyst:
 *
 * - content: reports of both carry near-identical text (fingerprint similarity at least
 *   `contentSimilarity`, texts of at least `minContentWords` words);
 * - number block: the same first `blockPrefixDigits` digits of the national significant number,
 *   reported within `blockWithinDays` of each other (SIMs are bought in consecutive runs);
 * - shared reporters: at least `sharedReportersMin` people reported both, each within
 *   `sharedReportersWithinHours` (one victim called by the campaign's SIM after SIM);
 * - co-timed onset: first reports within `onsetWithinHours`. Many unrelated numbers start within
 *   hours of each other, so onset is looked at only for pairs another signal brought up.
 *
 * Pairs come from indexes (the fingerprints' band keys, the block prefix, each reporter's numbers),
 * never from all pairs of flagged numbers.
 */
import type { Carrier } from '../numbering/carriers';
import type { Severity } from '../flagging/rules';
import type { CampaignRules } from './campaign-rules';
import {
  FINGERPRINT_BANDS,
  FINGERPRINT_ROWS,
  FINGERPRINT_SIZE,
  isEmptyFingerprint,
  similarity,
  type Fingerprint,
} from './text-fingerprint';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MINUTE_MS = 60_000;

/**
 * Distinct fingerprints looked at per number: a number reported a thousand times still shows its
 * script in its first fifty distinct texts, and the pair count stays bounded.
 */
export const MAX_FINGERPRINTS_PER_NUMBER = 50;
/**
 * A reporter who reported more numbers than this among the flagged ones is left out of the
 * shared-reporters signal: someone reporting everything ties nothing together (and the reporter
 * guard weighs them down anyway), and each of their pairs would cost.
 */
export const MAX_NUMBERS_PER_SHARED_REPORTER = 50;

export interface CampaignReport {
  /** The reporter's E.164 number; counted, never shown in an explanation. */
  readonly reporter: string;
  /** Epoch milliseconds. */
  readonly at: number;
}

/** A flagged number and the evidence campaign detection reads. */
export interface FlaggedNumberEvidence {
  /** E.164: '+84912345678'. */
  readonly number: string;
  readonly carrier: Carrier | null;
  /** The severity of its flag. */
  readonly severity: Severity;
  /** Fingerprints of its reports' texts. */
  readonly fingerprints: readonly Fingerprint[];
  readonly reports: readonly CampaignReport[];
  readonly firstReportAt: number;
  readonly lastReportAt: number;
}

export const LINK_SIGNAL_KINDS = ['content', 'number_block', 'shared_reporters', 'co_timed_onset'] as const;
export type LinkSignalKind = (typeof LINK_SIGNAL_KINDS)[number];

interface SignalBase {
  /** What it adds to the link's score (the rules' weight for its kind). */
  readonly weight: number;
  readonly explanation: string;
}
export type LinkSignal =
  | (SignalBase & { readonly kind: 'content'; readonly similarity: number })
  | (SignalBase & { readonly kind: 'number_block'; readonly prefixDigits: number; readonly gapDays: number })
  | (SignalBase & { readonly kind: 'shared_reporters'; readonly reporters: number })
  | (SignalBase & { readonly kind: 'co_timed_onset'; readonly onsetGapMinutes: number });

export interface CampaignLink {
  /** The two numbers, a < b. */
  readonly a: string;
  readonly b: string;
  /** In LINK_SIGNAL_KINDS order. */
  readonly signals: readonly LinkSignal[];
  readonly score: number;
  /** Whether the score reaches the rules' minLinkScore. */
  readonly joins: boolean;
  readonly explanation: string;
}

/** '+84912345678' -> '912345678'; null for a number outside Vietnam, which has no block of ours. */
function nationalSignificant(number: string): string | null {
  return number.startsWith('+84') ? number.slice(3) : null;
}

/** Milliseconds between two periods; 0 when they overlap. */
function gapBetween(a: FlaggedNumberEvidence, b: FlaggedNumberEvidence): number {
  return Math.max(0, Math.max(a.firstReportAt, b.firstReportAt) - Math.min(a.lastReportAt, b.lastReportAt));
}

/** The smallest distance between a time of `a` and a time of `b`, both sorted. */
function closestTimes(a: readonly number[], b: readonly number[]): number {
  let best = Infinity;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const difference = (a[i] as number) - (b[j] as number);
    best = Math.min(best, Math.abs(difference));
    if (difference < 0) i++;
    else j++;
  }
  return best;
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

function durationWords(ms: number): string {
  if (ms < HOUR_MS) return plural(Math.round(ms / MINUTE_MS), 'minute', 'minutes');
  if (ms < 2 * DAY_MS) return plural(Math.round(ms / HOUR_MS), 'hour', 'hours');
  return plural(Math.round(ms / DAY_MS), 'day', 'days');
}

interface PairFindings {
  similarity?: number;
  block?: number; // gap in ms
  sharedReporters?: number;
}

/**
 * Every pair of numbers with at least one signal, each with its signals, score and explanation,
 * sorted by (a, b). Numbers given twice count once (the first). Deterministic: the order of the
 * input changes nothing.
 */
export function findCampaignLinks(
  evidence: readonly FlaggedNumberEvidence[],
  rules: CampaignRules,
): CampaignLink[] {
  const byNumber = new Map<string, FlaggedNumberEvidence>();
  for (const entry of evidence) if (!byNumber.has(entry.number)) byNumber.set(entry.number, entry);
  const numbers = [...byNumber.values()].sort((x, y) => (x.number < y.number ? -1 : 1));
  const findings = new Map<number, PairFindings>();
  const count = numbers.length;
  const findingsOf = (i: number, j: number): PairFindings => {
    const key = i < j ? i * count + j : j * count + i;
    let found = findings.get(key);
    if (found === undefined) findings.set(key, (found = {}));
    return found;
  };

  findContent(numbers, rules, findingsOf);
  findBlocks(numbers, rules, findingsOf);
  findSharedReporters(numbers, rules, findingsOf);

  const links: CampaignLink[] = [];
  for (const [key, found] of findings) {
    const i = Math.floor(key / count);
    const j = key % count;
    const link = linkOf(
      numbers[i] as FlaggedNumberEvidence,
      numbers[j] as FlaggedNumberEvidence,
      found,
      rules,
    );
    if (link !== null) links.push(link);
  }
  return links.sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0));
}

type FindingsOf = (i: number, j: number) => PairFindings;

function findContent(
  numbers: readonly FlaggedNumberEvidence[],
  rules: CampaignRules,
  findingsOf: FindingsOf,
) {
  const prints: Fingerprint[] = [];
  const numberOfPrint: number[] = [];
  numbers.forEach((entry, number) => {
    const seen = new Set<string>();
    let kept = 0;
    for (const fingerprint of entry.fingerprints) {
      if (kept >= MAX_FINGERPRINTS_PER_NUMBER) break;
      if (isEmptyFingerprint(fingerprint) || fingerprint.wordCount < rules.minContentWords) continue;
      // The same signature twice in one number is one text: its values as one short string. A
      // signature of another length has no bands: it takes a place and matches nothing.
      const full = fingerprint.signature.length === FINGERPRINT_SIZE;
      const identity = full ? String.fromCharCode(...fingerprint.signature) : '';
      if (seen.has(identity)) continue;
      seen.add(identity);
      kept++;
      if (!full) continue;
      prints.push(fingerprint);
      numberOfPrint.push(number);
    }
  });
  // One band at a time, lowest first, keyed by the band's values as a 4-character string: all the
  // bands' keys at once ('b03:...' strings, 16 per print, and a Set of the pairs compared) were
  // most of a first run's memory at a million reports (issue 20). A pair of prints is compared in
  // the lowest band they share only, so each pair once, as before.
  const bestByPair = new Map<number, number>();
  const count = numbers.length;
  for (let band = 0; band < FINGERPRINT_BANDS; band++) {
    const offset = band * FINGERPRINT_ROWS;
    const buckets = new Map<string, number[]>();
    prints.forEach((fingerprint, id) => {
      const key = String.fromCharCode(...fingerprint.signature.subarray(offset, offset + FINGERPRINT_ROWS));
      const bucket = buckets.get(key);
      if (bucket === undefined) buckets.set(key, [id]);
      else bucket.push(id);
    });
    for (const bucket of buckets.values()) {
      if (bucket.length < 2) continue;
      for (let x = 0; x < bucket.length; x++) {
        for (let y = x + 1; y < bucket.length; y++) {
          const first = bucket[x] as number;
          const second = bucket[y] as number;
          const i = numberOfPrint[first] as number;
          const j = numberOfPrint[second] as number;
          if (i === j) continue;
          const pair = i < j ? i * count + j : j * count + i;
          const best = bestByPair.get(pair) ?? 0;
          if (best === 1) continue; // nothing to learn from more texts of this pair
          const a = prints[first] as Fingerprint;
          const b = prints[second] as Fingerprint;
          if (shareBandBefore(a, b, band)) continue; // compared in that band
          const value = similarity(a, b);
          if (value >= rules.contentSimilarity && value > best) bestByPair.set(pair, value);
        }
      }
    }
  }
  for (const [pair, best] of bestByPair) findingsOf(Math.floor(pair / count), pair % count).similarity = best;
}

/** Whether the two signatures agree on every position of a band below `band`. */
function shareBandBefore(a: Fingerprint, b: Fingerprint, band: number): boolean {
  for (let earlier = 0; earlier < band; earlier++) {
    let equal = true;
    for (let position = earlier * FINGERPRINT_ROWS; position < (earlier + 1) * FINGERPRINT_ROWS; position++) {
      if (a.signature[position] !== b.signature[position]) {
        equal = false;
        break;
      }
    }
    if (equal) return true;
  }
  return false;
}

function findBlocks(numbers: readonly FlaggedNumberEvidence[], rules: CampaignRules, findingsOf: FindingsOf) {
  const blocks = new Map<string, number[]>();
  numbers.forEach((entry, index) => {
    const significant = nationalSignificant(entry.number);
    if (significant === null || significant.length <= rules.blockPrefixDigits) return;
    const prefix = significant.slice(0, rules.blockPrefixDigits);
    const block = blocks.get(prefix);
    if (block === undefined) blocks.set(prefix, [index]);
    else block.push(index);
  });
  for (const block of blocks.values()) {
    for (let x = 0; x < block.length; x++) {
      for (let y = x + 1; y < block.length; y++) {
        const i = block[x] as number;
        const j = block[y] as number;
        const gap = gapBetween(numbers[i] as FlaggedNumberEvidence, numbers[j] as FlaggedNumberEvidence);
        if (gap <= rules.blockWithinDays * DAY_MS) findingsOf(i, j).block = gap;
      }
    }
  }
}

function findSharedReporters(
  numbers: readonly FlaggedNumberEvidence[],
  rules: CampaignRules,
  findingsOf: FindingsOf,
) {
  const timesByReporter = new Map<string, Map<number, number[]>>();
  numbers.forEach((entry, index) => {
    for (const report of entry.reports) {
      let timesByNumber = timesByReporter.get(report.reporter);
      if (timesByNumber === undefined) timesByReporter.set(report.reporter, (timesByNumber = new Map()));
      const times = timesByNumber.get(index);
      if (times === undefined) timesByNumber.set(index, [report.at]);
      else times.push(report.at);
    }
  });
  const within = rules.sharedReportersWithinHours * HOUR_MS;
  const shared = new Map<string, { i: number; j: number; reporters: number }>();
  for (const timesByNumber of timesByReporter.values()) {
    if (timesByNumber.size < 2 || timesByNumber.size > MAX_NUMBERS_PER_SHARED_REPORTER) continue;
    const entries = [...timesByNumber.entries()].map(
      ([index, times]) => [index, [...times].sort((x, y) => x - y)] as const,
    );
    for (let x = 0; x < entries.length; x++) {
      for (let y = x + 1; y < entries.length; y++) {
        const [i, timesOfI] = entries[x] as readonly [number, number[]];
        const [j, timesOfJ] = entries[y] as readonly [number, number[]];
        if (closestTimes(timesOfI, timesOfJ) > within) continue;
        const key = i < j ? `${i}-${j}` : `${j}-${i}`;
        const pair = shared.get(key);
        if (pair === undefined) shared.set(key, { i, j, reporters: 1 });
        else pair.reporters++;
      }
    }
  }
  for (const { i, j, reporters } of shared.values()) {
    if (reporters >= rules.sharedReportersMin) findingsOf(i, j).sharedReporters = reporters;
  }
}

function linkOf(
  first: FlaggedNumberEvidence,
  second: FlaggedNumberEvidence,
  found: PairFindings,
  rules: CampaignRules,
): CampaignLink | null {
  const signals: LinkSignal[] = [];
  if (found.similarity !== undefined) {
    signals.push({
      kind: 'content',
      similarity: found.similarity,
      weight: rules.contentWeight,
      explanation: `reports with near-identical text (similarity ${found.similarity.toFixed(2)}, at least ${rules.contentSimilarity.toFixed(2)})`,
    });
  }
  if (found.block !== undefined) {
    const gapDays = Math.floor(found.block / DAY_MS);
    signals.push({
      kind: 'number_block',
      prefixDigits: rules.blockPrefixDigits,
      gapDays,
      weight: rules.numberBlockWeight,
      explanation:
        `one number block (the same first ${rules.blockPrefixDigits} digits), ` +
        (found.block === 0 ? 'reported over the same days' : `reported ${durationWords(found.block)} apart`),
    });
  }
  if (found.sharedReporters !== undefined) {
    signals.push({
      kind: 'shared_reporters',
      reporters: found.sharedReporters,
      weight: rules.sharedReportersWeight,
      explanation: `${plural(found.sharedReporters, 'person', 'people')} reported both within ${plural(rules.sharedReportersWithinHours, 'hour', 'hours')}`,
    });
  }
  if (signals.length === 0) return null;
  const onsetGap = Math.abs(first.firstReportAt - second.firstReportAt);
  if (onsetGap <= rules.onsetWithinHours * HOUR_MS) {
    signals.push({
      kind: 'co_timed_onset',
      onsetGapMinutes: Math.round(onsetGap / MINUTE_MS),
      weight: rules.coTimedOnsetWeight,
      explanation: `first reported ${durationWords(onsetGap)} apart (within ${plural(rules.onsetWithinHours, 'hour', 'hours')})`,
    });
  }
  const score = signals.reduce((sum, signal) => sum + signal.weight, 0);
  const joins = score >= rules.minLinkScore;
  const verdict = joins
    ? `score ${score}, joins at ${rules.minLinkScore}`
    : `score ${score}, below the ${rules.minLinkScore} that joins: not enough alone`;
  return {
    a: first.number,
    b: second.number,
    signals,
    score,
    joins,
    explanation: `${signals.map((signal) => signal.explanation).join('; ')} (${verdict})`,
  };
}
