import { ApiError } from './api-client.ts';
import { addUp } from './chart-scale.ts';
import { barChart, categoryChart } from './chart.ts';
import type { Bar } from './chart.ts';
import { h, onSubmit, show } from './dom.ts';
import { locale, t, tn } from './i18n.ts';
import type { MessageKey } from './i18n.ts';
import { insightHash } from './insight-routes.ts';
import type { DailySummary, SummaryRange } from './insight-types.ts';
import { DEFAULT_FILTER } from './routes.ts';
import type { Screen } from './screen.ts';
import { notOursToShow } from './screen.ts';
import type { Me } from './types.ts';
import { label } from './vocabulary.ts';

/**
 * The daily summaries of a day or a range (issue 21), drawn: reports by channel, kind, category
 * and carrier, flags opened and actioned, time to action; and the CSV the API writes of them.
 */

/** GET /api/v1/summaries needs summaries:read: supervisors and admins. */
export function mayReadSummaries(me: Pick<Me, 'permissions'>): boolean {
  return me.permissions.includes('summaries:read');
}

/** The API's limit on one range. */
export const MAX_DAYS = 31;

/** YYYY-MM-DD of the day `offset` days from `now`'s, in the browser's zone. */
export function dayFrom(now: Date, offset: number): string {
  const at = new Date(now.getFullYear(), now.getMonth(), now.getDate() + offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** The days from `from` to `to`, inclusive; empty when `to` comes first. */
export function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= Date.parse(`${to}T00:00:00Z`); at += 86_400_000)
    days.push(new Date(at).toISOString().slice(0, 10));
  return days;
}

