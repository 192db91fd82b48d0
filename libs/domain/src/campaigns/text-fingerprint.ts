/**
 * A fingerprint of a report's text that two reports of one scam share although people retype,
 * shorten and garble it: MinHash over character shingles of the normalised text (decision 0050).
 *
 * Normalised text: folded like keyword matching (no diacritics, đ -> d, lower case, only letters
 * and digits, single spaces), then every run of words holding a digit becomes one class token '#':
 * the phone number, the amount, the OTP code differ from report to report of one scam and say
 * nothing about which scam it is.
 *
 *   "Chuyển 5.000.000đ vào TK 0912 345 678!" -> "chuyen # vao tk #"
 *
 * The signature is FINGERPRINT_SIZE minimums of independent 32-bit hash permutations over the set
 * of shingles, each kept as its upper 16 bits (b-bit MinHash): the share of equal positions
 * estimates the Jaccard similarity of the two shingle sets, and 16 bits keep a stored fingerprint
 * at 128 bytes with a chance collision of 1 in 65,536 per position. The LSH bands
 * (FINGERPRINT_BANDS of FINGERPRINT_ROWS positions) find candidates without comparing every pair:
 * two texts share a band key with probability 1 - (1 - J^4)^16, 0.64 at J = 0.5, 0.99 at J = 0.7.
 */
import { FoldedText } from '../text/fold';
import { withoutFormatCharacters } from '../text/sanitize';

/** Positions in a signature. */
export const FINGERPRINT_SIZE = 64;
export const FINGERPRINT_ROWS = 4;
export const FINGERPRINT_BANDS = FINGERPRINT_SIZE / FINGERPRINT_ROWS;
/** Characters per shingle: Vietnamese syllables are short, so four spans a syllable and the next one's start. */
export const SHINGLE_LENGTH = 4;
/** Stands for any run of words holding a digit. */
export const DIGITS_TOKEN = '#';
/** The encoding's version: a change of normalisation, shingles or hashes is a new one. */
export const FINGERPRINT_ENCODING_VERSION = 'mh1';

export interface Fingerprint {
  /** FINGERPRINT_SIZE values; empty for a text with no letter and no digit. Never mutated. */
  readonly signature: Uint16Array;
  /** Words of the normalised text other than the digits token: how much a match can mean. */
  readonly wordCount: number;
}

// ---------------------------------------------------------------------------------------------
// Normalisation

const folded = new FoldedText();
const ZERO = 0x30;
const NINE = 0x39;
const SPACE = 0x20;
const HASH = 0x23;

/** Any character outside printable ASCII: only such a text can hold a format character. */
const NON_ASCII = /[^\x20-\x7e]/;

/**
 * The normalised text as ASCII codes into `out` (reused), returning its length and word count.
 * Works on the folded codes directly: every report of a campaign run is fingerprinted.
 */
function normaliseInto(text: string, out: { codes: Uint8Array; length: number; words: number }): void {
  folded.fold(NON_ASCII.test(text) ? withoutFormatCharacters(text) : text);
  const source = folded.codes;
  const sourceLength = folded.length;
  if (out.codes.length < sourceLength + 1) out.codes = new Uint8Array(sourceLength * 2 + 16);
  const codes = out.codes;
  let length = 0;
  let words = 0;
  let start = 0;
  let previousWasDigits = false;
  while (start < sourceLength) {
    let end = start;
    let hasDigit = false;
    while (end < sourceLength && source[end] !== SPACE) {
      const code = source[end] as number;
      if (code >= ZERO && code <= NINE) hasDigit = true;
      end++;
    }
    if (hasDigit) {
      if (!previousWasDigits) {
        if (length > 0) codes[length++] = SPACE;
        codes[length++] = HASH;
      }
    } else {
      if (length > 0) codes[length++] = SPACE;
      for (let index = start; index < end; index++) codes[length++] = source[index] as number;
      words++;
    }
    previousWasDigits = hasDigit;
    start = end + 1;
  }
  out.length = length;
  out.words = words;
}

const normalised = { codes: new Uint8Array(256), length: 0, words: 0 };

