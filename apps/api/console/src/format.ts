import { label } from './vocabulary.ts';

/**
 * Times as analysts in Vietnam read them: Indochina Time (UTC+7 all year, no daylight saving), with
 * the zone written out so that nobody mistakes it for their browser's.
 */

const ICT_OFFSET_MS = 7 * 60 * 60 * 1000;

/** "2026-11-29 21:04 ICT"; what is not a time is shown as sent. */
export function formatTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const local = new Date(ms + ICT_OFFSET_MS).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)} ICT`;
}

/** "just now", "12 min ago", "5 h ago", "3 d ago": how long a flag has been waiting. */
export function timeAgo(iso: string, now: number): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const seconds = Math.floor((now - ms) / 1000);
  if (seconds < 60) return seconds < -60 ? 'in the future' : 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
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
  if (seconds % 86_400 === 0 && seconds >= 172_800) return `${seconds / 86_400} d`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600} h`;
  return `${Math.round(seconds / 60)} min`;
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
  const measure = rule.measure === 'distinct_reporters' ? 'distinct reporters' : 'reports';
  const only = [
    rule.kind && label(rule.kind),
    rule.category && label(rule.category),
    rule.numberType && `${label(rule.numberType)} numbers`,
  ].filter(Boolean);
  const filter = only.length > 0 ? ` (${only.join(', ')})` : '';
  return `${rule.threshold} ${measure} in ${windowText(rule.windowSeconds)}${filter}`;
}
