import { add, field, input, load, pager, row, select, startPage, table, named } from './admin-page.ts';
import { adminHash, auditRequest, EMPTY_AUDIT_FILTER } from './admin-routes.ts';
import type { AuditFilter } from './admin-routes.ts';
import { AUDIT_TARGET_TYPES } from './admin-types.ts';
import type { AuditEntry, CursorPage } from './admin-types.ts';
import { h, onSubmit } from './dom.ts';
import { formatTime } from './format.ts';
import { t } from './i18n.ts';
import type { MessageKey } from './i18n.ts';
import type { Screen } from './screen.ts';

/** The audit log, newest first, filtered by actor, action, object and days; the filter is the address. */

const PAGE_SIZE = 50;

export async function renderAudit(screen: Screen, filter: AuditFilter, cursor: string | null): Promise<void> {
  const body = startPage(
    screen,
    'adm.title.audit',
    'adm.audit.heading',
    screen.session.me.permissions.includes('audit:read'),
  );
  if (!body) return;
  body.append(filterForm(filter));
  const page = await load(screen, body, 'adm.audit.reading', () =>
    screen.session.api.get<CursorPage<AuditEntry>>(auditRequest(filter, cursor, PAGE_SIZE)),
  );
  if (!page) return;
  add(
    body,
    page.items.length === 0
      ? h('p', { attrs: { role: 'status' } }, t(cursor === null ? 'adm.audit.none' : 'adm.noMore'))
      : table(
          t('adm.audit.table'),
          (
            [
              'adm.col.when',
              'adm.col.actor',
              'adm.col.auditAction',
              'adm.col.object',
              'adm.col.request',
              'adm.col.details',
            ] as MessageKey[]
          ).map((key) => t(key)),
          page.items.map((entry) =>
            row(
              formatTime(entry.occurredAt),
              entry.actorRole ? `${entry.actor} (${entry.actorRole})` : entry.actor,
              h('code', null, entry.action),
              `${named('adm.target', entry.targetType)} ${entry.targetId}`,
              entry.method && entry.path ? `${entry.method} ${entry.path}` : t('adm.audit.noRequest'),
              details(entry),
            ),
          ),
        ),
    pager(
      page.nextCursor && adminHash({ page: 'audit', filter, cursor: page.nextCursor }),
      cursor && adminHash({ page: 'audit', filter, cursor: null }),
    ),
  );
}

function details(entry: AuditEntry): HTMLElement {
  // As text nodes: the before and after hold what people typed (notes, reasons).
  const json = (value: unknown) =>
    value === null || value === undefined ? '–' : JSON.stringify(value, null, 1);
  return h(
    'details',
    null,
    h('summary', null, t('adm.audit.beforeAfter')),
    h('h3', { class: 'small' }, t('adm.audit.before')),
    h('pre', null, json(entry.before)),
    h('h3', { class: 'small' }, t('adm.audit.after')),
    h('pre', null, json(entry.after)),
  );
}

function filterForm(filter: AuditFilter): HTMLFormElement {
  const form = h(
    'form',
    { class: 'filters', attrs: { 'aria-label': t('adm.audit.filter') } },
    field(t('adm.col.actor'), input({ name: 'actor', value: filter.actor, maxlength: 128 })),
    field(
      t('adm.col.auditAction'),
      input({ name: 'action', value: filter.action, maxlength: 64, pattern: '[a-z_]+\\.[a-z_]+' }),
      t('adm.audit.actionHint'),
    ),
    field(
      t('adm.audit.targetType'),
      select(
        'targetType',
        [
          ['', t('adm.any')] as const,
          ...AUDIT_TARGET_TYPES.map((type) => [type, named('adm.target', type)] as const),
        ],
        filter.targetType,
      ),
    ),
    field(t('adm.audit.targetId'), input({ name: 'targetId', value: filter.targetId, maxlength: 128 })),
    field(t('adm.audit.since'), input({ name: 'since', type: 'date', value: filter.since })),
    field(t('adm.audit.until'), input({ name: 'until', type: 'date', value: filter.until })),
    h(
      'div',
      { class: 'buttons' },
      h('button', { attrs: { type: 'submit' } }, t('adm.audit.apply')),
      h(
        'a',
        { attrs: { href: adminHash({ page: 'audit', filter: EMPTY_AUDIT_FILTER, cursor: null }) } },
        t('adm.audit.clear'),
      ),
    ),
  );
  return onSubmit(form, (data) => {
    const text = (name: string) => String(data.get(name) ?? '').trim();
    location.hash = adminHash({
      page: 'audit',
      filter: {
        actor: text('actor'),
        action: text('action'),
        targetType: text('targetType'),
        targetId: text('targetId'),
        since: text('since'),
        until: text('until'),
      },
      cursor: null,
    });
  });
}
