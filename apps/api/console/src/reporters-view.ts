import { add, field, guardedSubmit, input, load, pager, row, startPage, table, named } from './admin-page.ts';
import { adminHash, pageRequest, REPORTER_STANDINGS } from './admin-routes.ts';
import type { ReporterStanding } from './admin-routes.ts';
import type { CursorPage, ReporterView } from './admin-types.ts';
import { h } from './dom.ts';
import { setFlash } from './flash.ts';
import { formatTime, nationalNumber } from './format.ts';
import { t } from './i18n.ts';
import type { MessageKey } from './i18n.ts';
import type { Screen } from './screen.ts';

/** Reporters by standing, the suspicious first: their activity, and clearing one (with a note, audited). */

const PAGE_SIZE = 50;

export async function renderReporters(
  screen: Screen,
  standing: ReporterStanding,
  cursor: string | null,
): Promise<void> {
  const body = startPage(
    screen,
    'adm.title.reporters',
    'adm.reporters.heading',
    screen.session.me.permissions.includes('reporters:manage'),
  );
  if (!body) return;
  add(
    body,
    h(
      'nav',
      { class: 'views', attrs: { 'aria-label': t('adm.reporters.standings') } },
      ...REPORTER_STANDINGS.map((s) =>
        h(
          'a',
          {
            attrs: {
              href: adminHash({ page: 'reporters', standing: s, cursor: null }),
              'aria-current': s === standing ? 'page' : null,
            },
          },
          named('adm.standing', s),
        ),
      ),
    ),
  );
  const page = await load(screen, body, 'adm.reporters.reading', () =>
    screen.session.api.get<CursorPage<ReporterView>>(
      pageRequest('/api/v1/reporters', cursor, PAGE_SIZE, { standing }),
    ),
  );
  if (!page) return;
  const clearing = standing === 'suspicious';
  const headings: MessageKey[] = [
    'adm.col.reporter',
    'adm.col.reports',
    'adm.col.firstSeen',
    'adm.col.lastSeen',
    standing === 'cleared' ? 'adm.col.cleared' : 'adm.col.suspiciousSince',
  ];
  if (clearing) headings.push('adm.col.change');
  add(
    body,
    h('p', { class: 'muted' }, t(clearing ? 'adm.reporters.explain' : 'adm.reporters.explainOther')),
    page.items.length === 0
      ? h('p', null, t(cursor === null ? 'adm.reporters.none' : 'adm.noMore'))
      : table(
          t('adm.reporters.table'),
          headings.map((key) => t(key)),
          page.items.map((reporter) =>
            row(
              h('th', { attrs: { scope: 'row' } }, nationalNumber(reporter.reporter)),
              reporter.totalReports,
              formatTime(reporter.firstSeenAt),
              formatTime(reporter.lastSeenAt),
              standing === 'cleared'
                ? reporter.clearedAt &&
                    t('adm.changedBy', {
                      time: formatTime(reporter.clearedAt),
                      actor: reporter.clearedBy ?? '',
                    })
                : reporter.suspiciousSince && formatTime(reporter.suspiciousSince),
              clearing && clearForm(screen, reporter, () => renderReporters(screen, standing, cursor)),
            ),
          ),
        ),
    pager(
      page.nextCursor && adminHash({ page: 'reporters', standing, cursor: page.nextCursor }),
      cursor && adminHash({ page: 'reporters', standing, cursor: null }),
    ),
  );
}

function clearForm(screen: Screen, reporter: ReporterView, again: () => Promise<void>): HTMLElement {
  const shown = nationalNumber(reporter.reporter);
  const form = h(
    'form',
    { class: 'inline', attrs: { 'aria-label': t('adm.reporters.clearForm', { reporter: shown }) } },
    field(t('adm.reporters.note'), input({ name: 'note', required: true, maxlength: 2000 })),
    h(
      'button',
      { attrs: { type: 'submit', 'aria-label': t('adm.reporters.clearLabel', { reporter: shown }) } },
      t('adm.reporters.clear'),
    ),
  );
  form.append(
    guardedSubmit(
      form,
      'adm.reporters.clearing',
      async (data) => {
        await screen.session.api.post(`/api/v1/reporters/${encodeURIComponent(reporter.reporter)}/clear`, {
          note: String(data.get('note') ?? ''),
        });
        if (screen.current()) {
          setFlash({ kind: 'done', text: t('adm.reporters.cleared', { reporter: shown }) });
          void again();
        }
        return null;
      },
      screen,
    ),
  );
  return form;
}
