import { DEFAULT_RULES, type Rule } from '@abuse-monitor/domain';

/**
 * The rule that opens a flag soonest on plain reports: distinct reporters, no filter on kind,
 * category or number type, lowest threshold (3 distinct reporters in 24 hours by default).
 */
export function openingRule(rules: readonly Rule[] = DEFAULT_RULES): Rule {
  const candidates = rules
    .filter(
      (rule) =>
        rule.enabled &&
        rule.measure === 'distinct_reporters' &&
        rule.kind == null &&
        rule.category == null &&
        rule.numberType == null,
    )
    .sort((a, b) => a.threshold - b.threshold);
  if (candidates.length === 0) throw new Error('no enabled distinct-reporters rule without filters');
  return candidates[0];
}

/** One report of a flag target, due at a tick of the steady load. */
export interface TargetReport {
  /** National notation (0 and nine digits). */
  reportedNational: string;
  reporterNational: string;
  /** The report of the threshold-th distinct reporter: the one that makes the flag open. */
  crossing: boolean;
}

/**
 * Numbers the steady load makes cross the opening rule's threshold, so that the time from a
 * report's publication to its flag event can be measured: each target is reported by exactly
 * `threshold` reporters who report nothing else, one report every `spacingTicks` ticks, and its
 * flag opens at the last of them. The spacing makes that last report the latest of its number by
 * receivedAt (the aggregator orders a number's reports by it), even if the reports overtake one
 * another on the raw topic, which is keyed by reporter. Targets and their reporters come from
 * prefixes (036, 037) that the background traffic never uses, so nothing else reports them.
 */
export class FlagTargets {
  private readonly due = new Map<number, TargetReport[]>();
  private targets = 0;
  private reporters = 0;

  constructor(
    readonly threshold: number,
    readonly spacingTicks: number,
  ) {}

  /** How many ticks a target takes from its first report to the one that opens its flag. */
  get span(): number {
    return (this.threshold - 1) * this.spacingTicks;
  }

  /** A new target whose first report is due at `tick`. */
  start(tick: number): void {
    this.targets += 1;
    const reportedNational = `036${String(this.targets).padStart(7, '0')}`;
    for (let k = 0; k < this.threshold; k += 1) {
      this.reporters += 1;
      const at = tick + k * this.spacingTicks;
      const list = this.due.get(at) ?? [];
      list.push({
        reportedNational,
        reporterNational: `037${String(this.reporters).padStart(7, '0')}`,
        crossing: k === this.threshold - 1,
      });
      this.due.set(at, list);
    }
  }

  /** The target reports due at `tick`, handed out once. */
  take(tick: number): TargetReport[] {
    const list = this.due.get(tick) ?? [];
    this.due.delete(tick);
    return list;
  }
}
