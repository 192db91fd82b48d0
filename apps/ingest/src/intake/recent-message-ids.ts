/**
 * The ids of the messages this process decided lately, oldest forgotten first. A gateway that
 * redelivers a message does so within moments; skipping it here spares the reporter a second
 * reply. It is only a courtesy: after a restart, or on another instance, a redelivery is decided
 * again, and every consumer downstream deduplicates by the ids derived from the message's id.
 */
export class RecentMessageIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity: number) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Called once the batch that decided these ids has committed. */
  remember(ids: Iterable<string>): void {
    if (this.capacity === 0) return;
    for (const id of ids) {
      this.ids.delete(id);
      this.ids.add(id);
    }
    // A Set iterates in insertion order: the first ids are the oldest.
    for (const id of this.ids) {
      if (this.ids.size <= this.capacity) break;
      this.ids.delete(id);
    }
  }

  get size(): number {
    return this.ids.size;
  }
}
