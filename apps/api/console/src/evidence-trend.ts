import type { WindowCount } from './types.ts';

/** Whether reports about a number are coming faster or slower, from the counters' windows. */
export type Trend = 'new' | 'rising' | 'steady' | 'falling';

/**
 * The last day against the daily average of the six days before it. Windows end at the latest
 * report, so a number nobody reports any more reads "falling" however long ago that was.
 */
export function trendOf(windows: Record<'24h' | '7d', WindowCount>): Trend {
  const lastDay = windows['24h'].reports;
  const before = windows['7d'].reports - lastDay;
  if (before <= 0) return 'new';
  const dailyBefore = before / 6;
  if (lastDay > 2 * dailyBefore) return 'rising';
  if (lastDay < dailyBefore / 2) return 'falling';
  return 'steady';
}
