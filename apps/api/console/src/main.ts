import { ApiError, TOKEN_SHAPE } from './api-client.ts';
import { h, onSubmit, show } from './dom.ts';
import { renderFlag } from './flag-view.ts';
import { renderQueue } from './queue-view.ts';
import { parseRoute } from './routes.ts';
import type { Screen } from './screen.ts';
import type { Session } from './session.ts';
import { signIn, signOut, storedToken } from './session.ts';

/** The review console's shell: sign-in, the header, and the page the URL's fragment names. */

const root = document.getElementById('console');
if (!root) throw new Error('the page has no #console element');
const header = h('header');
const view = h('main');
root.replaceChildren(header, view);

let session: Session | null = null;
/** Grows with every page drawn and every sign-out: a page whose number is past stops drawing. */
let generation = 0;

function leave(message: string | null): void {
  generation += 1;
  signOut();
  session = null;
  showSignIn(message);
}

function whyRefused(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) return 'That token is unknown or revoked.';
  if (error instanceof ApiError && error.status === 403)
    return `That token may not review flags. ${error.problem?.detail ?? ''}`.trim();
  return `Could not sign in. ${(error as Error).message}`;
}

function showSignIn(message: string | null): void {
  show(header, h('strong', null, 'abuse-monitor · review console'));
  const saved = storedToken();
  const form = h(
    'form',
    { class: 'sign-in', attrs: { 'aria-label': 'Sign in' } },
    h('h1', null, 'Sign in'),
    h('p', null, 'Paste your API token. It is kept in this tab only, and forgotten when the tab closes.'),
    h(
      'label',
      { class: 'block' },
      'API token',
      h('input', {
        attrs: { type: 'password', name: 'token', required: true, autocomplete: 'off', spellcheck: 'false' },
      }),
    ),
    message && h('p', { class: 'notice error', attrs: { role: 'alert' } }, message),
    h('button', { attrs: { type: 'submit' } }, 'Sign in'),
    saved &&
      h(
        'button',
        { attrs: { type: 'button' }, on: { click: () => signInWith(saved) } },
        'Try again with the saved token',
      ),
  );
  onSubmit(form, (data) => {
    const token = String(data.get('token') ?? '').trim();
    if (!TOKEN_SHAPE.test(token))
      return showSignIn('That is not an API token: tokens have only letters, digits, "_" and "-".');
    signInWith(token);
  });
  show(view, form);
}

function showHeader(current: Session): void {
  show(
    header,
    h('strong', null, h('a', { attrs: { href: '#/queue' } }, 'abuse-monitor · review console')),
    h(
      'span',
      { class: 'who' },
      `${current.me.name} (${current.me.role}) `,
      h('button', { attrs: { type: 'button' }, on: { click: () => leave(null) } }, 'Sign out'),
    ),
  );
}

async function render(): Promise<void> {
  if (!session) return showSignIn(null);
  const mine = (generation += 1);
  const signedIn = session;
  const screen: Screen = {
    view,
    session: signedIn,
    current: () => mine === generation && session === signedIn,
  };
  showHeader(signedIn);
  const route = parseRoute(location.hash);
  if (route.page === 'flag') await renderFlag(screen, route.id);
  else await renderQueue(screen, route.filter);
}

function signInWith(token: string): void {
  const attempt = (generation += 1);
  signIn(token, () => leave('Your token was refused (revoked since you signed in). Sign in again.')).then(
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

window.addEventListener('hashchange', () => void render());

const token = storedToken();
if (token) signInWith(token);
else showSignIn(null);
