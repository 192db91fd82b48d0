import {
  add,
  field,
  guardedSubmit,
  input,
  load,
  notice,
  pager,
  refusal,
  row,
  select,
  startPage,
  table,
  named,
} from './admin-page.ts';
import { adminHash, endOfDay, pageRequest } from './admin-routes.ts';
import { ALLOWLIST_KINDS, PROTECTED_KINDS } from './admin-types.ts';
import type { AllowlistEntry, CursorPage, ProtectedOriginator } from './admin-types.ts';
import { h } from './dom.ts';
import { setFlash } from './flash.ts';
import { formatTime, nationalNumber } from './format.ts';
import { t } from './i18n.ts';
import type { MessageKey } from './i18n.ts';
import type { Screen } from './screen.ts';

/** The allowlist (decision 0061) and the protected numbers (decision 0057): list, add, remove. */

const PAGE_SIZE = 50;

/** Draws the page again after a change, with what was done said above it. */
function redraw(screen: Screen, text: string, again: () => Promise<void>): void {
  if (!screen.current()) return;
  setFlash({ kind: 'done', text });
  void again();
}

/** A remove button that says what it removes, and the sentence when the API refuses. */
function removeButton(
  screen: Screen,
  name: string,
  what: MessageKey,
  remove: () => Promise<unknown>,
  done: () => void,
): HTMLElement {
  const said = h('span', { attrs: { 'aria-live': 'polite' } });
  const button = h('button', { attrs: { type: 'button', 'aria-label': name } }, t('adm.remove'));
  button.addEventListener('click', () => {
    button.disabled = true;
    remove().then(done, (error: unknown) => {
      if (!screen.current()) return;
      button.disabled = false;
      const refused = notice('error', refusal(what, error));
      said.replaceChildren(refused);
      refused.focus();
    });
  });
  return h('span', { class: 'remove' }, button, said);
}

export async function renderAllowlist(screen: Screen, cursor: string | null): Promise<void> {
  const { permissions } = screen.session.me;
  const body = startPage(
    screen,
    'adm.title.allowlist',
    'adm.allowlist.heading',
    permissions.includes('allowlist:read'),
  );
  if (!body) return;
  const writer = permissions.includes('allowlist:write');
  const again = () => renderAllowlist(screen, cursor);
  const page = await load(screen, body, 'adm.allowlist.reading', () =>
    screen.session.api.get<CursorPage<AllowlistEntry>>(pageRequest('/api/v1/allowlist', cursor, PAGE_SIZE)),
  );
  if (!page) return;
  const headings: MessageKey[] = [
    'adm.col.pattern',
    'adm.col.reason',
    'adm.col.owner',
    'adm.col.expires',
    'adm.col.added',
  ];
  if (writer) headings.push('adm.col.change');
  add(
    body,
    h('p', { class: 'muted' }, t('adm.allowlist.explain')),
    page.items.length === 0
      ? h('p', null, t(cursor === null ? 'adm.allowlist.none' : 'adm.noMore'))
      : table(
          t('adm.allowlist.table'),
          headings.map((key) => t(key)),
          page.items.map((entry) => {
            const shown =
              entry.kind === 'prefix'
                ? t('adm.allowlist.prefix', { pattern: entry.pattern })
                : nationalNumber(entry.pattern);
            return row(
              h('th', { attrs: { scope: 'row' } }, shown),
              entry.reason,
              entry.owner,
              entry.expiresAt === null
                ? t('adm.allowlist.untilRemoved')
                : t(entry.inForce ? 'adm.allowlist.until' : 'adm.allowlist.ended', {
                    time: formatTime(entry.expiresAt),
                  }),
              t('adm.changedBy', { time: formatTime(entry.createdAt), actor: entry.createdBy }),
              writer &&
                removeButton(
                  screen,
                  t('adm.allowlist.removeLabel', { pattern: shown }),
                  'adm.allowlist.removing',
                  () => screen.session.api.delete(`/api/v1/allowlist/${entry.id}`, entry.version),
                  () => redraw(screen, t('adm.allowlist.removed', { pattern: shown }), again),
                ),
            );
          }),
        ),
    pager(
      page.nextCursor && adminHash({ page: 'allowlist', cursor: page.nextCursor }),
      cursor && adminHash({ page: 'allowlist', cursor: null }),
    ),
    writer && addAllowlistForm(screen, again),
  );
}

