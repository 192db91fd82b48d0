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

/**
 * The hashes of the live tokens, read at most once per refresh interval whatever the traffic.
 * An address that has used up its refused attempts (FailedAttempts) is answered from this set
 * alone: a colleague's valid token behind the same address as an attacker still gets through
 * (to the full lookup, which checks revocation again), while the attacker's guesses cost no
 * database lookup each. A token created since the last read waits at most one interval.
 */
export class LiveTokenHashes {
  private hashes = new Set<string>();
  private readAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | null = null;

  constructor(
    private readonly load: () => Promise<readonly string[]>,
    private readonly refreshMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async has(hash: string): Promise<boolean> {
    if (this.now() - this.readAt >= this.refreshMs) await this.refresh();
    return this.hashes.has(hash);
  }

  private refresh(): Promise<void> {
    // Concurrent callers share one read.
    this.reading ??= this.load()
      .then((hashes) => {
        this.hashes = new Set(hashes);
        this.readAt = this.now();
      })
      .finally(() => {
        this.reading = null;
      });
    return this.reading;
  }
}
