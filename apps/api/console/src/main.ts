import { ApiError, TOKEN_SHAPE } from './api-client.ts';
import { h, onSubmit, show } from './dom.ts';
import { renderFlag } from './flag-view.ts';
import { chooseLanguage, language, startLanguage, t } from './i18n.ts';
import { SHORTCUTS, shortcutFor } from './keyboard.ts';
import type { Shortcut } from './keyboard.ts';
import { renderNumber } from './number-view.ts';
import { renderQueue } from './queue-view.ts';
import { parseRoute, routeHash } from './routes.ts';
import type { QueueFilter } from './routes.ts';
import type { PageKeys, Screen } from './screen.ts';
import type { Session } from './session.ts';
import { signIn, signOut, storedToken } from './session.ts';

/** The review console's shell: sign-in, the header, the shortcuts, and the page the URL's fragment names. */

const root = document.getElementById('console');
if (!root) throw new Error('the page has no #console element');
startLanguage();
const skip = h('a', { class: 'skip-link', attrs: { href: '#console-main' } }, t('app.skip'));
// The fragment is the router's: the skip link moves the focus itself instead of changing the address.
skip.addEventListener('click', (event) => {
  event.preventDefault();
  (view.querySelector<HTMLElement>('h1') ?? view).focus();
});
const header = h('header');
const view = h('main', { attrs: { id: 'console-main', tabindex: -1 } });
const help = h('dialog', { class: 'help', attrs: { 'aria-labelledby': 'help-heading' } });
root.replaceChildren(skip, header, view, help);

let session: Session | null = null;
/** Grows with every page drawn and every sign-out: a page whose number is past stops drawing. */
let generation = 0;
let keys: PageKeys = {};
let filter: QueueFilter = parseRoute(location.hash).filter;

function leave(message: string | null): void {
  generation += 1;
  signOut();
  session = null;
  showSignIn(message);
}

function whyRefused(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) return t('signIn.unknown');
  if (error instanceof ApiError && error.status === 403)
    return t('signIn.mayNotReview', { detail: error.problem?.detail ?? '' }).trim();
  return t('signIn.failed', { detail: (error as Error).message });
}

/** The other language, named in itself, so that someone who cannot read the current one finds it. */
function languageSwitch(): HTMLButtonElement {
  const other = language() === 'vi' ? 'en' : 'vi';
  return h(
    'button',
    {
      class: 'language',
      attrs: { type: 'button', lang: other, 'aria-label': t('language.switchLabel') },
      on: {
        click: () => {
          chooseLanguage(other);
          drawHelp();
          if (session) void render();
          else showSignIn(null);
          header.querySelector<HTMLElement>('button.language')?.focus();
        },
      },
    },
    t('language.switch'),
  );
}

function showSignIn(message: string | null): void {
  keys = {};
  document.title = t('title.signIn');
  show(header, h('strong', null, t('app.title')), h('span', { class: 'tools' }, languageSwitch()));
  const saved = storedToken();
  const form = h(
    'form',
    { class: 'sign-in', attrs: { 'aria-labelledby': 'sign-in-heading' } },
    h('h1', { attrs: { id: 'sign-in-heading', tabindex: -1 } }, t('signIn.heading')),
    h('p', null, t('signIn.explain')),
    h(
      'label',
      { class: 'block' },
      t('signIn.token'),
      h('input', {
        attrs: { type: 'password', name: 'token', required: true, autocomplete: 'off', spellcheck: 'false' },
      }),
    ),
    message && h('p', { class: 'notice error', attrs: { role: 'alert' } }, message),
    h('button', { attrs: { type: 'submit' } }, t('signIn.submit')),
    saved &&
      h('button', { attrs: { type: 'button' }, on: { click: () => signInWith(saved) } }, t('signIn.retry')),
  );
  onSubmit(form, (data) => {
    const token = String(data.get('token') ?? '').trim();
    if (!TOKEN_SHAPE.test(token)) return showSignIn(t('signIn.notAToken'));
    signInWith(token);
  });
  show(view, form);
  // Straight into the field: signing in is the only thing to do here.
  form.querySelector<HTMLInputElement>('input[name="token"]')?.focus();
}

