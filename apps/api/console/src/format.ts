import { locale, t } from './i18n.ts';
import { label } from './vocabulary.ts';

/**
 * Times in the analyst's own time zone (the browser's), in the interface language, with the zone
 * written out so that nobody mistakes a colleague's screenshot from another zone for their own.
 */

/** "30 Nov 2026, 02:04 GMT+7"; what is not a time is shown as sent. */
export function formatTime(iso: string, timeZone?: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Intl.DateTimeFormat(locale(), {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
    timeZone,
  }).format(ms);
}

/** "just now", "12 min ago", "5 hr ago", "3 days ago": how long a flag has been waiting. */
export function timeAgo(iso: string, now: number): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const seconds = Math.floor((now - ms) / 1000);
  if (seconds < 60) return seconds < -60 ? t('time.future') : t('time.justNow');
  const relative = new Intl.RelativeTimeFormat(locale(), { style: 'short' });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return relative.format(-minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return relative.format(-hours, 'hour');
  return relative.format(-Math.floor(hours / 24), 'day');
}

/** "+84987000101" as Vietnamese write it at home: "0987 000 101"; other numbers unchanged. */
export function nationalNumber(e164: string): string {
  const match = /^\+84(\d{9,10})$/.exec(e164);
  if (!match) return e164;
  const digits = `0${match[1]}`;
  return digits.length === 10
    ? `${digits.slice(0, 4)} ${digits.slice(4, 7)} ${digits.slice(7)}`
    : `${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`;
}

/** 3600 → "1 h", 604800 → "7 d". */
export function windowText(seconds: number): string {
  if (seconds % 86_400 === 0 && seconds >= 172_800) return t('window.days', { n: seconds / 86_400 });
  if (seconds % 3_600 === 0) return t('window.hours', { n: seconds / 3_600 });
  return t('window.minutes', { n: Math.round(seconds / 60) });
}

export interface RuleForSentence {
  measure: string;
  threshold: number;
  windowSeconds: number;
  kind: string | null;
  category: string | null;
  numberType: string | null;
}

/** "5 reports in 24 h (Scam call, mobile numbers)": what the rule counts, in one line. */
export function ruleSentence(rule: RuleForSentence): string {
  const measure = t(rule.measure === 'distinct_reporters' ? 'rule.distinctReporters' : 'rule.reports');
  const only = [
    rule.kind && label(rule.kind),
    rule.category && label(rule.category),
    rule.numberType && t('rule.numbers', { type: label(rule.numberType) }),
  ].filter(Boolean);
  const filter = only.length > 0 ? ` (${only.join(', ')})` : '';
  return t('rule.sentence', {
    threshold: rule.threshold,
    measure,
    window: windowText(rule.windowSeconds),
    filter,
  });
}
