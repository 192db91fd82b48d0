import { describeError, withTimeout } from '@abuse-monitor/runtime';

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
    // Never rejects: a failure is logged, and a log that throws must not become an unhandled rejection.
    this.sending = this.sendUntilQuiet().catch(() => undefined);
  }

  /**
   * Resolves once nothing is being sent, or after `timeoutMs`: at shutdown, a notification stuck
   * on a dead connection must not keep the relay from draining.
   */
  async settled(timeoutMs = 2_000): Promise<void> {
    if (this.sending) await withTimeout(this.sending, timeoutMs).catch(() => undefined);
  }

  private async sendUntilQuiet(): Promise<void> {
    try {
      do {
        this.again = false;
        try {
          await this.send();
        } catch (error) {
          this.log('warn', `notification not sent (the poll covers it): ${describeError(error)}`);
        }
      } while (this.again);
    } finally {
      this.sending = null;
    }
  }
}