function searchForm(): HTMLFormElement {
  const input = h('input', {
    attrs: {
      id: 'number-search',
      name: 'number',
      type: 'search',
      required: true,
      maxlength: 40,
      autocomplete: 'off',
    },
  });
  const form = h(
    'form',
    { class: 'search', attrs: { role: 'search', 'aria-label': t('search.region') } },
    h('label', { attrs: { for: 'number-search' } }, t('search.label')),
    input,
    h('button', { attrs: { type: 'submit' } }, t('search.submit')),
  );
  return onSubmit(form, (data) => {
    const number = String(data.get('number') ?? '').trim();
    if (number) location.hash = routeHash({ page: 'number', number, filter });
  });
}

function showHeader(current: Session): void {
  show(
    header,
    h('strong', null, h('a', { attrs: { href: routeHash({ page: 'queue', filter }) } }, t('app.title'))),
    searchForm(),
    h(
      'span',
      { class: 'tools' },
      h('button', { attrs: { type: 'button' }, on: { click: openHelp } }, t('help.button')),
      languageSwitch(),
      h('span', { class: 'who' }, t('header.who', { name: current.me.name, role: current.me.role })),
      h('button', { attrs: { type: 'button' }, on: { click: () => leave(null) } }, t('signOut')),
    ),
  );
}

function drawHelp(): void {
  show(
    help,
    h('h2', { attrs: { id: 'help-heading' } }, t('help.heading')),
    h(
      'dl',
      null,
      ...SHORTCUTS.flatMap((s) => [
        h('dt', null, ...s.keys.flatMap((key, i) => [i > 0 && ' ', h('kbd', null, key)])),
        h('dd', null, t(s.does)),
      ]),
    ),
    h('p', { class: 'muted' }, t('help.typing')),
    h('button', { attrs: { type: 'button' }, on: { click: () => help.close() } }, t('help.close')),
  );
}

function openHelp(): void {
  if (help.open) return;
  const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  help.addEventListener('close', () => before?.focus(), { once: true });
  help.showModal();
  help.querySelector<HTMLElement>('button')?.focus();
}

async function render(): Promise<void> {
  if (!session) return showSignIn(null);
  const mine = (generation += 1);
  const signedIn = session;
  const route = parseRoute(location.hash);
  filter = route.filter;
  keys = {};
  const screen: Screen = {
    view,
    session: signedIn,
    current: () => mine === generation && session === signedIn,
    filter,
    keys,
    arrived: () => {
      if (mine === generation) view.querySelector<HTMLElement>('h1')?.focus();
    },
  };
  showHeader(signedIn);
  if (route.page === 'flag') await renderFlag(screen, route.id);
  else if (route.page === 'number') await renderNumber(screen, route.number);
  else await renderQueue(screen);
}

function signInWith(token: string): void {
  const attempt = (generation += 1);
  signIn(token, () => leave(t('signIn.revoked'))).then(
    (signedIn) => {
      if (attempt !== generation) return;
      session = signedIn;
      void render();
    },
    (error: unknown) => {
      if (attempt !== generation) return;
      // Only the API's refusal ends the session: a restart or a network blip keeps the saved token.
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) signOut();
      showSignIn(whyRefused(error));
    },
  );
}

let pendingG: number | null = null;

function perform(shortcut: Shortcut): void {
  if (shortcut === 'help') return openHelp();
  if (!session) return;
  if (shortcut === 'search') return document.getElementById('number-search')?.focus();
  if (shortcut === 'queue') {
    location.hash = routeHash({ page: 'queue', filter });
    return;
  }
  keys[shortcut]?.();
}

document.addEventListener('keydown', (event) => {
  if (help.open || event.defaultPrevented) return;
  const found = shortcutFor(
    {
      key: event.key,
      ctrlKey: event.ctrlKey,
      altKey: event.altKey,
      metaKey: event.metaKey,
      target: event.target instanceof HTMLElement ? event.target : null,
    },
    pendingG,
    Date.now(),
  );
  pendingG = found.pendingG;
  if (!found.shortcut) return;
  // "/" would otherwise open the browser's quick find; the others type nothing anywhere.
  event.preventDefault();
  perform(found.shortcut);
});

window.addEventListener('hashchange', () => void render());

drawHelp();
const token = storedToken();
if (token) signInWith(token);
else showSignIn(null);
