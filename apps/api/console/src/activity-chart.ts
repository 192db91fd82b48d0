import { ApiError } from './api-client.ts';
import { bucketOf } from './chart-scale.ts';
import { barChart } from './chart.ts';
import type { Bar, Marker } from './chart.ts';
import { h, show } from './dom.ts';
import { formatTime } from './format.ts';
import { locale, t, tn } from './i18n.ts';
import type { ActivityBucket, SubscriberActivity } from './insight-types.ts';
import type { Screen } from './screen.ts';
import { notOursToShow } from './screen.ts';
import type { HistoryEntry } from './types.ts';
import { label } from './vocabulary.ts';

/**
 * A number's reports over time on its flag's page (issue 21): hourly bars over 7 days or daily
 * bars over 30, with the flag's history marked where it happened, so a burst reads as a burst and
 * a slow trickle as one. Drawn after the page: the evidence and the decision do not wait for it.
 */

/** Who held the flag when is the team page's business; the chart marks what changed the flag. */
const HANDOVERS = new Set([
  'claimed',
  'assigned',
  'reassigned',
  'overdue',
  'marked_coordinated',
  'cleared_coordinated',
]);

export interface ActivityView {
  bucket: ActivityBucket;
  days: number;
}

export const VIEWS: readonly ActivityView[] = [
  { bucket: 'hour', days: 7 },
  { bucket: 'day', days: 30 },
];

/** The bars' words, in the zone the buckets were cut in: a day is the operator's day. */
export function barsOf(answer: SubscriberActivity): Bar[] {
  const zone = answer.timeZone;
  const day = new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', timeZone: zone });
  const hour = new Intl.DateTimeFormat(locale(), {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: zone,
  });
  const whole = new Intl.DateTimeFormat(locale(), {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: zone,
  });
  return answer.buckets.map((bucket) => {
    const at = Date.parse(bucket.start);
    return answer.bucket === 'hour'
      ? {
          label: `${day.format(at)} ${hour.format(at)}`,
          longLabel: `${whole.format(at)}, ${hour.format(at)}`,
          value: bucket.reports,
        }
      : { label: day.format(at), longLabel: whole.format(at), value: bucket.reports };
  });
}

/** The flag's changes inside the chart's span, each on the bar it happened in. */
export function markersOf(answer: SubscriberActivity, history: readonly HistoryEntry[]): Marker[] {
  const starts = answer.buckets.map((b) => b.start);
  const markers: Marker[] = [];
  for (const entry of history) {
    if (HANDOVERS.has(entry.change)) continue;
    const bar = bucketOf(entry.occurredAt, starts, answer.to);
    if (bar === null) continue;
    const action = entry.takenAction ? ` (${label(entry.takenAction)})` : '';
    markers.push({ bar, label: `${label(entry.change)}${action}: ${formatTime(entry.occurredAt)}` });
  }
  return markers;
}

export function activitySection(
  screen: Screen,
  number: string,
  history: readonly HistoryEntry[],
): HTMLElement {
  const holder = h('div', { class: 'chart-holder' }, h('p', { class: 'muted' }, t('activity.loading')));
  const buttons = VIEWS.map((view, i) =>
    h(
      'button',
      {
        attrs: { type: 'button', 'aria-pressed': i === 0 ? 'true' : 'false', 'data-bucket': view.bucket },
        on: {
          click: () => {
            buttons.forEach((b) => b.setAttribute('aria-pressed', b === buttons[i] ? 'true' : 'false'));
            void draw(view);
          },
        },
      },
      t(view.bucket === 'hour' ? 'activity.hourly' : 'activity.daily'),
    ),
  );
  const section = h(
    'section',
    { class: 'activity', attrs: { 'aria-labelledby': 'activity-heading' } },
    h('h2', { attrs: { id: 'activity-heading' } }, t('activity.heading')),
    h('div', { class: 'toggle', attrs: { role: 'group', 'aria-label': t('activity.choose') } }, ...buttons),
    holder,
  );
  let asked = 0;
  const draw = async (view: ActivityView) => {
    const mine = (asked += 1);
    let answer: SubscriberActivity;
    try {
      answer = await screen.session.api.get<SubscriberActivity>(
        `/api/v1/subscribers/${encodeURIComponent(number)}/activity?bucket=${view.bucket}&days=${view.days}`,
      );
    } catch (error) {
      if (notOursToShow(screen, error) || mine !== asked) return;
      show(
        holder,
        h(
          'p',
          { class: 'notice error', attrs: { role: 'alert' } },
          t('activity.failed', { detail: (error as ApiError).message }),
        ),
      );
      return;
    }
    if (!screen.current() || mine !== asked || !holder.isConnected) return;
    const title = t(view.bucket === 'hour' ? 'activity.hourlyTitle' : 'activity.dailyTitle', {
      days: view.days,
    });
    show(
      holder,
      barChart(
        {
          title,
          description: `${tn('activity.total', answer.total)} ${t('activity.zone', { zone: answer.timeZone })}`,
          barHeader: t(view.bucket === 'hour' ? 'activity.hourColumn' : 'activity.dayColumn'),
          valueHeader: t('activity.reportsColumn'),
        },
        barsOf(answer),
        markersOf(answer, history),
      ),
    );
  };
  void draw(VIEWS[0]);
  return section;
}
