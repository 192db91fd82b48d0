import {
  field,
  guardedSubmit,
  input,
  load,
  notice,
  refusal,
  row,
  select,
  startPage,
  table,
  named,
} from './admin-page.ts';
import { send, TOKEN_SHAPE } from './api-client.ts';
import { TOKEN_ROLES } from './admin-types.ts';
import type { TokenView } from './admin-types.ts';
import { h } from './dom.ts';
import { formatTime } from './format.ts';
import { t } from './i18n.ts';
import type { MessageKey } from './i18n.ts';
import type { Screen } from './screen.ts';

/**
 * API tokens (admin): list, issue with a role and a lifetime, revoke. The API issues a token only
 * to a request signed with the admin's own bearer token, never to a console session (a session
 * ends; a token issued through a stolen one would not): the form asks for it, sends it with that
 * one request, and keeps it nowhere.
 */

/** The lifetimes offered, as the API reads them (parseTokenLifetime); '' is until revoked. */
export const TOKEN_LIFETIMES = ['', '12h', '7d', '30d', '90d', '400d'] as const;

export async function renderTokens(screen: Screen): Promise<void> {
  const body = startPage(
    screen,
    'adm.title.tokens',
    'adm.tokens.heading',
    screen.session.me.permissions.includes('tokens:manage'),
  );
  if (!body) return;
  const list = h('div', { class: 'token-list' });
  body.append(createForm(screen, list), h('h2', null, t('adm.tokens.all')), list);
  await drawList(screen, list);
}

async function drawList(screen: Screen, list: HTMLElement): Promise<void> {
  list.replaceChildren();
  const tokens = await load(screen, list, 'adm.tokens.reading', () =>
    screen.session.api.get<{ items: TokenView[] }>('/api/v1/tokens'),
  );
  if (!tokens) return;
  const now = Date.now();
  list.append(
    table(
      t('adm.tokens.table'),
      (
        [
          'adm.col.name',
          'adm.col.role',
          'adm.col.added',
          'adm.col.expires',
          'adm.col.lastUsed',
          'adm.col.state',
        ] as MessageKey[]
      ).map((key) => t(key)),
      tokens.items.map((token) => {
        const expired = token.expiresAt !== null && Date.parse(token.expiresAt) <= now;
        return row(
          h('th', { attrs: { scope: 'row' } }, token.name),
          named('adm.role', token.role),
          t('adm.changedBy', { time: formatTime(token.createdAt), actor: token.createdBy }),
          token.expiresAt === null ? t('adm.tokens.noExpiry') : formatTime(token.expiresAt),
          token.lastUsedAt === null ? t('adm.tokens.neverUsed') : formatTime(token.lastUsedAt),
          token.revokedAt !== null
            ? t('adm.tokens.revokedBy', { time: formatTime(token.revokedAt), actor: token.revokedBy ?? '' })
            : expired
              ? t('adm.tokens.expired')
              : revokeButton(screen, token, list),
        );
      }),
    ),
  );
}

function revokeButton(screen: Screen, token: TokenView, list: HTMLElement): HTMLElement {
  const said = h('span', { attrs: { 'aria-live': 'polite' } });
  const button = h(
    'button',
    { attrs: { type: 'button', 'aria-label': t('adm.tokens.revokeLabel', { name: token.name }) } },
    t('adm.tokens.revoke'),
  );
  button.addEventListener('click', () => {
    button.disabled = true;
    screen.session.api.post<TokenView>(`/api/v1/tokens/${token.id}/revoke`, undefined).then(
      async () => {
        if (!screen.current()) return;
        await drawList(screen, list);
        const done = notice('done', t('adm.tokens.revoked', { name: token.name }));
        list.prepend(done);
        done.focus();
      },
      (error: unknown) => {
        if (!screen.current()) return;
        button.disabled = false;
        const refused = notice('error', refusal('adm.tokens.revoking', error));
        said.replaceChildren(refused);
        refused.focus();
      },
    );
  });
  return h('span', { class: 'remove' }, t('adm.tokens.live'), ' ', button, said);
}

function createForm(screen: Screen, list: HTMLElement): HTMLElement {
  const secretBox = h('div', { class: 'secret' });
  const form = h(
    'form',
    { class: 'commands', attrs: { 'aria-labelledby': 'token-create-heading' } },
    h('h2', { attrs: { id: 'token-create-heading' } }, t('adm.tokens.create')),
    h(
      'div',
      { class: 'form-grid' },
      field(
        t('adm.col.name'),
        input({ name: 'name', required: true, maxlength: 64, pattern: '[a-z0-9][a-z0-9._\\-]*' }),
        t('adm.tokens.nameHint'),
      ),
      field(
        t('adm.col.role'),
        select(
          'role',
          TOKEN_ROLES.map((r) => [r, named('adm.role', r)] as const),
          'analyst',
          true,
        ),
      ),
      field(
        t('adm.tokens.lifetime'),
        select(
          'expiresIn',
          TOKEN_LIFETIMES.map(
            (l) => [l, l === '' ? t('adm.tokens.noExpiry') : named('adm.lifetime', l)] as const,
          ),
          '30d',
        ),
      ),
      field(
        t('adm.tokens.yourToken'),
        input({ name: 'bearer', type: 'password', required: true, spellcheck: 'false' }),
        t('adm.tokens.yourTokenHint'),
      ),
    ),
    h('button', { attrs: { type: 'submit' } }, t('adm.tokens.createButton')),
  );
  const said = guardedSubmit(
    form,
    'adm.tokens.creating',
    async (data) => {
      const bearer = String(data.get('bearer') ?? '').trim();
      if (!TOKEN_SHAPE.test(bearer)) throw new Error(t('signIn.notAToken'));
      const expiresIn = String(data.get('expiresIn') ?? '');
      const created = await send<TokenView & { secret: string }>('POST', '/api/v1/tokens', {
        bearer,
        body: {
          name: String(data.get('name') ?? '').trim(),
          role: String(data.get('role')),
          ...(expiresIn ? { expiresIn } : {}),
        },
      });
      // The admin's own token has done its one job: it leaves the page.
      (form.elements.namedItem('bearer') as HTMLInputElement | null)?.setAttribute('value', '');
      form.reset();
      if (!screen.current()) return null;
      const secret = input({
        readonly: true,
        value: created.secret,
        spellcheck: 'false',
        class: 'secret-value',
      });
      secretBox.replaceChildren(
        notice(
          'done',
          t('adm.tokens.created', { name: created.name, role: named('adm.role', created.role) }),
        ),
        field(t('adm.tokens.secret', { name: created.name }), secret, t('adm.tokens.secretOnce')),
      );
      secret.focus();
      secret.select();
      void drawList(screen, list);
      return null;
    },
    screen,
  );
  return h('section', null, form, said, secretBox);
}
