import { hash } from 'node:crypto';
import { reportTextForKey } from '@abuse-monitor/domain';
import { storableText } from './storable-text';

/**
 * The key "relatives by shared text" compares reports by (reports.text_key, decision 0069): md5
 * of the text as reportTextForKey means it, in UTF-8, written as a uuid, since 16 bytes compare and
 * index faster than 32 hex characters. Null without a text. Taken from the text as it is stored
 * (storableText), so that the key of a new report and the one the migration computed from a stored
 * text agree. Here rather than in the domain, which may not import node:crypto; the meaning of the
 * key is the domain's.
 */
export function reportTextKey(content: string | null): string | null {
  if (content === null) return null;
  const hex = hash('md5', reportTextForKey(storableText(content)), 'hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