/** The text the fingerprint is taken of: "chuyen # vao tk #". */
export function normaliseForFingerprint(text: string): string {
  normaliseInto(text, normalised);
  let result = '';
  for (let index = 0; index < normalised.length; index++) {
    result += String.fromCharCode(normalised.codes[index] as number);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Hashing

/** murmur3's finaliser: a bijection of 32-bit integers that mixes every input bit into every output bit. */
function mix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * One seed per position, from a fixed start: the same on every run and machine, which is what
 * lets a fingerprint stored today be compared with one taken next year (same encoding version).
 */
const SEEDS = (() => {
  const seeds = new Uint32Array(FINGERPRINT_SIZE);
  let state = 0x2545f491;
  for (let index = 0; index < FINGERPRINT_SIZE; index++) {
    state = (state + 0x9e3779b9) >>> 0;
    seeds[index] = mix32(state);
  }
  return seeds;
})();

/** The shingles' hashes of the text being fingerprinted (reused). */
let shingleHashes = new Uint32Array(256);

/** Takes the fingerprint of a report's text. Deterministic; never throws. */
export function fingerprint(text: string): Fingerprint {
  normaliseInto(text, normalised);
  const { codes, length, words } = normalised;
  if (length === 0) return { signature: new Uint16Array(0), wordCount: 0 };
  // A text shorter than a shingle is one shingle of its own.
  const shingles = Math.max(1, length - SHINGLE_LENGTH + 1);
  const shingleLength = Math.min(SHINGLE_LENGTH, length);
  if (shingleHashes.length < shingles) shingleHashes = new Uint32Array(shingles * 2);
  const hashes = shingleHashes;
  for (let start = 0; start < shingles; start++) {
    let hash = 0x811c9dc5; // FNV-1a over the shingle's characters
    for (let offset = 0; offset < shingleLength; offset++) {
      hash = Math.imul(hash ^ (codes[start + offset] as number), 0x01000193);
    }
    hashes[start] = hash;
  }
  const signature = new Uint16Array(FINGERPRINT_SIZE);
  for (let position = 0; position < FINGERPRINT_SIZE; position++) {
    const seed = SEEDS[position] as number;
    let minimum = 0xffffffff;
    for (let shingle = 0; shingle < shingles; shingle++) {
      // mix32(hash ^ seed), written out: this loop runs 64 times per shingle of every report.
      let h = ((hashes[shingle] as number) ^ seed) >>> 0;
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      h >>>= 0;
      if (h < minimum) minimum = h;
    }
    signature[position] = minimum >>> 16;
  }
  return { signature, wordCount: words };
}

/** Whether the text had nothing to fingerprint: such a fingerprint matches nothing. */
export function isEmptyFingerprint(fp: Fingerprint): boolean {
  return fp.signature.length === 0;
}

/**
 * Estimated Jaccard similarity of the two texts' shingles, 0 to 1: the share of positions where
 * the signatures agree. An empty fingerprint is similar to nothing, itself included: no text is
 * no evidence that two reports are of one scam.
 */
export function similarity(a: Fingerprint, b: Fingerprint): number {
  if (a.signature.length !== FINGERPRINT_SIZE || b.signature.length !== FINGERPRINT_SIZE) return 0;
  let equal = 0;
  for (let position = 0; position < FINGERPRINT_SIZE; position++) {
    if (a.signature[position] === b.signature[position]) equal++;
  }
  return equal / FINGERPRINT_SIZE;
}

/**
 * Keys for an index of fingerprints: two fingerprints that share a key are candidates, to be
 * confirmed by `similarity`. One key per band, naming the band and its values ('b03:0f1e2d3c4b5a6978').
 */
export function bandKeys(fp: Fingerprint): string[] {
  if (fp.signature.length !== FINGERPRINT_SIZE) return [];
  const keys: string[] = [];
  for (let band = 0; band < FINGERPRINT_BANDS; band++) {
    let key = `b${band.toString().padStart(2, '0')}:`;
    for (let row = 0; row < FINGERPRINT_ROWS; row++) {
      key += (fp.signature[band * FINGERPRINT_ROWS + row] as number).toString(16).padStart(4, '0');
    }
    keys.push(key);
  }
  return keys;
}

// ---------------------------------------------------------------------------------------------
// Encoding: 'mh1.<words>.<base64url of the signature, big-endian>' (about 180 characters)

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE64URL_VALUE = new Map([...BASE64URL].map((character, value) => [character, value]));
const SIGNATURE_BYTES = FINGERPRINT_SIZE * 2;
const ENCODED_SIGNATURE_LENGTH = Math.ceil((SIGNATURE_BYTES * 4) / 3);
/** Longer than any word count a stored text can give; a bound on what decoding accepts. */
const MAX_WORD_COUNT = 1_000_000;

function toBase64url(bytes: Uint8Array): string {
  let text = '';
  for (let index = 0; index < bytes.length; index += 3) {
    const chunk = ((bytes[index] as number) << 16) | ((bytes[index + 1] ?? 0) << 8) | (bytes[index + 2] ?? 0);
    const characters = Math.min(4, Math.ceil(((bytes.length - index) * 4) / 3));
    for (let sextet = 0; sextet < characters; sextet++) {
      text += BASE64URL[(chunk >>> (18 - 6 * sextet)) & 0x3f];
    }
  }
  return text;
}

function fromBase64url(text: string, byteLength: number): Uint8Array | null {
  const bytes = new Uint8Array(byteLength);
  let accumulator = 0;
  let bits = 0;
  let written = 0;
  for (const character of text) {
    const value = BASE64URL_VALUE.get(character);
    if (value === undefined) return null;
    accumulator = ((accumulator << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (written >= byteLength) return null;
      bytes[written++] = (accumulator >>> bits) & 0xff;
    }
  }
  // The last character's unused low bits must be zero: one fingerprint, one encoding.
  if ((accumulator & ((1 << bits) - 1)) !== 0) return null;
  return written === byteLength ? bytes : null;
}

/** The fingerprint as a short ASCII string, for a database column or a message. */
export function encodeFingerprint(fp: Fingerprint): string {
  if (fp.signature.length !== FINGERPRINT_SIZE) return `${FINGERPRINT_ENCODING_VERSION}.0.`;
  const bytes = new Uint8Array(SIGNATURE_BYTES);
  fp.signature.forEach((value, position) => {
    bytes[position * 2] = value >>> 8;
    bytes[position * 2 + 1] = value & 0xff;
  });
  return `${FINGERPRINT_ENCODING_VERSION}.${fp.wordCount}.${toBase64url(bytes)}`;
}

export const FINGERPRINT_DECODE_PROBLEMS = ['not_a_string', 'unknown_version', 'malformed'] as const;
export type FingerprintDecodeProblem = (typeof FINGERPRINT_DECODE_PROBLEMS)[number];

export type DecodeFingerprintResult =
  | { readonly ok: true; readonly fingerprint: Fingerprint }
  | { readonly ok: false; readonly problem: FingerprintDecodeProblem };

/** Reads what `encodeFingerprint` wrote. Anything else is a typed problem, never a throw. */
export function decodeFingerprint(encoded: unknown): DecodeFingerprintResult {
  if (typeof encoded !== 'string') return { ok: false, problem: 'not_a_string' };
  const parts = encoded.split('.');
  if (parts.length !== 3) return { ok: false, problem: 'malformed' };
  const [version, words, signatureText] = parts as [string, string, string];
  if (version !== FINGERPRINT_ENCODING_VERSION) return { ok: false, problem: 'unknown_version' };
  if (!/^(0|[1-9][0-9]{0,6})$/.test(words) || Number(words) > MAX_WORD_COUNT) {
    return { ok: false, problem: 'malformed' };
  }
  const wordCount = Number(words);
  if (signatureText === '') {
    return wordCount === 0
      ? { ok: true, fingerprint: { signature: new Uint16Array(0), wordCount: 0 } }
      : { ok: false, problem: 'malformed' };
  }
  if (signatureText.length !== ENCODED_SIGNATURE_LENGTH) return { ok: false, problem: 'malformed' };
  const bytes = fromBase64url(signatureText, SIGNATURE_BYTES);
  if (bytes === null) return { ok: false, problem: 'malformed' };
  const signature = new Uint16Array(FINGERPRINT_SIZE);
  for (let position = 0; position < FINGERPRINT_SIZE; position++) {
    signature[position] = ((bytes[position * 2] as number) << 8) | (bytes[position * 2 + 1] as number);
  }
  return { ok: true, fingerprint: { signature, wordCount } };
}
