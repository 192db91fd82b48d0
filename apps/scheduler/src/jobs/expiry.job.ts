import { Injectable } from '@nestjs/common';
import { endWatch, expireFlag } from '@abuse-monitor/domain';
import { JobContext } from '../job-runner';
import { FlagJob } from './flag-batches';
import { primaryKeyWalk } from './primary-key-walk';

/**
 * Watched flags whose watch date has come go back to the queue (decision 0047), after the
 * expiries, so one back from its watch waits at least until the next run before it may expire.
 * Low flags whose number has had no new report for the quiet period expire; counters of numbers
 * quiet for longer than the longest window are compacted to zero (nothing is in any window), so
 * the top-N index and the screens stop showing stale counts.
 */
@Injectable()
export class ExpiryJob extends FlagJob {
  readonly name = 'expiry' as const;

  async run(context: JobContext): Promise<void> {
    const at = context.now.getTime();
    const quietDays = Math.round(this.config.EXPIRY_QUIET_PERIOD / 86_400_000);
    await this.changeFlags(
      context,
      (tx, page) => this.jobs.dueForExpiry(tx, page, context.now, this.config.EXPIRY_QUIET_PERIOD),
      (flag) => expireFlag(flag.state, { at, note: `no new report for ${quietDays} days` }),
    );
    await this.changeFlags(
      context,
      (tx, page) => this.jobs.watchesEnded(tx, page, context.now),
      (flag) => endWatch(flag.state, { at, until: flag.watchUntil ?? at }),
    );
    const compactQuietCounters = primaryKeyWalk((limit, after) =>
      this.jobs.compactQuietCounters(context.now, limit, after),
    );
    for (;;) {
      const count = await compactQuietCounters(context.batchSize);
      context.count(count);
      if (count < context.batchSize) return;
    }
  }
}
