/**
 * Possibly coordinated reporting: the same group of reporters reporting number after number
 * together, as a ring harming competitors would. A real spam caller is also reported by many
 * people within an hour, but mostly by people who never reported anything else, or whose other
 * reports scatter; what marks a ring is that its members keep meeting on the same other numbers.
 *
 * A reporter of the flag is "in a recurring group" when at least `minGroupSize - 1` of the flag's
 * other reporters are partners of theirs, a partner being a reporter who also reported at least
 * `minSharedNumbers` of the same other numbers. Pairwise partnership keeps this linear in the
 * reports looked at, where finding exact groups would not be; it is a signal for a person, not a verdict.
 */

export interface CoordinationOptions {
  /** Group size counting the reporter; at least 2. */
  readonly minGroupSize: number;
  /** Other numbers two reporters must have both reported; at least 1. */
  readonly minSharedNumbers: number;
  /** The flagged number, ignored if the caller's map includes it. */
  readonly reportedNumber?: string;
}

export const DEFAULT_COORDINATION_OPTIONS: CoordinationOptions = { minGroupSize: 3, minSharedNumbers: 2 };
/** "Mostly": at least half of the flag's weighted reporters. */
export const DEFAULT_COORDINATION_THRESHOLD = 0.5;

/** The flag's reporters who belong to a recurring group, in the order given. */
export function coordinatedReporters(
  flagReporters: readonly string[],
  otherNumbersByReporter: ReadonlyMap<string, ReadonlySet<string>>,
  options: CoordinationOptions = DEFAULT_COORDINATION_OPTIONS,
): string[] {
  const reporters = [...new Set(flagReporters)];
  const minPartners = Math.max(2, options.minGroupSize) - 1;
  const minShared = Math.max(1, options.minSharedNumbers);

  const otherNumbersOf = (reporter: string): string[] =>
    [...(otherNumbersByReporter.get(reporter) ?? [])].filter((number) => number !== options.reportedNumber);
  const flagReportersByNumber = new Map<string, string[]>();
  for (const reporter of reporters) {
    for (const number of otherNumbersOf(reporter)) {
      const list = flagReportersByNumber.get(number) ?? [];
      list.push(reporter);
      flagReportersByNumber.set(number, list);
    }
  }

  return reporters.filter((reporter) => {
    const sharedWith = new Map<string, number>();
    for (const number of otherNumbersOf(reporter)) {
      for (const other of flagReportersByNumber.get(number) ?? []) {
        if (other !== reporter) sharedWith.set(other, (sharedWith.get(other) ?? 0) + 1);
      }
    }
    const partners = [...sharedWith.values()].filter((shared) => shared >= minShared).length;
    return partners >= minPartners;
  });
}

/** The share (0 to 1) of the flag's distinct reporters who belong to a recurring group; 0 for none. */
export function coordinationShare(
  flagReporters: readonly string[],
  otherNumbersByReporter: ReadonlyMap<string, ReadonlySet<string>>,
  options: CoordinationOptions = DEFAULT_COORDINATION_OPTIONS,
): number {
  const distinct = new Set(flagReporters).size;
  if (distinct === 0) return 0;
  return coordinatedReporters(flagReporters, otherNumbersByReporter, options).length / distinct;
}

export function isPossiblyCoordinated(
  share: number,
  threshold: number = DEFAULT_COORDINATION_THRESHOLD,
): boolean {
  return share > 0 && share >= threshold;
}
