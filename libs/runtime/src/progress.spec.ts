import { formatDuration, progress, progressLine, ProgressStream } from './progress';

class FakeStream implements ProgressStream {
  written = '';
  constructor(readonly isTTY: boolean) {}
  write(text: string): boolean {
    this.written += text;
    return true;
  }
}

/** A clock the test moves. */
function clock() {
  let at = 1_000_000;
  return { now: () => at, pass: (ms: number) => (at += ms) };
}

describe('progress', () => {
  it('on a terminal, redraws one line in place: done/total, rate, ETA, then ends it', () => {
    const stream = new FakeStream(true);
    const time = clock();
    const shown = progress('replayed', 1000, { stream, env: {}, now: time.now, redrawMs: 200 });
    expect(shown.shown).toBe(true);
    time.pass(1000);
    shown.advance(100);
    time.pass(50);
    shown.advance(5); // within the redraw interval: not drawn
    time.pass(950);
    shown.advance(95);
    time.pass(3000);
    shown.advance(800);
    shown.finish();
    shown.finish();
    expect(stream.written.split('\r').slice(1)).toEqual([
      'replayed: 100/1000 (10%), 100/s, ETA 9s\x1b[K',
      'replayed: 200/1000 (20%), 100/s, ETA 8s\x1b[K',
      'replayed: 1000/1000 (100%), 200/s, in 5s\x1b[K',
      'replayed: 1000/1000 (100%), 200/s, in 5s\x1b[K\n',
    ]);
    expect(stream.written).not.toContain('\n\n');
  });

  it('says nothing in a pipe, a file or under CI', () => {
    for (const [isTTY, env] of [
      [false, {}],
      [true, { CI: 'true' }],
      [true, { TERM: 'dumb' }],
    ] as const) {
      const stream = new FakeStream(isTTY);
      const quiet = progress('sent', 10, { stream, env, redrawMs: 0 });
      quiet.advance(5);
      quiet.finish();
      expect(quiet.shown).toBe(false);
      expect(stream.written).toBe('');
    }
    const stream = new FakeStream(true);
    progress('sent', 10, { stream, env: { CI: 'false' }, redrawMs: 0 }).advance();
    expect(stream.written).toContain('sent: 1/10');
  });

  it('counts without a total until it is known', () => {
    const stream = new FakeStream(true);
    const time = clock();
    const shown = progress('read', null, { stream, env: {}, now: time.now, redrawMs: 0 });
    time.pass(2000);
    shown.advance(3);
    shown.setTotal(6);
    time.pass(2000);
    shown.advance(1);
    expect(stream.written).toBe('\rread: 3, 1.5/s\x1b[K\rread: 4/6 (66%), 1.0/s, ETA 2s\x1b[K');
  });

  it('formats lines and durations', () => {
    expect(progressLine('x', 0, 10, 0)).toBe('x: 0/10 (0%), 0.0/s, ETA ?');
    expect(progressLine('x', 0, 0, 10)).toBe('x: 0/0 (100%), 0.0/s, in 0s');
    expect([45, 200, 3725, 0.4].map(formatDuration)).toEqual(['45s', '3m20s', '1h02m', '0s']);
  });
});
