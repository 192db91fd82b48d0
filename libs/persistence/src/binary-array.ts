/**
 * Array parameters in PostgreSQL's binary format (what array_recv reads), for the aggregator's
 * bulk statements. pg sends a Buffer parameter as binary, and the statement's cast (`$1::uuid[]`)
 * tells PostgreSQL which type to read it as. A text literal (array-literal.ts) makes array_in scan
 * every character for quotes, commas and backslashes, then parse each element from text (a uuid,
 * a number); in binary each element comes with its length and, for uuids and numbers, its value.
 * Reading the reports insert's 14 arrays cost PostgreSQL about a quarter less this way (decision 0070).
 *
 * Each encoder measures its elements first and allocates once: one Buffer per element would cost
 * more in the aggregator than the text it replaces.
 */

/** pg_type.oid of each element type: array_recv refuses an array whose type differs from the cast's. */
const BOOL = 16;
const INT8 = 20;
const INT4 = 23;
const TEXT = 25;
const UUID = 2950;
const JSONB = 3802;

/** ndim, flags (has nulls), element type, then length and lower bound of the one dimension. */
const HEADER_BYTES = 20;
/** Up to this many UTF-16 units, an element is measured and copied in JavaScript: a call into C++ costs more. */
const SHORT = 32;
/** jsonb_recv's format version, before the JSON text. */
const JSONB_VERSION = 1;

/**
 * A value PostgreSQL would have refused, with the SQLSTATE it would have refused it with when sent
 * as text, so that isDataRefusal sets the message aside as it did then rather than retrying it.
 * The message names the element's position, never its value (logs carry no personal data).
 */
export class RefusedArrayElement extends RangeError {
  constructor(
    message: string,
    readonly code: '22P02' | '22003',
  ) {
    super(message);
    this.name = 'RefusedArrayElement';
  }
}

/** Big-endian, by byte: a Buffer method checks its arguments on every call. */
function int32(buf: Buffer, offset: number, value: number): void {
  buf[offset] = value >>> 24;
  buf[offset + 1] = value >>> 16;
  buf[offset + 2] = value >>> 8;
  buf[offset + 3] = value;
}

function withHeader(bytes: number, oid: number, count: number, hasNull: boolean): Buffer {
  const buf = Buffer.allocUnsafe(bytes);
  int32(buf, 0, 1);
  int32(buf, 4, hasNull ? 1 : 0);
  int32(buf, 8, oid);
  int32(buf, 12, count);
  int32(buf, 16, 1);
  return buf;
}

/** No dimension at all: what PostgreSQL itself sends for an empty array. */
function empty(oid: number): Buffer {
  const buf = Buffer.allocUnsafe(12);
  int32(buf, 0, 0);
  int32(buf, 4, 0);
  int32(buf, 8, oid);
  return buf;
}

/** The UTF-8 length of each element of the batch being encoded, reused from one call to the next. */
let lengths = new Int32Array(1024);

/**
 * UTF-8 bytes of `text` as Buffer writes them: a lone surrogate becomes U+FFFD (3 bytes), as in a
 * text parameter, which pg writes the same way. Equal to text.length exactly when all is ASCII.
 */
function utf8Length(text: string): number {
  const n = text.length;
  if (n > SHORT) return Buffer.byteLength(text, 'utf8');
  for (let i = 0; i < n; i += 1) if (text.charCodeAt(i) >= 0x80) return Buffer.byteLength(text, 'utf8');
  return n;
}

/** An element's length word (and jsonb's version byte) as latin1 characters, by length. */
const headsOf: readonly string[][] = [[], []];
const NULL_HEAD = '\xff\xff\xff\xff';