function addAllowlistForm(screen: Screen, again: () => Promise<void>): HTMLElement {
  const form = h(
    'form',
    { class: 'commands', attrs: { 'aria-labelledby': 'allowlist-add-heading' } },
    h('h2', { attrs: { id: 'allowlist-add-heading' } }, t('adm.allowlist.add')),
    h(
      'div',
      { class: 'form-grid' },
      field(
        t('adm.allowlist.kind'),
        select(
          'kind',
          ALLOWLIST_KINDS.map((k) => [k, named('adm.entry', k)] as const),
          'number',
          true,
        ),
      ),
      field(
        t('adm.allowlist.pattern'),
        input({ name: 'pattern', required: true, maxlength: 64 }),
        t('adm.allowlist.patternHint'),
      ),
      field(t('adm.col.reason'), input({ name: 'reason', required: true, maxlength: 500 })),
      field(t('adm.col.owner'), input({ name: 'owner', required: true, maxlength: 100 })),
      field(
        t('adm.allowlist.expires'),
        input({ name: 'expires', type: 'date' }),
        t('adm.allowlist.expiresHint'),
      ),
    ),
    h('button', { attrs: { type: 'submit' } }, t('adm.allowlist.addButton')),
  );
  form.append(
    guardedSubmit(
      form,
      'adm.allowlist.adding',
      async (data) => {
        const day = String(data.get('expires') ?? '');
        const created = await screen.session.api.post<AllowlistEntry>('/api/v1/allowlist', {
          kind: String(data.get('kind')),
          pattern: String(data.get('pattern') ?? '').trim(),
          reason: String(data.get('reason') ?? ''),
          owner: String(data.get('owner') ?? ''),
          expiresAt: day ? endOfDay(day) : null,
        });
        redraw(screen, t('adm.allowlist.added', { pattern: created.pattern }), again);
        return null;
      },
      screen,
    ),
  );
  return form;
}

export async function renderProtected(screen: Screen, cursor: string | null): Promise<void> {
  const { permissions } = screen.session.me;
  const body = startPage(
    screen,
    'adm.title.protected',
    'adm.protected.heading',
    permissions.includes('allowlist:read'),
  );
  if (!body) return;
  const writer = permissions.includes('allowlist:write');
  const again = () => renderProtected(screen, cursor);
  const page = await load(screen, body, 'adm.protected.reading', () =>
    screen.session.api.get<CursorPage<ProtectedOriginator>>(
      pageRequest('/api/v1/protected-originators', cursor, PAGE_SIZE),
    ),
  );
  if (!page) return;
  const headings: MessageKey[] = [
    'adm.col.number',
    'adm.col.name',
    'adm.col.kind',
    'adm.col.reason',
    'adm.col.added',
  ];
  if (writer) headings.push('adm.col.change');
  add(
    body,
    h('p', { class: 'muted' }, t('adm.protected.explain')),
    page.items.length === 0
      ? h('p', null, t(cursor === null ? 'adm.protected.none' : 'adm.noMore'))
      : table(
          t('adm.protected.table'),
          headings.map((key) => t(key)),
          page.items.map((entry) => {
            const shown = nationalNumber(entry.number);
            return row(
              h('th', { attrs: { scope: 'row' } }, shown),
              entry.name,
              named('adm.protectedKind', entry.kind),
              entry.reason,
              t('adm.changedBy', { time: formatTime(entry.createdAt), actor: entry.createdBy }),
              writer &&
                removeButton(
                  screen,
                  t('adm.protected.removeLabel', { number: shown, name: entry.name }),
                  'adm.protected.removing',
                  () => screen.session.api.delete(`/api/v1/protected-originators/${entry.id}`, entry.version),
                  () => redraw(screen, t('adm.protected.removed', { number: shown }), again),
                ),
            );
          }),
        ),
    pager(
      page.nextCursor && adminHash({ page: 'protected', cursor: page.nextCursor }),
      cursor && adminHash({ page: 'protected', cursor: null }),
    ),
    writer && addProtectedForm(screen, again),
  );
}

function addProtectedForm(screen: Screen, again: () => Promise<void>): HTMLElement {
  const form = h(
    'form',
    { class: 'commands', attrs: { 'aria-labelledby': 'protected-add-heading' } },
    h('h2', { attrs: { id: 'protected-add-heading' } }, t('adm.protected.add')),
    h(
      'div',
      { class: 'form-grid' },
      field(t('adm.col.number'), input({ name: 'number', required: true, maxlength: 40 })),
      field(t('adm.protected.name'), input({ name: 'name', required: true, maxlength: 100 })),
      field(
        t('adm.col.kind'),
        select(
          'kind',
          PROTECTED_KINDS.map((k) => [k, named('adm.protectedKind', k)] as const),
          'bank',
          true,
        ),
      ),
      field(t('adm.col.reason'), input({ name: 'reason', required: true, maxlength: 500 })),
    ),
    h('button', { attrs: { type: 'submit' } }, t('adm.protected.addButton')),
  );
  form.append(
    guardedSubmit(
      form,
      'adm.protected.adding',
      async (data) => {
        const created = await screen.session.api.post<ProtectedOriginator>('/api/v1/protected-originators', {
          number: String(data.get('number') ?? '').trim(),
          name: String(data.get('name') ?? ''),
          kind: String(data.get('kind')),
          reason: String(data.get('reason') ?? ''),
        });
        redraw(
          screen,
          t('adm.protected.added', { number: nationalNumber(created.number), name: created.name }),
          again,
        );
        return null;
      },
      screen,
    ),
  );
  return form;
}
