/** Builders shared by the flagging specs (not a spec itself). */
import type { WindowReport } from './window-counts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** 2024-05-01T08:00:00Z. */
export const T0 = Date.UTC(2024, 4, 1, 8, 0, 0);
export const REPORTED = '+84912345678';

export function aReport(fields: Partial<WindowReport> & Pick<WindowReport, 'reportId'>): WindowReport {
  return {
    reporter: '+84987999000',
    agentId: null,
    kind: 'spam_call',
    category: 'advertising',
    numberType: 'mobile',
    receivedAt: T0,
    weighted: true,
    ...fields,
  };
}

/**
 * One report from each of `count` reporters, a minute apart from `start`, with ids r01, r02, …
 * Another series (1 to 9) gives other reporters and ids (s1-r01, …).
 */
export function reportsFromDistinctReporters(
  count: number,
  start: number = T0,
  fields: Partial<WindowReport> = {},
  series: number = 0,
): WindowReport[] {
  return Array.from({ length: count }, (_, index) =>
    aReport({
      reportId: `${series === 0 ? '' : `s${series}-`}r${String(index + 1).padStart(2, '0')}`,
      reporter: `+849870${series}${String(index + 1).padStart(4, '0')}`,
      receivedAt: start + index * MINUTE,
      ...fields,
    }),
  );
}
