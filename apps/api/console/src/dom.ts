import { markInvisibleCharacters } from './invisible-characters.ts';

/**
 * Builds elements from data. Text always goes in as text nodes, never as HTML: report contents are
 * written by whoever texted 156, and must not be able to run in an analyst's browser. Nor may they
 * reorder what is shown: invisible format characters become visible markers on the way in.
 */

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  /** Attributes, set as strings (href, type, name, value, for, data-*, aria-*...). */
  attrs?: Record<string, string | number | boolean | null | undefined>;
  on?: Partial<Record<keyof HTMLElementEventMap, (event: Event) => void>>;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props?.class) element.className = props.class;
  for (const [name, value] of Object.entries(props?.attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    // Links go only to the console's own fragments: a reported text can never become a link.
    if (name === 'href' && !String(value).startsWith('#')) throw new Error(`refusing href ${String(value)}`);
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [event, handler] of Object.entries(props?.on ?? {}))
    if (handler) element.addEventListener(event, handler);
  append(element, children);
  return element;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(
      typeof child === 'string' || typeof child === 'number'
        ? document.createTextNode(markInvisibleCharacters(String(child)))
        : child,
    );
  }
}

/** Replaces what an element shows. */
export function show(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** Calls `submit` with the form's data, and the button that sent it, instead of letting the browser leave the page. */
export function onSubmit(
  form: HTMLFormElement,
  submit: (data: FormData, submitter: HTMLElement | null) => void,
): HTMLFormElement {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit(new FormData(form), (event as SubmitEvent).submitter ?? null);
  });
  return form;
}
