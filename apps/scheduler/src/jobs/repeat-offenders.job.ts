import { Injectable } from '@nestjs/common';
import { reopenRepeatOffender } from '@abuse-monitor/domain';
import { JobContext } from '../job-runner';
import { FlagJob } from './flag-batches';

/**
 * A number that was warned or blocked and is reported again, within the period after the action,
 * by enough reporters who had not reported it before, goes back to the queue with the next action
 * on the ladder recommended. A recommendation only: a person decides.
 */
@Injectable()
export class RepeatOffendersJob extends FlagJob {
  readonly name = 'repeat-offenders' as const;

  async run(context: JobContext): Promise<void> {
    const at = context.now.getTime();
    await this.changeFlags(
      context,
      (tx, page) =>
        this.jobs.repeatOffenders(
          tx,
          page,
          context.now,
          this.config.REPEAT_OFFENCE_PERIOD,
          this.config.REPEAT_OFFENCE_NEW_REPORTERS,
        ),
      (flag) => reopenRepeatOffender(flag.state, { at, newReporters: flag.newReporters ?? 0 }),
    );
  }
}
