/**
 * What the incremental grouping (decision 0054) needs around the pure grouping: a number's stored
 * fingerprints taken from its texts, its number block as a range of E.164 numbers, and the
 * supervisors' decisions as the grouping reads them.
 */
import type { CampaignOverride } from './group-campaigns';
import { MAX_FINGERPRINTS_PER_NUMBER } from './campaign-links';
import {
  bandKeys,
  decodeFingerprint,
  encodeFingerprint,
  fingerprint,
  type Fingerprint,
} from './text-fingerprint';

/**
 * The distinct fingerprints of a number's texts (newest first, as given), at most
 * MAX_FINGERPRINTS_PER_NUMBER, encoded for storage, with the union of their band keys. Texts
 * repeated word for word are fingerprinted once: a campaign's reports are mostly such repeats.
 */
export function fingerprintTexts(texts: readonly (string | null)[]): {
  fingerprints: string[];
  bandKeys: string[];
} {
  const seenTexts = new Set<string>();
  const encoded = new Set<string>();
  const keys = new Set<string>();
  for (const text of texts) {
    if (encoded.size >= MAX_FINGERPRINTS_PER_NUMBER) break;
    if (text === null || text === '' || seenTexts.has(text)) continue;
    seenTexts.add(text);
    const print = fingerprint(text);
    if (print.signature.length === 0) continue;
    const code = encodeFingerprint(print);
    if (encoded.has(code)) continue;
    encoded.add(code);
    for (const key of bandKeys(print)) keys.add(key);
  }
  return { fingerprints: [...encoded], bandKeys: [...keys].sort() };
}

/** Stored fingerprints back; one that does not decode (another version) is left out, never thrown. */
export function decodeStoredFingerprints(encoded: readonly string[] | null): Fingerprint[] {
  const prints: Fingerprint[] = [];
  for (const code of encoded ?? []) {
    const decoded = decodeFingerprint(code);
    if (decoded.ok) prints.push(decoded.fingerprint);
  }
  return prints;
}

/**
 * The number block of a Vietnamese E.164 number as a half-open range of strings [lo, hi): every
 * number with the same first `prefixDigits` digits of its national significant number sorts inside
 * it, byte by byte. Null for a number outside Vietnam or too short to have such a block.
 */
export function numberBlockRange(number: string, prefixDigits: number): { lo: string; hi: string } | null {
  if (!number.startsWith('+84')) return null;
  const significant = number.slice(3);
  if (significant.length <= prefixDigits || !/^[0-9]+$/.test(significant)) return null;
  const prefix = significant.slice(0, prefixDigits);
  const lo = `+84${prefix}`;
  // The next prefix of the same length; past the last one, everything starting +85 is above.
  const next = (BigInt(prefix) + 1n).toString().padStart(prefixDigits, '0');
  const hi = next.length > prefixDigits ? '+85' : `+84${next}`;
  return { lo, hi };
}

export interface StoredOverride {
  readonly kind: 'merge' | 'split' | 'remove_member';
  readonly numbers: readonly string[];
  readonly otherNumbers: readonly string[];
  readonly at: number;
}

/**
 * A stored override as group-campaigns reads it: a merge lists its numbers, a split its two sides,
 * a removal the number and the members it was removed from.
 */
export function overrideFromStored(stored: StoredOverride): CampaignOverride | null {
  switch (stored.kind) {
    case 'merge':
      return { kind: 'merge', numbers: stored.numbers, at: stored.at };
    case 'split':
      return { kind: 'split', apart: [stored.numbers, stored.otherNumbers], at: stored.at };
    case 'remove_member': {
      const number = stored.numbers[0];
      return number === undefined
        ? null
        : { kind: 'remove_member', number, from: stored.otherNumbers, at: stored.at };
    }
  }
}
