import { describeError } from '@abuse-monitor/runtime';

type Log = (level: 'warn', message: string) => void;

/**
 * Sends a notification on one channel after the caller's transaction has committed, at most one at
 * a time: signals that arrive while one is on its way are folded into a single next one, so a burst
 * of batches costs two round trips rather than one each. A notification that fails to go out (the
 * database down) is only logged: the listeners' polls cover it, as they cover a crash before it.
 */
export class PostCommitNotifier {
  private sending: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly send: () => Promise<unknown>,
    private readonly log: Log,
  ) {}

  signal(): void {
    if (this.sending) {
      this.again = true;
      return;
    }
    this.sending = this.sendUntilQuiet();
  }

  /** Resolves once nothing is being sent; for shutdown and tests. */
  async settled(): Promise<void> {
    await this.sending;
  }

  private async sendUntilQuiet(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.send();
      } catch (error) {
        this.log('warn', `notification not sent (the poll covers it): ${describeError(error)}`);
      }
    } while (this.again);
    this.sending = null;
  }
}
