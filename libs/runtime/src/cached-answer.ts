/**
 * An answer worth at most `ttlMs` of freshness: every caller within that time gets the same one,
 * and callers who arrive while it is being worked out wait for that work instead of starting their
 * own. Readiness is asked by load balancers and by anyone on the network (it needs no token); one
 * probe a second is enough for the former and all the latter get.
 */
export class CachedAnswer<T> {
  private answer: { value: T; at: number } | null = null;
  private pending: Promise<T> | null = null;

  constructor(
    private readonly work: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<T> {
    if (this.answer && this.now() - this.answer.at < this.ttlMs) return Promise.resolve(this.answer.value);
    this.pending ??= this.work()
      .then((value) => {
        this.answer = { value, at: this.now() };
        return value;
      })
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }
}
