import { allowlistMatcher, type Rule } from '@abuse-monitor/domain';
import type { RulesInForceRead } from './rules-in-force.repository';

/** What a batch is evaluated against. */
export interface RulesInForce {
  readonly rules: readonly Rule[];
  readonly allowlisted: (e164: string) => boolean;
  readonly protectedOriginators: ReadonlySet<string>;
}

interface Held {
  value: RulesInForce;
  /** The invalidations seen when its read began. */
  generation: number;
  validUntil: number;
}

/**
 * The rules, the allowlist and the protected originators, read together once and kept until one
 * of them changes (decision 0062): `invalidate()` on a change notification, and in any case after
 * `refreshMs` from the read's start, or when the first allowlist entry read ends. A read that began
 * before an invalidation is not kept, even if it ends after it: it may predate the change. Batches
 * that ask while a read is under way share it.
 */
export class RulesInForceCache {
  private generation = 0;
  private held: Held | null = null;
  private reading: { promise: Promise<RulesInForce>; generation: number } | null = null;

  constructor(
    private readonly read: () => Promise<RulesInForceRead>,
    private readonly refreshMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Something changed (or may have, unheard): the next batch reads again. */
  invalidate(): void {
    this.generation += 1;
  }

  current(): Promise<RulesInForce> {
    const held = this.held;
    if (held && held.generation === this.generation && this.now() < held.validUntil)
      return Promise.resolve(held.value);
    if (this.reading && this.reading.generation === this.generation) return this.reading.promise;
    const generation = this.generation;
    const startedAt = this.now();
    const promise = this.read().then(
      (read) => {
        const value: RulesInForce = {
          rules: read.rules,
          allowlisted: allowlistMatcher(read.allowlist),
          protectedOriginators: read.protectedOriginators,
        };
        const validUntil = Math.min(startedAt + this.refreshMs, read.allowlistChangesAt ?? Infinity);
        if (!this.held || this.held.generation <= generation) this.held = { value, generation, validUntil };
        if (this.reading?.promise === promise) this.reading = null;
        return value;
      },
      (error: unknown) => {
        if (this.reading?.promise === promise) this.reading = null;
        throw error;
      },
    );
    this.reading = { promise, generation };
    return promise;
  }
}