function headOf(bytes: number, prefix: number): string {
  const heads = headsOf[prefix];
  let head = heads[bytes];
  if (head === undefined) {
    const n = bytes + prefix;
    head = String.fromCharCode(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
    if (prefix === 1) head += String.fromCharCode(JSONB_VERSION);
    if (bytes < 4096) (headsOf[prefix] as string[])[bytes] = head;
  }
  return head;
}

function stringArray(values: readonly (string | null)[], oid: number, prefix: number): Buffer {
  const count = values.length;
  if (count === 0) return empty(oid);
  if (lengths.length < count) lengths = new Int32Array(2 ** Math.ceil(Math.log2(count)));
  let bytes = HEADER_BYTES + 4 * count;
  let hasNull = false;
  let ascii = true;
  for (let i = 0; i < count; i += 1) {
    const value = values[i];
    if (value === null || value === undefined) {
      lengths[i] = -1;
      hasNull = true;
    } else {
      const n = utf8Length(value);
      lengths[i] = n;
      bytes += prefix + n;
      if (n !== value.length) ascii = false;
    }
  }
  const buf = withHeader(bytes, oid, count, hasNull);
  if (ascii) {
    // Heads and elements joined into one string and written in one call, as a literal is joined:
    // latin1 writes each character as its byte, which for ASCII is its UTF-8.
    const parts = new Array<string>(2 * count);
    for (let i = 0; i < count; i += 1) {
      const n = lengths[i];
      parts[2 * i] = n < 0 ? NULL_HEAD : headOf(n, prefix);
      parts[2 * i + 1] = n < 0 ? '' : (values[i] as string);
    }
    buf.write(parts.join(''), HEADER_BYTES, bytes - HEADER_BYTES, 'latin1');
    return buf;
  }
  let offset = HEADER_BYTES;
  for (let i = 0; i < count; i += 1) {
    const n = lengths[i];
    if (n < 0) {
      int32(buf, offset, -1);
      offset += 4;
      continue;
    }
    int32(buf, offset, prefix + n);
    offset += 4;
    if (prefix === 1) {
      buf[offset] = JSONB_VERSION;
      offset += 1;
    }
    const value = values[i] as string;
    if (n !== value.length) buf.write(value, offset, n, 'utf8');
    else if (n > SHORT) buf.write(value, offset, n, 'latin1');
    else for (let j = 0; j < n; j += 1) buf[offset + j] = value.charCodeAt(j);
    offset += n;
  }
  return buf;
}

/** text[]: null elements are SQL NULL (so is undefined, as in textArray). */
export function binaryTextArray(values: readonly (string | null)[]): Buffer {
  return stringArray(values, TEXT, 0);
}

/** jsonb[] of JSON texts (already serialised); PostgreSQL parses them as it parses jsonb text. */
export function binaryJsonbArray(values: readonly (string | null)[]): Buffer {
  return stringArray(values, JSONB, 1);
}

/** Hex digit values by character code, -1 for any other ASCII character. */
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i += 1) HEX[48 + i] = i;
for (let i = 0; i < 6; i += 1) HEX[65 + i] = HEX[97 + i] = 10 + i;

const hexAt = (text: string, index: number) => {
  const c = text.charCodeAt(index); // NaN past the end
  return c < 128 ? HEX[c] : -1;
};

/**
 * The 16 bytes of a uuid in any form PostgreSQL's uuid_in reads (string_to_uuid): 32 hex digits
 * in either case, a hyphen allowed after any group of four, the whole optionally in braces.
 */
function writeUuid(buf: Buffer, offset: number, text: string, element: number): void {
  let p = text.charCodeAt(0) === 0x7b ? 1 : 0;
  for (let i = 0; i < 16; i += 1) {
    const high = hexAt(text, p);
    const low = hexAt(text, p + 1);
    if (high < 0 || low < 0) throw new RefusedArrayElement(`element ${element} is not a uuid`, '22P02');
    buf[offset + i] = (high << 4) | low;
    p += 2;
    if (i % 2 === 1 && i < 15 && text.charCodeAt(p) === 0x2d) p += 1;
  }
  if (text.charCodeAt(0) === 0x7b) {
    if (text.charCodeAt(p) !== 0x7d)
      throw new RefusedArrayElement(`element ${element} is not a uuid`, '22P02');
    p += 1;
  }
  if (p !== text.length) throw new RefusedArrayElement(`element ${element} is not a uuid`, '22P02');
}

/** uuid[]; a text that is not a uuid is refused here, as uuid_in would refuse it (22P02). */
export function binaryUuidArray(values: readonly (string | null)[]): Buffer {
  const count = values.length;
  if (count === 0) return empty(UUID);
  let nulls = 0;
  for (let i = 0; i < count; i += 1) if (values[i] === null || values[i] === undefined) nulls += 1;
  const buf = withHeader(HEADER_BYTES + 20 * count - 16 * nulls, UUID, count, nulls > 0);
  let offset = HEADER_BYTES;
  for (let i = 0; i < count; i += 1) {
    const value = values[i];
    if (value === null || value === undefined) {
      int32(buf, offset, -1);
      offset += 4;
    } else {
      int32(buf, offset, 16);
      writeUuid(buf, offset + 4, value, i);
      offset += 20;
    }
  }
  return buf;
}

const TWO_TO_32 = 2 ** 32;

/**
 * int8[] of safe integers (epoch milliseconds, counts): a double holds no other integer exactly.
 * Not a number or infinite throws a plain RangeError, as numberArray does (a fault of the caller,
 * not of the data); any other number that is not a safe integer is refused as text would have
 * been: a fraction as bigint's input syntax (22P02), a larger integer as out of range (22003),
 * even below 2^63, where text would have stored the double's value.
 */
