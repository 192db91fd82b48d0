import { EN } from './messages-en.ts';
import type { MessageKey } from './messages-en.ts';
import { VI } from './messages-vi.ts';

/**
 * The interface language. Vietnamese analysts get Vietnamese when their browser asks for it; a
 * choice made with the switch is kept in localStorage (it says nothing about anyone, unlike the
 * token). English otherwise.
 */

export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export type { MessageKey };

export const CATALOGUES: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = {
  en: EN,
  vi: VI,
};

const STORAGE_KEY = 'abuse-monitor.console.language';

/** The stored choice if it is one, else the first of the browser's languages the console speaks. */
export function detectLanguage(stored: string | null, asked: readonly string[]): Language {
  if (stored === 'vi' || stored === 'en') return stored;
  for (const tag of asked) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'vi' || primary === 'en') return primary;
  }
  return 'en';
}

export type Params = Readonly<Record<string, string | number>>;

/** The catalogue's text with `{name}` filled in; a name without a value stays visible, as a bug should. */
export function translate(language: Language, key: MessageKey, params: Params = {}): string {
  return CATALOGUES[language][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

let current: Language = 'en';

export function language(): Language {
  return current;
}

/** Reads the stored choice and the browser's languages; in the browser only. */
export function startLanguage(): Language {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    stored = null; // storage refused (privacy settings): the browser's languages decide
  }
  return useLanguage(detectLanguage(stored, navigator.languages ?? [navigator.language]));
}

export function useLanguage(chosen: Language): Language {
  current = chosen;
  if (typeof document !== 'undefined') document.documentElement.lang = chosen;
  return chosen;
}

/** The switch: remembered for the next visit. */
export function chooseLanguage(chosen: Language): void {
  useLanguage(chosen);
  try {
    localStorage.setItem(STORAGE_KEY, chosen);
  } catch {
    // Not remembered, but in force for this page.
  }
}

export function t(key: MessageKey, params?: Params): string {
  return translate(current, key, params);
}

/** The `.one` or `.other` form of a message, by count (Vietnamese has one form; its catalogue repeats it). */
export function tn(key: string & PluralBase, count: number, params: Params = {}): string {
  return t(`${key}.${count === 1 ? 'one' : 'other'}` as MessageKey, { ...params, count });
}

type PluralBase = MessageKey extends infer K ? (K extends `${infer B}.one` ? B : never) : never;

/** The locale for Intl: Vietnamese as written in Vietnam, English with day-month order. */
export function locale(): string {
  return current === 'vi' ? 'vi-VN' : 'en-GB';
}
