import type { Rule } from '@abuse-monitor/domain';
import { RulesInForceCache } from './rules-in-force-cache';
import type { RulesInForceRead } from './rules-in-force.repository';

const rule = (threshold: number): Rule => ({
  id: 'distinct-3-24h',
  version: threshold,
  name: 'test',
  windowSeconds: 86400,
  measure: 'distinct_reporters',
  kind: null,
  category: null,
  numberType: null,
  threshold,
  severity: 'low',
  action: 'watch',
  enabled: true,
});

/** A database whose rule threshold the test changes, counting reads, each answered when released. */
class FakeDatabase {
  threshold = 3;
  allowlistChangesAt: number | null = null;
  reads = 0;
  private pending: (() => void)[] = [];
  /** Answer reads at once, or hold them until release(). */
  hold = false;

  read = (): Promise<RulesInForceRead> => {
    this.reads += 1;
    // What the database holds when the read starts is what it returns.
    const answer: RulesInForceRead = {
      rules: [rule(this.threshold)],
      allowlist: [{ kind: 'number', pattern: '+84900000111', reason: 'bank', owner: 'fraud' }],
      protectedOriginators: new Set(['+84900000222']),
      allowlistChangesAt: this.allowlistChangesAt,
    };
    if (!this.hold) return Promise.resolve(answer);
    return new Promise((resolve) => this.pending.push(() => resolve(answer)));
  };

  release(): void {
    for (const answer of this.pending.splice(0)) answer();
  }
}

describe('the rules in force, kept in memory', () => {
  let clock: number;
  let db: FakeDatabase;
  let cache: RulesInForceCache;
  beforeEach(() => {
    clock = 1_000_000;
    db = new FakeDatabase();
    cache = new RulesInForceCache(db.read, 5_000, () => clock);
  });

  const threshold = async () => (await cache.current()).rules[0].threshold;

  it('reads once for many batches within the refresh interval, and again after it', async () => {
    expect(await threshold()).toBe(3);
    db.threshold = 4;
    clock += 4_999;
    expect(await threshold()).toBe(3);
    expect(db.reads).toBe(1);
    clock += 1;
    expect(await threshold()).toBe(4);
    expect(db.reads).toBe(2);
  });

  it('reads again at once after a change is notified', async () => {
    expect(await threshold()).toBe(3);
    db.threshold = 4;
    cache.invalidate();
    expect(await threshold()).toBe(4);
    expect(db.reads).toBe(2);
  });

  it('does not keep a read that began before a notification, even when it ends after it', async () => {
    db.hold = true;
    const before = cache.current();
    db.threshold = 4;
    cache.invalidate();
    const after = cache.current();
    db.release();
    expect((await before).rules[0].threshold).toBe(3);
    expect((await after).rules[0].threshold).toBe(4);
    db.hold = false;
    expect(await threshold()).toBe(4);
    expect(db.reads).toBe(2);
  });

  it('shares one read among the batches that ask while it is under way', async () => {
    db.hold = true;
    const asked = [cache.current(), cache.current(), cache.current()];
    db.release();
    await Promise.all(asked);
    expect(db.reads).toBe(1);
  });

  it('reads again when the first allowlist entry read ends, before the interval', async () => {
    db.allowlistChangesAt = clock + 1_000;
    await cache.current();
    clock += 999;
    await cache.current();
    expect(db.reads).toBe(1);
    clock += 1;
    await cache.current();
    expect(db.reads).toBe(2);
  });

  it('answers the allowlist and the protected originators as read', async () => {
    const inForce = await cache.current();
    expect(inForce.allowlisted('+84900000111')).toBe(true);
    expect(inForce.allowlisted('+84900000112')).toBe(false);
    expect(inForce.protectedOriginators.has('+84900000222')).toBe(true);
  });

  it('reads for every batch with an interval of 0, and again after a failed read', async () => {
    const everyBatch = new RulesInForceCache(db.read, 0, () => clock);
    await everyBatch.current();
    await everyBatch.current();
    expect(db.reads).toBe(2);
    const failing = new RulesInForceCache(
      () => (db.reads++ === 2 ? Promise.reject(new Error('connection lost')) : db.read()),
      5_000,
      () => clock,
    );
    await expect(failing.current()).rejects.toThrow('connection lost');
    expect((await failing.current()).rules[0].threshold).toBe(3);
  });
});
