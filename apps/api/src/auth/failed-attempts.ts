/**
 * Refused authentications per client address over a sliding minute. Per-token rate limits cannot
 * apply before there is a token; this keeps a client guessing tokens (or hammering with a revoked
 * one) from costing a database lookup per request without end.
 */
export class FailedAttempts {
  private readonly byClient = new Map<string, number[]>();

  constructor(
    private readonly limitPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether the client has used up its refused attempts for this minute. */
  exhausted(client: string): boolean {
    return this.recent(client).length >= this.limitPerMinute;
  }

  record(client: string): void {
    const recent = this.recent(client);
    recent.push(this.now());
    this.byClient.set(client, recent);
    // Bounded memory: clients silent for a minute are forgotten as others arrive.
    if (this.byClient.size > 10_000)
      for (const [key] of this.byClient) if (!this.recent(key).length) this.byClient.delete(key);
  }

  private recent(client: string): number[] {
    const since = this.now() - 60_000;
    return (this.byClient.get(client) ?? []).filter((at) => at > since);
  }
}

/** A set that forgets its oldest entries beyond a size. */
export class RecentSet {
  private readonly entries = new Set<string>();

  constructor(private readonly capacity: number) {}

  add(value: string): void {
    this.entries.delete(value);
    this.entries.add(value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.values().next().value as string);
  }

  has(value: string): boolean {
    return this.entries.has(value);
  }
}
