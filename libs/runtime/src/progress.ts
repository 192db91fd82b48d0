/** Where progress goes: process.stderr, or a test's fake. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressOptions {
  readonly stream?: ProgressStream;
  readonly env?: Record<string, string | undefined>;
  /** Milliseconds since some fixed moment. */
  readonly now?: () => number;
  /** Least time between two redraws: a redraw per item would cost more than the item. */
  readonly redrawMs?: number;
}

export interface Progress {
  /** Whether anyone is shown anything: callers skip work done only for the display (a count). */
  readonly shown: boolean;
  /** Items done so far. */
  readonly done: number;
  /** The total, once known (a count that comes after the start). */
  setTotal(total: number): void;
  advance(by?: number): void;
  /** The last line, complete, and the cursor on a new line. */
  finish(): void;
}

const quiet: Progress = { shown: false, done: 0, setTotal: () => {}, advance: () => {}, finish: () => {} };

/** A terminal that a person watches: not a pipe, a file or a CI log (CI=true and the like). */
export function watched(stream: ProgressStream, env: Record<string, string | undefined>): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return stream.isTTY === true && !ci && env.TERM !== 'dumb';
}

/** 45s, 3m20s, 1h02m. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** `label: done/total (pct%), rate/s, ETA 3m20s`, or without total, pct and ETA when the total is unknown. */
export function progressLine(label: string, done: number, total: number | null, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const shownRate = `${rate >= 10 ? Math.round(rate) : rate.toFixed(1)}/s`;
  if (total === null) return `${label}: ${done}, ${shownRate}`;
  const percent = total > 0 ? Math.floor((done * 100) / total) : 100;
  const eta =
    done >= total
      ? `in ${formatDuration(elapsedMs / 1000)}`
      : rate > 0
        ? `ETA ${formatDuration((total - done) / rate)}`
        : 'ETA ?';
  return `${label}: ${done}/${total} (${percent}%), ${shownRate}, ${eta}`;
}

/**
 * One line on stderr that updates in place while a long run works through its items, for the
 * person at the terminal; nothing at all in a pipe, a file or CI, where a line per redraw would
 * only fill a log.
 */
export function progress(label: string, total: number | null, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (!watched(stream, options.env ?? process.env)) return quiet;
  const now = options.now ?? Date.now;
  const redrawMs = options.redrawMs ?? 200;
  const started = now();
  let done = 0;
  let known = total;
  let drawnAt = -Infinity;
  let finished = false;
  // \r back to the start of the line, \x1b[K clears what a longer line left behind.
  const draw = () => {
    drawnAt = now();
    stream.write(`\r${progressLine(label, done, known, drawnAt - started)}\x1b[K`);
  };
  return {
    shown: true,
    get done() {
      return done;
    },
    setTotal(value) {
      known = value;
    },
    advance(by = 1) {
      done += by;
      if (!finished && now() - drawnAt >= redrawMs) draw();
    },
    finish() {
      if (finished) return;
      finished = true;
      draw();
      stream.write('\n');
    },
  };
}
