import { PostCommitNotifier } from './post-commit-notifier';

/** A send that stays pending until the test lets it finish. */
function controlledSend() {
  const pending: { resolve: () => void; reject: (e: Error) => void }[] = [];
  const send = jest.fn(() => new Promise<void>((resolve, reject) => pending.push({ resolve, reject })));
  const finishNext = async (error?: Error) => {
    const next = pending.shift();
    if (!next) throw new Error('nothing is being sent');
    if (error) next.reject(error);
    else next.resolve();
    // Lets the notifier see the outcome and start the next send, if any.
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
  };
  return { send, finishNext, pending };
}

describe('PostCommitNotifier', () => {
  it('sends once per signal when each has gone out before the next', async () => {
    const { send, finishNext } = controlledSend();
    const notifier = new PostCommitNotifier(send, jest.fn());
    notifier.signal();
    await finishNext();
    notifier.signal();
    await finishNext();
    await notifier.settled();
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('folds the signals that arrive while one is on its way into a single next one', async () => {
    const { send, finishNext, pending } = controlledSend();
    const notifier = new PostCommitNotifier(send, jest.fn());
    notifier.signal();
    for (let i = 0; i < 10; i += 1) notifier.signal();
    expect(send).toHaveBeenCalledTimes(1);
    await finishNext();
    expect(send).toHaveBeenCalledTimes(2);
    await finishNext();
    await notifier.settled();
    expect(send).toHaveBeenCalledTimes(2);
    expect(pending).toHaveLength(0);
  });

  it('logs a notification that failed and sends the next signal anyway', async () => {
    const { send, finishNext } = controlledSend();
    const log = jest.fn();
    const notifier = new PostCommitNotifier(send, log);
    notifier.signal();
    await finishNext(new Error('connection refused'));
    expect(log).toHaveBeenCalledWith('warn', expect.stringContaining('connection refused'));
    notifier.signal();
    await finishNext();
    await notifier.settled();
    expect(send).toHaveBeenCalledTimes(2);
    expect(log).toHaveBeenCalledTimes(1);
  });

  it('stops waiting for a notification that never comes back after the given time', async () => {
    const { send } = controlledSend();
    const notifier = new PostCommitNotifier(send, jest.fn());
    notifier.signal();
    const started = Date.now();
    await notifier.settled(50);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('sends again after a log that threw', async () => {
    const { send, finishNext } = controlledSend();
    const log = jest.fn(() => {
      throw new Error('log sink closed');
    });
    const notifier = new PostCommitNotifier(send, log);
    notifier.signal();
    await finishNext(new Error('connection refused'));
    await notifier.settled();
    notifier.signal();
    expect(send).toHaveBeenCalledTimes(2);
  });
});
