import { CachedAnswer, describeError, withTimeout } from '@abuse-monitor/runtime';

/** One dependency's state, in words safe to show anyone: no host, no error text, no personal data. */
export interface CheckResult {
  ok: boolean;
  detail: string;
}

export interface Readiness {
  status: 'ready' | 'not_ready';
  checks: Record<string, CheckResult>;
}

/** Throws when the dependency does not answer; returns a result when it answered and was judged. */
export type ReadinessCheck = () => Promise<CheckResult> | CheckResult;

/** A check that does not answer within this is taken for unreachable. */
export const CHECK_TIMEOUT_MS = 3_000;
/** Probes (Kubernetes, compose, anyone on the network) get an answer at most this old. */
export const READY_CACHE_MS = 1_000;

/**
 * The checks that make an app ready, by name. The answer is worked out at most once every
 * READY_CACHE_MS and shared by every caller meanwhile, so however often probes ask, the broker and
 * the database are asked at most once a second. A check that throws or hangs is reported as
 * "<name> unreachable"; why goes to the log, once each time a check turns from ready to not.
 */
export class Health {
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly closers: (() => Promise<void>)[] = [];
  private readonly answer: CachedAnswer<Readiness>;
  private readonly wasOk = new Map<string, boolean>();

  constructor(
    private readonly log: (message: string) => void = () => undefined,
    ttlMs = READY_CACHE_MS,
    private readonly timeoutMs = CHECK_TIMEOUT_MS,
    now: () => number = Date.now,
  ) {
    this.answer = new CachedAnswer(() => this.evaluate(), ttlMs, now);
  }

  /** Adds a check; `close` runs when the app stops (a connection the check keeps). */
  register(name: string, check: ReadinessCheck, close?: () => Promise<void>): void {
    if (this.checks.has(name)) throw new Error(`readiness check ${name} is registered twice`);
    this.checks.set(name, check);
    if (close) this.closers.push(close);
  }

  ready(): Promise<Readiness> {
    return this.answer.get();
  }

  async close(): Promise<void> {
    await Promise.all(this.closers.splice(0).map((close) => close().catch(() => undefined)));
  }

  private async evaluate(): Promise<Readiness> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await this.run(name, check)] as const),
    );
    const checks = Object.fromEntries(entries);
    return { status: entries.every(([, c]) => c.ok) ? 'ready' : 'not_ready', checks };
  }

  private async run(name: string, check: ReadinessCheck): Promise<CheckResult> {
    let result: CheckResult;
    let why: string;
    try {
      result = await withTimeout(Promise.resolve().then(check), this.timeoutMs, name);
      why = result.detail;
    } catch (error) {
      result = { ok: false, detail: `${name} unreachable` };
      why = describeError(error);
    }
    const before = this.wasOk.get(name);
    if (!result.ok && before !== false) this.log(`${name} is not ready: ${why}`);
    if (result.ok && before === false) this.log(`${name} is ready again`);
    this.wasOk.set(name, result.ok);
    return result;
  }
}
