/**
 * The arithmetic of the console's charts (decision 0067), apart from the DOM so that it is tested
 * in isolation: where an axis's ticks go, how tall and where each bar is, which bars get a label,
 * which bar a moment falls in, and the line of a sparkline.
 */

/** Round steps people read at a glance: 1, 2 or 5 times a power of ten, never below 1 (counts are whole). */
export function niceStep(max: number, ticks: number): number {
  if (!(max > 0) || !(ticks > 0)) return 1;
  const rough = max / ticks;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  return Math.max(1, step);
}

/** The values of the axis's ticks, from 0 to the first step at or above `max`; [0, 1] for nothing at all. */
export function niceTicks(max: number, ticks = 4): number[] {
  const step = niceStep(max, ticks);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const values: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) values.push(v);
  return values;
}

export interface BarBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * One box per value across `width`, bottoms on the baseline at `height`, scaled so that `top` (the
 * axis's last tick) fills the height. A gap between bars only when they are wide enough to spare it.
 */
export function barBoxes(values: readonly number[], width: number, height: number, top: number): BarBox[] {
  if (values.length === 0) return [];
  const slot = width / values.length;
  const gap = slot >= 6 ? Math.min(slot * 0.2, 8) : 0;
  return values.map((value, i) => {
    const h = top > 0 ? (Math.max(0, value) / top) * height : 0;
    return { x: i * slot + gap / 2, y: height - h, width: slot - gap, height: h };
  });
}

/**
 * Which of `count` bars get a label under the axis: every `every`th, at most `most` of them, always
 * the first, chosen so that labels never overlap however many bars there are.
 */
export function labelledBars(count: number, most: number): number[] {
  if (count <= 0 || most <= 0) return [];
  const every = Math.max(1, Math.ceil(count / most));
  const chosen: number[] = [];
  for (let i = 0; i < count; i += every) chosen.push(i);
  return chosen;
}

/**
 * The bar whose bucket holds `at` (ISO), given the buckets' starts (ISO, oldest first) and the end
 * of the last; null outside the span. Buckets may differ in length (a day when clocks change).
 */
export function bucketOf(at: string, starts: readonly string[], end: string): number | null {
  const time = Date.parse(at);
  if (Number.isNaN(time) || starts.length === 0) return null;
  if (time < Date.parse(starts[0]) || time >= Date.parse(end)) return null;
  let found = 0;
  for (let i = 0; i < starts.length; i++) if (Date.parse(starts[i]) <= time) found = i;
  return found;
}

/** The points of a sparkline through `values`, as an SVG polyline's `points`; the baseline is at `height`. */
export function sparkPoints(values: readonly number[], width: number, height: number): string {
  if (values.length === 0) return '';
  const max = Math.max(...values, 0);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const y = (v: number) => (max > 0 ? height - (v / max) * height : height);
  return values.map((v, i) => `${round(i * step)},${round(y(v))}`).join(' ');
}

/** Two decimals are finer than a pixel and keep the markup short. */
function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * Adds up each day's breakdown (a record of counts) over several days: the summary of a range.
 * Keys are sorted as the API sorts them, so the bars keep their places from one range to another.
 */
export function addUp(records: readonly Readonly<Record<string, number>>[]): [string, number][] {
  const total = new Map<string, number>();
  for (const record of records)
    for (const [key, value] of Object.entries(record)) total.set(key, (total.get(key) ?? 0) + value);
  return [...total.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
