let lastTime = NaN;
let lastIso = '';

/**
 * `date.toISOString()`, remembered for the last time asked: every record of a batch is stamped with
 * the batch's one `now`, and formatting it again for each cost a tenth of deciding the message.
 */
export function isoOf(date: Date): string {
  const time = date.getTime();
  if (time !== lastTime) {
    lastIso = date.toISOString();
    lastTime = time;
  }
  return lastIso;
}
