import { ApiError, TOKEN_SHAPE } from './api-client.ts';
import { claimNextFlag } from './claim-next.ts';
import { h, onSubmit, show } from './dom.ts';
import { setFlash } from './flash.ts';
import { renderFlag } from './flag-view.ts';
import { pagesNav, renderAdminPage } from './nav.ts';
import { parseAdminRoute } from './admin-routes.ts';
import { chooseLanguage, language, startLanguage, t, tn } from './i18n.ts';
import { SHORTCUTS, shortcutFor } from './keyboard.ts';
import type { Shortcut } from './keyboard.ts';
import { renderNumber } from './number-view.ts';
import { renderQueue } from './queue-view.ts';
import { parseRoute, routeHash } from './routes.ts';
import type { QueueFilter } from './routes.ts';
import type { PageKeys, Screen } from './screen.ts';
import type { Session } from './session.ts';
import { resumeSession, signIn, signOut } from './session.ts';
import { mayLeadTeam, renderTeam } from './team-view.ts';
import { appealHeaderLinks, renderAppealPage } from './appeal-shell.ts';
import { renderCampaign } from './campaign-view.ts';
import { mayReadCampaigns, renderCampaigns } from './campaigns-view.ts';
import { insightHash, DEFAULT_CAMPAIGN_FILTER } from './insight-routes.ts';
import { mayReadSummaries, renderSummary } from './summary-view.ts';

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
const pagesBar = h('div', { class: 'pages-bar' });
const view = h('main', { attrs: { id: 'console-main', tabindex: -1 } });
const help = h('dialog', { class: 'help', attrs: { 'aria-labelledby': 'help-heading' } });
root.replaceChildren(skip, header, pagesBar, view, help);

let session: Session | null = null;
/** Grows with every page drawn and every sign-out: a page whose number is past stops drawing. */
let generation = 0;
let keys: PageKeys = {};
let filter: QueueFilter = parseRoute(location.hash).filter;

/** The session is over here: drawn pages stop, and sign-in shows `message`. */
function leave(message: string | null, kind: 'error' | 'done' = 'error'): void {
  generation += 1;
  session = null;
  showSignIn(message, kind);
}

/** Ends the session on the server first: the cookie is HttpOnly, only the API can end it. */
async function signOutHere(everywhere: boolean): Promise<void> {
  const current = session;
  if (!current) return;
  try {
    const ended = await signOut(current, everywhere);
    leave(everywhere ? tn('signOut.everywhere', ended) : null, 'done');
  } catch (error) {
    // A 401: the session had already ended (another tab), and the shell has gone to sign-in.
    if (error instanceof ApiError && error.tokenRefused) return;
    leave(t('signOut.failed', { detail: (error as Error).message }));
  }
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

function showSignIn(message: string | null, kind: 'error' | 'done' = 'error', retry = false): void {
  keys = {};
  pagesBar.replaceChildren();
  document.title = t('title.signIn');
  show(header, h('strong', null, t('app.title')), h('span', { class: 'tools' }, languageSwitch()));
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
    message &&
      h('p', { class: `notice ${kind}`, attrs: { role: kind === 'error' ? 'alert' : 'status' } }, message),
    h('button', { attrs: { type: 'submit' } }, t('signIn.submit')),
    retry && h('button', { attrs: { type: 'button' }, on: { click: () => resume() } }, t('signIn.retry')),
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
    current.me.permissions.includes('subscribers:read') && searchForm(),
    h(
      'span',
      { class: 'tools' },
      // Only for the roles the API lets read it: a link that can only answer 403 is noise.
      mayLeadTeam(current.me) &&
        h(
          'a',
          { class: 'header-link', attrs: { href: routeHash({ page: 'team', filter }) } },
          t('header.team'),
        ),
      ...appealHeaderLinks(current.me, filter),
      mayReadCampaigns(current.me) &&
        h(
          'a',
          {
            class: 'header-link',
            attrs: { href: insightHash({ page: 'campaigns', campaigns: DEFAULT_CAMPAIGN_FILTER, filter }) },
          },
          t('header.campaigns'),
        ),
      mayReadSummaries(current.me) &&
        h(
          'a',
          {
            class: 'header-link',
            attrs: { href: insightHash({ page: 'summary', from: null, to: null, filter }) },
          },
          t('header.summary'),
        ),
      h('button', { attrs: { type: 'button' }, on: { click: openHelp } }, t('help.button')),
      languageSwitch(),
      h('span', { class: 'who' }, t('header.who', { name: current.me.name, role: current.me.role })),
      h('button', { attrs: { type: 'button' }, on: { click: () => void signOutHere(false) } }, t('signOut')),
      h(
        'button',
        { attrs: { type: 'button' }, on: { click: () => void signOutHere(true) } },
        t('signOutEverywhere'),
      ),
    ),
  );
}

