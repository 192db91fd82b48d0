import type { Child } from './dom.ts';
import { h } from './dom.ts';
import { trendOf } from './evidence-trend.ts';
import { formatTime } from './format.ts';
import { t, tn } from './i18n.ts';
import type { MessageKey } from './i18n.ts';
import { groupReports } from './report-groups.ts';
import type { Counters, HistoryEntry, HistoryItem, Report } from './types.ts';
import { label } from './vocabulary.ts';

/**
 * The evidence about a number, shared by a flag's page and a number's page: one summary line, the
 * reports grouped by text, the counters and the history, each short enough to read beside the
 * decision.
 */

/** Report texts are written to 156 in Vietnam: marked as Vietnamese so that screen readers pronounce them so. */
export const REPORT_LANGUAGE = 'vi';

/** "12 reporters, 40 reports since …; the latest …. Rising: …" */
export function summaryLine(counters: Counters | null): HTMLElement {
  if (!counters) return h('p', { class: 'summary-line' }, t('flag.summaryNoCounters'));
  const trend = trendOf(counters.windows);
  return h(
    'p',
    { class: 'summary-line' },
    t('flag.summaryLine', {
      reporters: counters.windows['30d'].distinctReporters,
      reports: counters.totalReports,
      since: formatTime(counters.firstSeenAt),
      latest: formatTime(counters.lastSeenAt),
      trend: t(`trend.${trend}` as MessageKey),
    }),
  );
}

export function table(
  caption: string,
  head: string[],
  rows: Child[][],
  className?: string,
): HTMLTableElement {
  return h(
    'table',
    { class: className },
    h('caption', null, caption),
    h('thead', null, h('tr', null, ...head.map((text) => h('th', { attrs: { scope: 'col' } }, text)))),
    h('tbody', null, ...rows.map((cells) => h('tr', null, ...cells.map((c) => h('td', null, c))))),
  );
}

export function countersSection(counters: Counters): HTMLElement {
  const windows = (['1h', '24h', '7d', '30d'] as const).map((w) => [
    w,
    counters.windows[w].reports,
    counters.windows[w].distinctReporters,
  ]);
  const byKey = (counts: Record<string, { reports: number; distinctReporters: number }>) =>
    Object.entries(counts).map(([key, c]) => [label(key), c.reports, c.distinctReporters]);
  const counted = [t('counters.reports'), t('counters.reporters')];
  return h(
    'section',
    { class: 'counters', attrs: { 'aria-labelledby': 'counters-heading' } },
    h('h2', { attrs: { id: 'counters-heading' } }, t('counters.heading')),
    h(
      'p',
      { class: 'muted' },
      t('counters.explain', {
        total: counters.totalReports,
        since: formatTime(counters.firstSeenAt),
        counted: formatTime(counters.countedAt),
      }),
    ),
    table(t('counters.byWindow'), [t('counters.window'), ...counted], windows),
    h(
      'details',
      null,
      h('summary', null, t('counters.more')),
      table(t('counters.byKind'), [t('counters.kind'), ...counted], byKey(counters.byKind30d)),
      table(t('counters.byCategory'), [t('counters.category'), ...counted], byKey(counters.byCategory30d)),
    ),
  );
}

function reportText(content: string | null): HTMLElement {
  return content === null
    ? h('span', { class: 'muted' }, t('reports.noText'))
    : h('span', { class: 'content', attrs: { lang: REPORT_LANGUAGE } }, content);
}

/**
 * The reports, one expandable group per near-identical text, largest first: the text is read once,
 * with its count; the rows behind it open on demand. The largest group starts open.
 */
export function reportsSection(reports: Report[]): HTMLElement {
  const groups = groupReports(reports);
  return h(
    'section',
    { class: 'reports', attrs: { 'aria-labelledby': 'reports-heading' } },
    h('h2', { attrs: { id: 'reports-heading' } }, t('reports.heading')),
    h('p', { class: 'muted' }, tn('reports.explain', reports.length, { groups: groups.length })),
    ...groups.map((group, index) => {
      // Different wordings in one group are shown row by row; one wording needs no column.
      const withText = group.distinctTexts > 1;
      const head = [
        t('reports.col.received'),
        t('reports.col.reporter'),
        t('reports.col.channel'),
        t('reports.col.agent'),
        t('reports.col.kind'),
        t('reports.col.category'),
        ...(withText ? [t('reports.col.content')] : []),
        t('reports.col.weight'),
      ];
      const rows = group.reports.map((r) => [
        formatTime(r.receivedAt),
        r.reporter,
        r.shortCode ? `${label(r.channel)} ${r.shortCode}` : label(r.channel),
        r.agentId ?? h('span', { class: 'muted' }, '–'),
        label(r.kind),
        label(r.category),
        ...(withText ? [reportText(r.content)] : []),
        r.weighted ? t('reports.counts') : h('span', { class: 'warning' }, t('reports.notCounted')),
      ]);
      return h(
        'details',
        { class: 'report-group', attrs: { open: index === 0 } },
        h(
          'summary',
          null,
          h('span', { class: 'group-count' }, t('reports.group', { count: group.reports.length })),
          ' ',
          reportText(group.text),
        ),
        h(
          'div',
          { class: 'scroll', attrs: { tabindex: 0, role: 'group', 'aria-label': t('reports.table') } },
          table(t('reports.table'), head, rows),
        ),
      );
    }),
  );
}

/** A history row; the flag's own history endpoint adds the reason and the holders before and after. */
export type HistoryRow = HistoryEntry &
  Partial<Pick<HistoryItem, 'reasonCode' | 'fromAssignee' | 'toAssignee'>>;

const HANDOVERS = new Set(['claimed', 'assigned', 'reassigned']);

/** The flag's history, newest first, as a list that fits a side panel: who held it, and why it was decided. */
export function historySection(history: readonly HistoryRow[]): HTMLElement {
  const holder = (name: string | null | undefined) => name ?? t('history.nobody');
  return h(
    'section',
    { class: 'history', attrs: { 'aria-labelledby': 'history-heading' } },
    h('h2', { attrs: { id: 'history-heading' } }, t('history.heading')),
    h(
      'ol',
      { attrs: { reversed: true } },
      ...[...history].reverse().map((e) => {
        const handover = HANDOVERS.has(e.change);
        // Rows written before holders were recorded have neither (null): nothing is made up for them.
        const moved =
          (e.fromAssignee !== undefined || e.toAssignee !== undefined) &&
          (e.fromAssignee ?? null) !== (e.toAssignee ?? null);
        return h(
          'li',
          { attrs: { value: e.sequence } },
          h('strong', null, label(e.change) + (e.takenAction ? `: ${label(e.takenAction)}` : '')),
          ' ',
          h('span', { class: 'muted' }, formatTime(e.occurredAt)),
          h(
            'div',
            null,
            `${e.fromStatus ? `${label(e.fromStatus)} → ${label(e.toStatus)}` : label(e.toStatus)} · ${label(e.severity)} · ${t('history.by', { actor: e.actor })}`,
          ),
          moved &&
            h(
              'div',
              { class: 'holder' },
              t('history.holder', { from: holder(e.fromAssignee), to: holder(e.toAssignee) }),
            ),
          e.reasonCode && h('div', null, t('history.reason', { reason: label(e.reasonCode) })),
          e.note &&
            h(
              'div',
              { class: 'note' },
              handover && h('span', { class: 'muted' }, `${t('history.handoverNote')} `),
              e.note,
            ),
        );
      }),
    ),
  );
}
