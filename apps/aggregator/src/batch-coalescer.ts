/**
 * Gathers the batches that arrive together into one unit of work while they are small.
 *
 * kafkajs hands the batches of one fetch (one per partition with records) to its workers in the
 * same turn of the event loop, and fetches again only when all of them are done. Under a steady
 * load each holds what came in one fetch wait (a few hundred reports), and each paid a database
 * transaction of a dozen statements whatever its size (decision 0071): together they pay one.
 * Large batches (a backlog, a replay) run alone and side by side as before, where the fixed cost is
 * already shared and two transactions keep both the aggregator and PostgreSQL busy.
 *
 * A unit of work that fails is run again for each of its batches alone, so that one batch's
 * failure (a message the database refuses, which the consumer then sets aside) is never another's.
 */
export class BatchCoalescer<T, R> {
  private pending: { item: T; size: number; settle: Settle<R> }[] = [];
  private pendingSize = 0;

  /**
   * @param run does the work for the items given, all or nothing (one database transaction).
   * @param maxSize items together up to this size share a run; 0 runs every item alone.
   */
  constructor(
    private readonly run: (items: T[]) => Promise<R>,
    private readonly maxSize: number,
  ) {}

  /** Resolves with the result of the run that included `item`, once it is done. */
  submit(item: T, size: number): Promise<R> {
    if (size > this.maxSize || this.maxSize === 0) return this.run([item]);
    if (this.pendingSize + size > this.maxSize) this.flush();
    return new Promise<R>((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => this.flush());
      this.pending.push({ item, size, settle: { resolve, reject } });
      this.pendingSize += size;
    });
  }

  private flush(): void {
    const group = this.pending;
    if (group.length === 0) return;
    this.pending = [];
    this.pendingSize = 0;
    void this.runGroup(group);
  }

  private async runGroup(group: { item: T; settle: Settle<R> }[]): Promise<void> {
    if (group.length > 1) {
      try {
        const result = await this.run(group.map((g) => g.item));
        for (const { settle } of group) settle.resolve(result);
        return;
      } catch {
        // Each alone below: the failure is then the batch's own, or every one's.
      }
    }
    for (const { item, settle } of group) {
      try {
        settle.resolve(await this.run([item]));
      } catch (error) {
        settle.reject(error);
      }
    }
  }
}

interface Settle<R> {
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}
