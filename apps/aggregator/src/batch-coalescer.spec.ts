import { BatchCoalescer } from './batch-coalescer';

/** A run that records what it was given and fails for any item named in `refused`. */
function recordingRun(refused: ReadonlySet<string> = new Set()) {
  const runs: string[][] = [];
  const run = async (items: string[]) => {
    runs.push([...items]);
    await Promise.resolve();
    const bad = items.find((i) => refused.has(i));
    if (bad) throw new Error(`refused ${bad}`);
    return items.join('+');
  };
  return { runs, run };
}

describe('BatchCoalescer', () => {
  it('runs the batches submitted in the same turn together, and gives each the shared result', async () => {
    const { runs, run } = recordingRun();
    const coalescer = new BatchCoalescer(run, 1_000);
    const results = await Promise.all([
      coalescer.submit('a', 100),
      coalescer.submit('b', 200),
      coalescer.submit('c', 300),
    ]);
    expect(runs).toEqual([['a', 'b', 'c']]);
    expect(results).toEqual(['a+b+c', 'a+b+c', 'a+b+c']);
  });

  it('runs batches of later turns in a run of their own', async () => {
    const { runs, run } = recordingRun();
    const coalescer = new BatchCoalescer(run, 1_000);
    const first = coalescer.submit('a', 1);
    await new Promise((resolve) => setImmediate(resolve));
    const second = coalescer.submit('b', 1);
    expect(await Promise.all([first, second])).toEqual(['a', 'b']);
    expect(runs).toEqual([['a'], ['b']]);
  });

  it('keeps a group within the size, and runs a batch over it alone at once', async () => {
    const { runs, run } = recordingRun();
    const coalescer = new BatchCoalescer(run, 500);
    const results = await Promise.all([
      coalescer.submit('a', 300),
      coalescer.submit('big', 501),
      coalescer.submit('b', 200),
      coalescer.submit('c', 1),
      coalescer.submit('d', 499),
    ]);
    expect(runs).toEqual([['big'], ['a', 'b'], ['c', 'd']]);
    expect(results).toEqual(['a+b', 'big', 'a+b', 'c+d', 'c+d']);
  });

  it('runs every batch alone when the size is 0', async () => {
    const { runs, run } = recordingRun();
    const coalescer = new BatchCoalescer(run, 0);
    await Promise.all([coalescer.submit('a', 1), coalescer.submit('b', 1)]);
    expect(runs).toEqual([['a'], ['b']]);
  });

  it('gives a failure to the batch that caused it only: the others succeed, each alone', async () => {
    const { runs, run } = recordingRun(new Set(['poisoned']));
    const coalescer = new BatchCoalescer(run, 1_000);
    const results = await Promise.allSettled([
      coalescer.submit('a', 1),
      coalescer.submit('poisoned', 1),
      coalescer.submit('b', 1),
    ]);
    expect(runs).toEqual([['a', 'poisoned', 'b'], ['a'], ['poisoned'], ['b']]);
    expect(results).toEqual([
      { status: 'fulfilled', value: 'a' },
      { status: 'rejected', reason: new Error('refused poisoned') },
      { status: 'fulfilled', value: 'b' },
    ]);
  });

  it('fails a lone batch with its own error, without running it twice', async () => {
    const { runs, run } = recordingRun(new Set(['poisoned']));
    const coalescer = new BatchCoalescer(run, 1_000);
    await expect(coalescer.submit('poisoned', 1)).rejects.toThrow('refused poisoned');
    expect(runs).toEqual([['poisoned']]);
  });
});
