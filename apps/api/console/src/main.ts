import { ApiError } from './api-client.ts';
import { h, show } from './dom.ts';
import { renderFlag } from './flag-view.ts';
import { renderQueue } from './queue-view.ts';
import { parseRoute } from './routes.ts';
import type { Session } from './session.ts';
import { signIn, signOut, storedToken } from './session.ts';

/** The review console's shell: sign-in, the header, and the page the URL's fragment names. */

const root = document.getElementById('console');
if (!root) throw new Error('the page has no #console element');
const header = h('header');
const view = h('main');
root.replaceChildren(header, view);

let session: Session | null = null;

function whyRefused(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) return 'That token is unknown or revoked.';
  if (error instanceof ApiError && error.status === 403)
    return `That token may not review flags. ${error.problem?.detail ?? ''}`.trim();
  return (error as Error).message;
}

function showSignIn(message: string | null): void {
  show(header, h('strong', null, 'abuse-monitor · review console'));
  const form = h(
    'form',
    { class: 'sign-in', attrs: { 'aria-label': 'Sign in' } },
    h('h1', null, 'Sign in'),
    h('p', null, 'Paste your API token. It is kept in this tab only, and forgotten when the tab closes.'),
    h(
      'label',
      { class: 'block' },
      'API token',
      h('input', { attrs: { type: 'password', name: 'token', required: true, autocomplete: 'off' } }),
    ),
    message && h('p', { class: 'notice error', attrs: { role: 'alert' } }, message),
    h('button', { attrs: { type: 'submit' } }, 'Sign in'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    signInWith(String(new FormData(form).get('token') ?? '').trim());
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
      h(
        'button',
        {
          attrs: { type: 'button' },
          on: {
            click: () => {
              signOut();
              session = null;
              showSignIn(null);
            },
          },
        },
        'Sign out',
      ),
    ),
  );
}

async function render(): Promise<void> {
  if (!session) return showSignIn(null);
  showHeader(session);
  const route = parseRoute(location.hash);
  if (route.page === 'flag') await renderFlag(view, session, route.id);
  else await renderQueue(view, session, route.filter);
}

/** The token was refused after sign-in: whatever the page was doing, the analyst signs in again. */
function revoked(): void {
  signOut();
  session = null;
  showSignIn('Your token was refused (revoked since you signed in). Sign in again.');
}

function signInWith(token: string): void {
  signIn(token, revoked).then(
    (signedIn) => {
      session = signedIn;
      void render();
    },
    (error: unknown) => {
      signOut();
      showSignIn(whyRefused(error));
    },
  );
}

window.addEventListener('hashchange', () => void render());

const token = storedToken();
if (token) signInWith(token);
else showSignIn(null);