let claiming = false;

/** "Claim next", from the queue's button or the key: opens the flag claimed, or says why none was. */
async function claimNext(): Promise<void> {
  const current = session;
  if (!current || claiming || !current.me.permissions.includes('flags:act')) return;
  claiming = true;
  try {
    const outcome = await claimNextFlag(current);
    if (session !== current || outcome.kind === 'signedOut') return;
    if (outcome.kind === 'claimed') {
      setFlash({ kind: 'done', text: t('claim.claimed', { id: outcome.flag.id }) });
      location.hash = routeHash({ page: 'flag', id: String(outcome.flag.id), filter });
      return;
    }
    setFlash({ kind: outcome.kind === 'none' ? 'done' : 'error', text: outcome.text, focus: true });
    const queue = routeHash({ page: 'queue', filter });
    if (location.hash === queue) void render();
    else location.hash = queue;
  } finally {
    claiming = false;
  }
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
    h('button', { attrs: { type: 'button' }, on: { click: closeHelp } }, t('help.close')),
  );
}

/** Where the focus goes back to when the shortcuts close. */
let focusBeforeHelp: HTMLElement | null = null;

function openHelp(): void {
  if (help.open) return;
  focusBeforeHelp = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  help.showModal();
  help.querySelector<HTMLElement>('button')?.focus();
}

/**
 * Gives the focus back at once: the dialog's 'close' event comes a task later, and a key pressed
 * in between ("/" for the search box, right after Escape) lost its focus to it.
 */
function closeHelp(): void {
  if (!help.open) return;
  help.close();
  focusBeforeHelp?.focus();
  focusBeforeHelp = null;
}
// Escape: closed here rather than by the browser, so that the focus comes back the same way.
help.addEventListener('cancel', (event) => {
  event.preventDefault();
  closeHelp();
});

async function render(): Promise<void> {
  if (!session) return showSignIn(null);
  const mine = (generation += 1);
  const signedIn = session;
  const route = parseRoute(location.hash);
  // The team's pages keep the queue's filter for the way back: their addresses do not carry it.
  if (parseAdminRoute(location.hash) === null) filter = route.filter;
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
    claimNext: () => void claimNext(),
  };
  showHeader(signedIn);
  show(pagesBar, pagesNav(signedIn.me.permissions, routeHash({ page: 'queue', filter }), location.hash));
  if (await renderAppealPage(screen, route)) return;
  if (await renderAdminPage(screen, location.hash)) return;
  if (route.page === 'flag') await renderFlag(screen, route.id);
  else if (route.page === 'team') await renderTeam(screen);
  else if (route.page === 'number') await renderNumber(screen, route.number);
  else if (route.page === 'summary') await renderSummary(screen, route.from, route.to);
  else if (route.page === 'campaigns') await renderCampaigns(screen, route.campaigns);
  else if (route.page === 'campaign') await renderCampaign(screen, route.id);
  else await renderQueue(screen);
}

/** What a tab does when a request finds its session ended: back to sign-in, saying why. */
const ended = () => leave(t('signIn.revoked'));

function signInWith(token: string): void {
  const attempt = (generation += 1);
  signIn(token, ended).then(
    (signedIn) => {
      if (attempt !== generation) return;
      session = signedIn;
      void render();
    },
    (error: unknown) => {
      if (attempt !== generation) return;
      showSignIn(whyRefused(error));
    },
  );
}

/** A new tab, or a reload: signed in already if this browser has a live session. */
function resume(): void {
  const attempt = (generation += 1);
  show(view, h('p', { class: 'status', attrs: { role: 'status' } }, t('signIn.checking')));
  resumeSession(ended).then(
    (found) => {
      if (attempt !== generation) return;
      session = found;
      if (found) void render();
      else showSignIn(null);
    },
    // No answer (the API restarting, the network): the session may well be alive, so offer to ask again.
    (error: unknown) => {
      if (attempt !== generation) return;
      showSignIn(t('signIn.failed', { detail: (error as Error).message }), 'error', true);
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
  if (shortcut === 'claimNext') return void claimNext();
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
resume();
