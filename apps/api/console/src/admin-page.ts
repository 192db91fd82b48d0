import { ApiError } from './api-client.ts';
import { append, h, show } from './dom.ts';
import type { Child } from './dom.ts';
import { takeFlash } from './flash.ts';
import { CATALOGUES, t } from './i18n.ts';
import type { MessageKey } from './i18n.ts';
import type { Screen } from './screen.ts';
import { notOursToShow } from './screen.ts';

/** What the team's pages share: a heading, a notice, a sentence when the API refuses, tables, forms, paging. */

/** Appends what is given, leaving out the parts a role does not see (null, false). */
export function add(parent: HTMLElement, ...children: Child[]): void {
  append(parent, children);
}

/** The console's word for one of the API's codes in `group` ("adm.role.admin"); an unknown code as sent. */
export function named(group: string, code: string): string {
  const key = `${group}.${code}`;
  return Object.hasOwn(CATALOGUES.en, key) ? t(key as MessageKey) : code.replace(/_/g, ' ');
}

/** The sentence a person reads when the API refused or failed: what was tried, and why, in words. */
export function refusal(what: MessageKey, error: unknown): string {
  if (error instanceof ApiError && error.status === 403)
    return t('adm.refused403', { what: t(what), detail: error.message });
  if (error instanceof ApiError && error.status === 404)
    return t('adm.refused404', { what: t(what), detail: error.message });
  if (error instanceof ApiError && error.isVersionConflict) return t('adm.refused409', { what: t(what) });
  return t('adm.refused', { what: t(what), detail: (error as Error).message });
}

export function notice(kind: 'done' | 'error', text: string): HTMLParagraphElement {
  return h(
    'p',
    { class: `notice ${kind}`, attrs: { role: kind === 'error' ? 'alert' : 'status', tabindex: -1 } },
    text,
  );
}

/**
 * Draws the page's heading and, below it, the notice a previous action left (saved, removed...);
 * returns where the page's content goes. A role that may not use the page reads why instead.
 */
export function startPage(
  screen: Screen,
  title: MessageKey,
  heading: MessageKey,
  allowed: boolean,
): HTMLElement | null {
  document.title = t(title);
  const flash = takeFlash();
  const body = h('div', { class: 'admin-page' });
  show(
    screen.view,
    h('h1', { attrs: { tabindex: -1 } }, t(heading)),
    flash && notice(flash.kind, flash.text),
    body,
  );
  if (!allowed) {
    body.append(notice('error', t('adm.notForRole')));
    screen.arrived();
    return null;
  }
  screen.arrived();
  return body;
}

/** Reads what the page shows; on failure says so in the page and answers null. */
export async function load<T>(
  screen: Screen,
  body: HTMLElement,
  what: MessageKey,
  read: () => Promise<T>,
): Promise<T | null> {
  const status = h('p', { class: 'status', attrs: { role: 'status' } }, t('adm.loading'));
  body.append(status);
  try {
    const value = await read();
    if (!screen.current()) return null;
    status.remove();
    return value;
  } catch (error) {
    if (notOursToShow(screen, error)) return null;
    status.replaceWith(notice('error', refusal(what, error)));
    return null;
  }
}

/** A table in a scrolling box (wide tables scroll at 200% zoom instead of pushing the page sideways). */
export function table(
  name: string,
  headings: readonly string[],
  rows: readonly HTMLTableRowElement[],
): HTMLElement {
  return h(
    'div',
    { class: 'scroll', attrs: { tabindex: 0, role: 'group', 'aria-label': name } },
    h(
      'table',
      { class: 'admin', attrs: { 'aria-label': name } },
      h('thead', null, h('tr', null, ...headings.map((text) => h('th', { attrs: { scope: 'col' } }, text)))),
      h('tbody', null, ...rows),
    ),
  );
}

export function row(...cells: Child[]): HTMLTableRowElement {
  return h(
    'tr',
    null,
    ...cells.map((cell) => (cell instanceof HTMLTableCellElement ? cell : h('td', null, cell))),
  );
}

let fieldIds = 0;

/** An input, select or textarea with its label (for/id), and a hint read with it when given. */
export function field(text: string, control: HTMLElement, hint?: string): HTMLElement {
  fieldIds += 1;
  const id = control.id || `adm-field-${fieldIds}`;
  control.id = id;
  const hintId = hint ? `${id}-hint` : null;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h(
    'div',
    { class: 'field' },
    h('label', { attrs: { for: id } }, text),
    control,
    hint && h('span', { class: 'muted hint', attrs: { id: hintId } }, hint),
  );
}

export function input(attrs: Record<string, string | number | boolean | null | undefined>): HTMLInputElement {
  return h('input', { attrs: { autocomplete: 'off', ...attrs } });
}

/** A select of `options` ([value, text]), `selected` chosen. */
export function select(
  name: string,
  options: readonly (readonly [string, string])[],
  selected: string,
  required = false,
): HTMLSelectElement {
  return h(
    'select',
    { attrs: { name, required } },
    ...options.map(([value, text]) => h('option', { attrs: { value, selected: value === selected } }, text)),
  );
}

/** "Next page" while the API has more, and the way back to the first page once past it. */
export function pager(nextHash: string | null, firstHash: string | null): HTMLElement | null {
  if (nextHash === null && firstHash === null) return null;
  return h(
    'nav',
    { class: 'pager', attrs: { 'aria-label': t('adm.pages') } },
    firstHash && h('a', { attrs: { href: firstHash } }, t('adm.firstPage')),
    nextHash && h('a', { attrs: { href: nextHash, rel: 'next' } }, t('adm.nextPage')),
  );
}

/** A form that sends once at a time, and says in its own notice what happened or why not. */
export function guardedSubmit(
  form: HTMLFormElement,
  what: MessageKey,
  act: (data: FormData, submitter: HTMLElement | null) => Promise<string | null>,
  screen: Screen,
): HTMLParagraphElement {
  const said = h('p', { class: 'form-notice', attrs: { 'aria-live': 'polite' } });
  let busy = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    const submitter = (event as SubmitEvent).submitter ?? null;
    said.replaceChildren();
    act(new FormData(form), submitter)
      .then(
        (done) => {
          if (done !== null && screen.current()) said.replaceChildren(notice('done', done));
        },
        (error: unknown) => {
          if (notOursToShow(screen, error)) return;
          const refused = notice('error', refusal(what, error));
          said.replaceChildren(refused);
          refused.focus();
        },
      )
      .finally(() => {
        busy = false;
      });
  });
  return said;
}

/** A day (YYYY-MM-DD) in the reader's time zone, `days` from today. */
export function dayFromToday(days: number, now = new Date()): string {
  const day = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}
