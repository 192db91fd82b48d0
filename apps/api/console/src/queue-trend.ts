import { sparkline } from './chart.ts';
import { h } from './dom.ts';
import { t } from './i18n.ts';
import type { ReportActivity } from './insight-types.ts';
import type { Screen } from './screen.ts';

/**
 * A week of reports per day beside each flag of a queue page (issue 21): whether a number is a
 * burst or a trickle, at a glance. One request for the whole page (GET /api/v1/report-activity,
 * one statement), never one per row; a failure leaves the cells empty, the queue works without it.
 */

export const TREND_DAYS = 7;

/** The empty place a row's trend is drawn in once the page's figures arrive. */
export function trendSlot(number: string): HTMLElement {
  return h('span', { class: 'trend', attrs: { 'data-trend': number } });
}

export async function fillTrends(
  screen: Screen,
  numbers: readonly string[],
  rows: HTMLElement,
): Promise<void> {
  if (numbers.length === 0 || !screen.session.me.permissions.includes('subscribers:read')) return;
  let answer: ReportActivity;
  try {
    const wanted = [...new Set(numbers)].map(encodeURIComponent).join(',');
    answer = await screen.session.api.get<ReportActivity>(
      `/api/v1/report-activity?bucket=day&days=${TREND_DAYS}&numbers=${wanted}`,
    );
  } catch {
    // The queue is whole without its trends; a refused session is the shell's to handle.
    return;
  }
  if (!screen.current()) return;
  const byNumber = new Map(answer.numbers.map((series) => [series.reportedNumber, series]));
  for (const slot of rows.querySelectorAll<HTMLElement>('span.trend[data-trend]')) {
    const series = byNumber.get(slot.dataset.trend ?? '');
    if (!series || slot.firstChild) continue;
    const values = series.buckets.map((b) => b.reports);
    const name = t('trend.label', { days: TREND_DAYS, counts: values.join(', ') });
    // An attribute, not an SVG <title>: the cell's text stays the count it shows.
    slot.setAttribute('title', name);
    slot.append(sparkline(values, name));
  }
}