/** "1 h 05 min", "12 min", "40 s": a delay as a supervisor reads it. */
export function durationText(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

function dayLabel(day: string, long: boolean): string {
  return new Intl.DateTimeFormat(locale(), {
    day: 'numeric',
    month: 'short',
    year: long ? 'numeric' : undefined,
    timeZone: 'UTC',
  }).format(Date.parse(`${day}T00:00:00Z`));
}

function categoryBars(entries: readonly [string, number][]): Bar[] {
  return entries.map(([code, value]) => ({ label: label(code), longLabel: label(code), value }));
}

function breakdownChart(title: string, entries: [string, number][], what: string): HTMLElement {
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return categoryChart(
    {
      title,
      description: tn('summary.reportsTotal', total),
      barHeader: what,
      valueHeader: t('summary.countColumn'),
    },
    categoryBars(entries),
  );
}

/** Downloads the range as CSV: fetched with the session's cookie, saved from memory, never a link to the API. */
async function downloadCsv(from: string, to: string, status: HTMLElement): Promise<void> {
  const response = await fetch(`/api/v1/summaries?from=${from}&to=${to}`, {
    headers: { accept: 'text/csv' },
    credentials: 'same-origin',
    cache: 'no-store',
  }).catch(() => null);
  if (!response || !response.ok) {
    status.textContent = t('summary.csvFailed', { status: response?.status ?? 0 });
    status.className = 'notice error';
    return;
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = from === to ? `summary-${from}.csv` : `summaries-${from}-to-${to}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  status.textContent = t('summary.csvDone');
  status.className = 'notice done';
}

function rangeForm(screen: Screen, from: string, to: string): HTMLElement {
  const go = (a: string, b: string) => {
    location.hash = insightHash({ page: 'summary', from: a, to: b, filter: DEFAULT_FILTER });
  };
  const now = new Date();
  const preset = (key: 'summary.yesterday' | 'summary.last7' | 'summary.last30', days: number) =>
    h(
      'button',
      { attrs: { type: 'button' }, on: { click: () => go(dayFrom(now, -days), dayFrom(now, -1)) } },
      t(key),
    );
  const form = h(
    'form',
    { class: 'summary-range', attrs: { 'aria-label': t('summary.range') } },
    h(
      'label',
      null,
      t('summary.from'),
      ' ',
      h('input', { attrs: { type: 'date', name: 'from', value: from, required: true } }),
    ),
    h(
      'label',
      null,
      t('summary.to'),
      ' ',
      h('input', { attrs: { type: 'date', name: 'to', value: to, required: true } }),
    ),
    h('button', { attrs: { type: 'submit' } }, t('summary.show')),
    preset('summary.yesterday', 1),
    preset('summary.last7', 7),
    preset('summary.last30', 30),
  );
  void screen;
  return onSubmit(form, (data) => go(String(data.get('from') ?? ''), String(data.get('to') ?? '')));
}

export async function renderSummary(
  screen: Screen,
  askedFrom: string | null,
  askedTo: string | null,
): Promise<void> {
  const { view, session } = screen;
  document.title = t('title.summary');
  const yesterday = dayFrom(new Date(), -1);
  const from = askedFrom ?? askedTo ?? yesterday;
  const to = askedTo ?? from;
  const status = h('p', { class: 'status', attrs: { role: 'status' } }, t('summary.loading'));
  show(view, h('h1', { attrs: { tabindex: -1 } }, t('summary.heading')), rangeForm(screen, from, to), status);
  screen.arrived();
  const days = daysOf(from, to);
  if (days.length === 0 || days.length > MAX_DAYS) {
    status.textContent = t('summary.badRange', { max: MAX_DAYS });
    status.className = 'notice error';
    status.setAttribute('role', 'alert');
    return;
  }
  let range: SummaryRange;
  try {
    range = await session.api.get<SummaryRange>(`/api/v1/summaries?from=${from}&to=${to}`);
  } catch (error) {
    if (notOursToShow(screen, error)) return;
    status.textContent = t('summary.failed', { detail: (error as ApiError).message });
    status.className = 'notice error';
    status.setAttribute('role', 'alert');
    return;
  }
  if (!screen.current()) return;
  status.textContent =
    from === to
      ? t('summary.ofDay', { day: dayLabel(from, true) })
      : t('summary.ofRange', { from: dayLabel(from, true), to: dayLabel(to, true) });
  const csvStatus = h('p', { attrs: { role: 'status' } });
  view.append(
    range.missing.length > 0
      ? h(
          'p',
          { class: 'notice warning' },
          tn('summary.missing', range.missing.length, {
            days: range.missing.map((d) => dayLabel(d, false)).join(', '),
          }),
        )
      : '',
    h(
      'p',
      null,
      h(
        'button',
        { attrs: { type: 'button' }, on: { click: () => void downloadCsv(from, to, csvStatus) } },
        t('summary.csv'),
      ),
    ),
    csvStatus,
  );
  if (range.days.length === 0) return void view.append(h('p', { class: 'muted' }, t('summary.none')));
  view.append(h('div', { class: 'summary-charts' }, ...charts(range.days, range.days.length > 1)));
}

function charts(days: readonly DailySummary[], overTime: boolean): HTMLElement[] {
  const sum = (pick: (d: DailySummary) => number) => days.reduce((total, d) => total + pick(d), 0);
  const reports = (pick: (d: DailySummary) => Record<string, number>) => addUp(days.map(pick));
  const dayColumn = t('summary.dayColumn');
  const flags: [string, number][] = [
    ['summary.flagsOpened', sum((d) => d.flags.opened)],
    ['summary.flagsReopened', sum((d) => d.flags.reopened)],
    ['summary.flagsActioned', sum((d) => d.flags.actioned)],
    ['summary.flagsDismissed', sum((d) => d.flags.dismissed)],
    ['summary.flagsExpired', sum((d) => d.flags.expired)],
  ];
  const drawn: HTMLElement[] = [];
  if (overTime)
    drawn.push(
      barChart(
        {
          title: t('summary.reportsPerDay'),
          description: tn(
            'summary.reportsTotal',
            sum((d) => d.reports.total),
          ),
          barHeader: dayColumn,
          valueHeader: t('summary.countColumn'),
        },
        days.map((d) => ({
          label: dayLabel(d.date, false),
          longLabel: dayLabel(d.date, true),
          value: d.reports.total,
        })),
      ),
      barChart(
        {
          title: t('summary.openedPerDay'),
          description: tn(
            'summary.flagsTotal',
            sum((d) => d.flags.opened),
          ),
          barHeader: dayColumn,
          valueHeader: t('summary.countColumn'),
        },
        days.map((d) => ({
          label: dayLabel(d.date, false),
          longLabel: dayLabel(d.date, true),
          value: d.flags.opened,
        })),
      ),
      barChart(
        {
          title: t('summary.actionedPerDay'),
          description: tn(
            'summary.flagsTotal',
            sum((d) => d.flags.actioned),
          ),
          barHeader: dayColumn,
          valueHeader: t('summary.countColumn'),
        },
        days.map((d) => ({
          label: dayLabel(d.date, false),
          longLabel: dayLabel(d.date, true),
          value: d.flags.actioned,
        })),
      ),
    );
  drawn.push(
    breakdownChart(
      t('summary.byChannel'),
      reports((d) => d.reports.byChannel),
      t('summary.channelColumn'),
    ),
    breakdownChart(
      t('summary.byKind'),
      reports((d) => d.reports.byKind),
      t('summary.kindColumn'),
    ),
    breakdownChart(
      t('summary.byCategory'),
      reports((d) => d.reports.byCategory),
      t('summary.categoryColumn'),
    ),
    breakdownChart(
      t('summary.byCarrier'),
      reports((d) => d.reports.byCarrier),
      t('summary.carrierColumn'),
    ),
    categoryChart(
      {
        title: t('summary.flags'),
        description: t('summary.flagsDescription'),
        barHeader: t('summary.changeColumn'),
        valueHeader: t('summary.countColumn'),
      },
      flags.map(([key, value]) => ({
        label: t(key as 'summary.flagsOpened'),
        longLabel: t(key as 'summary.flagsOpened'),
        value,
      })),
    ),
    appealsChart(days),
    timeToAction(days),
  );
  return drawn;
}

/** Appeals against actions (decision 0064); a day summarised before appeals existed counts none. */
function appealsChart(days: readonly DailySummary[]): HTMLElement {
  const sum = (pick: (a: NonNullable<DailySummary['appeals']>) => number) =>
    days.reduce((total, d) => total + (d.appeals ? pick(d.appeals) : 0), 0);
  const appeals: [MessageKey, number][] = [
    ['summary.appealsReceived', sum((a) => a.received)],
    ['summary.appealsUpheld', sum((a) => a.upheld)],
    ['summary.appealsReversed', sum((a) => a.reversed)],
    ['summary.appealsOverdue', sum((a) => a.overdue)],
  ];
  return categoryChart(
    {
      title: t('summary.appeals'),
      description: t('summary.appealsDescription'),
      barHeader: t('summary.changeColumn'),
      valueHeader: t('summary.countColumn'),
    },
    appeals.map(([key, value]) => ({ label: t(key), longLabel: t(key), value })),
  );
}

/**
 * Medians cannot be added up: over a range each day's median is a bar (in minutes); a single day
 * shows its median and 90th percentile. The words say the exact delay, the bars its size.
 */
function timeToAction(days: readonly DailySummary[]): HTMLElement {
  const decided = days.reduce((n, d) => n + d.timeToActionSeconds.count, 0);
  const text = {
    title: t('summary.timeToAction'),
    description: tn('summary.actionsTimed', decided),
    barHeader: t('summary.dayColumn'),
    valueHeader: t('summary.minutesColumn'),
  };
  const minutes = (seconds: number | null) => Math.round((seconds ?? 0) / 60);
  if (days.length > 1)
    return barChart(
      text,
      days.map((d) => ({
        label: dayLabel(d.date, false),
        longLabel: `${dayLabel(d.date, true)}: ${durationText(d.timeToActionSeconds.median)}`,
        value: minutes(d.timeToActionSeconds.median),
      })),
    );
  const { median, p90 } = days[0].timeToActionSeconds;
  return categoryChart(text, [
    {
      label: t('summary.median'),
      longLabel: `${t('summary.median')}: ${durationText(median)}`,
      value: minutes(median),
    },
    { label: t('summary.p90'), longLabel: `${t('summary.p90')}: ${durationText(p90)}`, value: minutes(p90) },
  ]);
}
