import { ApiError } from './api-client.ts';
import { h, show } from './dom.ts';
import { historySection, reportsSection, summaryLine } from './evidence.ts';
import { nationalNumber } from './format.ts';
import { t } from './i18n.ts';
import { routeHash } from './routes.ts';
import type { Screen } from './screen.ts';
import { notOursToShow } from './screen.ts';
import type { Subscriber } from './types.ts';
import { label } from './vocabulary.ts';

/**
 * A number as the analyst typed it in the search box (any notation the API's parser accepts):
 * its counters, its flag and that flag's history, its recent reports, its allowlisting. Served
 * by the subscriber lookup; the queue's search endpoint can take its place without changing the route.
 */
export async function renderNumber(screen: Screen, written: string): Promise<void> {
  document.title = t('title.loading');
  show(screen.view, h('p', { class: 'status', attrs: { role: 'status' } }, t('queue.loading')));
  try {
    const found = await screen.session.api.get<Subscriber>(
      `/api/v1/subscribers/${encodeURIComponent(written)}`,
    );
    if (!screen.current()) return;
    const number = nationalNumber(found.reportedNumber);
    document.title = t('title.number', { number });
    show(
      screen.view,
      h(
        'p',
        null,
        h('a', { attrs: { href: routeHash({ page: 'queue', filter: screen.filter }) } }, t('flag.back')),
      ),
      h('h1', { attrs: { tabindex: -1 } }, t('number.heading', { number })),
      found.counters
        ? summaryLine(found.counters)
        : h('p', { class: 'summary-line' }, t('number.notReported')),
      found.allowlisted &&
        h(
          'p',
          { class: 'warning' },
          t('number.allowlisted', {
            kind: found.allowlisted.kind,
            pattern: found.allowlisted.pattern,
            reason: found.allowlisted.reason,
            owner: found.allowlisted.owner,
          }),
        ),
      h(
        'section',
        { attrs: { 'aria-labelledby': 'number-flag-heading' } },
        h('h2', { attrs: { id: 'number-flag-heading' } }, t('number.flag')),
        found.flag
          ? h(
              'p',
              null,
              h(
                'a',
                {
                  attrs: {
                    href: routeHash({ page: 'flag', id: String(found.flag.id), filter: screen.filter }),
                  },
                },
                t('number.openFlag', {
                  id: found.flag.id,
                  status: label(found.flag.status),
                  severity: label(found.flag.severity),
                }),
              ),
            )
          : h('p', null, t('number.noFlag')),
      ),
      h(
        'div',
        { class: 'flag-layout' },
        h('div', { class: 'evidence' }, reportsSection(found.recentReports)),
        h('div', { class: 'side' }, historySection(found.flagHistory)),
      ),
    );
    screen.arrived();
  } catch (error) {
    if (notOursToShow(screen, error)) return;
    const text =
      error instanceof ApiError && error.status === 400
        ? t('number.invalid', { detail: error.problem?.detail ?? error.message })
        : (error as Error).message;
    document.title = t('title.number', { number: written });
    show(
      screen.view,
      h('h1', { attrs: { tabindex: -1 } }, t('number.heading', { number: written })),
      h('p', { class: 'status error', attrs: { role: 'alert' } }, text),
    );
    screen.arrived();
  }
}