export function binaryInt8Array(values: readonly number[]): Buffer {
  const count = values.length;
  if (count === 0) return empty(INT8);
  const buf = withHeader(HEADER_BYTES + 12 * count, INT8, count, false);
  let offset = HEADER_BYTES;
  for (let i = 0; i < count; i += 1) {
    const value = values[i];
    if (!Number.isSafeInteger(value)) {
      if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
      if (!Number.isInteger(value)) throw new RefusedArrayElement(`element ${i} is not an integer`, '22P02');
      throw new RefusedArrayElement(`element ${i} is not a safe integer`, '22003');
    }
    // Two's complement across both words: high is floor(value / 2^32), low the rest, 0 to 2^32 - 1.
    const high = Math.floor(value / TWO_TO_32);
    int32(buf, offset, 8);
    int32(buf, offset + 4, high);
    int32(buf, offset + 8, value - high * TWO_TO_32);
    offset += 12;
  }
  return buf;
}

/** int4[]: integers from -2^31 to 2^31 - 1; others refused as int4in refuses them in text. */
export function binaryInt4Array(values: readonly number[]): Buffer {
  const count = values.length;
  if (count === 0) return empty(INT4);
  const buf = withHeader(HEADER_BYTES + 8 * count, INT4, count, false);
  let offset = HEADER_BYTES;
  for (let i = 0; i < count; i += 1) {
    const value = values[i];
    if ((value | 0) !== value) {
      if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
      if (!Number.isInteger(value)) throw new RefusedArrayElement(`element ${i} is not an integer`, '22P02');
      throw new RefusedArrayElement(`element ${i} is out of range for integer`, '22003');
    }
    int32(buf, offset, 4);
    int32(buf, offset + 4, value);
    offset += 8;
  }
  return buf;
}

/** boolean[]; null elements are SQL NULL. */
export function binaryBoolArray(values: readonly (boolean | null)[]): Buffer {
  const count = values.length;
  if (count === 0) return empty(BOOL);
  let nulls = 0;
  for (let i = 0; i < count; i += 1) if (values[i] === null || values[i] === undefined) nulls += 1;
  const buf = withHeader(HEADER_BYTES + 5 * count - nulls, BOOL, count, nulls > 0);
  let offset = HEADER_BYTES;
  for (let i = 0; i < count; i += 1) {
    const value = values[i];
    if (value === null || value === undefined) {
      int32(buf, offset, -1);
      offset += 4;
    } else {
      int32(buf, offset, 1);
      buf[offset + 4] = value ? 1 : 0;
      offset += 5;
    }
  }
  return buf;
}

const ELEMENT_TYPES: Readonly<Record<number, string>> = {
  [BOOL]: 'boolean',
  [INT8]: 'bigint',
  [INT4]: 'integer',
  [TEXT]: 'text',
  [UUID]: 'uuid',
  [JSONB]: 'jsonb',
};

/**
 * An array these encoders wrote, read back: its element type's name and its elements (bigints as
 * numbers, jsonb as its JSON text). For the SQL snapshots, which show a statement's parameters,
 * and for tests; not for arrays of other encoders (more dimensions, other element types).
 */
export function readBinaryArray(buf: Buffer): { type: string; values: (string | number | boolean | null)[] } {
  const dimensions = buf.readInt32BE(0);
  const oid = buf.readInt32BE(8);
  const type = ELEMENT_TYPES[oid];
  if (type === undefined || dimensions > 1) throw new RangeError(`not an array these encoders write`);
  if (dimensions === 0) return { type, values: [] };
  const count = buf.readInt32BE(12);
  const values: (string | number | boolean | null)[] = [];
  let offset = HEADER_BYTES;
  for (let i = 0; i < count; i += 1) {
    const n = buf.readInt32BE(offset);
    offset += 4;
    if (n < 0) {
      values.push(null);
      continue;
    }
    const bytes = buf.subarray(offset, offset + n);
    offset += n;
    if (oid === BOOL) values.push(bytes[0] === 1);
    else if (oid === INT8) values.push(Number(bytes.readBigInt64BE(0)));
    else if (oid === INT4) values.push(bytes.readInt32BE(0));
    else if (oid === JSONB) values.push(bytes.subarray(1).toString('utf8'));
    else if (oid === UUID) {
      const hex = bytes.toString('hex');
      values.push(
        `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
      );
    } else values.push(bytes.toString('utf8'));
  }
  if (offset !== buf.length) throw new RangeError('bytes left after the last element');
  return { type, values };
}
