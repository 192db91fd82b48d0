import fc from 'fast-check';
import { Client } from 'pg';
import {
  binaryBoolArray,
  binaryInt4Array,
  binaryInt8Array,
  binaryJsonbArray,
  binaryTextArray,
  binaryUuidArray,
  DATA_REFUSALS,
  numberArray,
  textArray,
} from '@abuse-monitor/persistence';
import { TEST_POSTGRES_URL } from './support/test-database';

/**
 * The aggregator's bulk parameters in binary, read by the real PostgreSQL: the same arrays as the
 * text literals they replace, and refused where those were refused.
 */
describe('bulk statement parameters in binary', () => {
  const client = new Client({ connectionString: TEST_POSTGRES_URL });
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  /** Both parameters as PostgreSQL reads them, as its text output, and whether they are the same array. */
  async function bothWays(type: string, literal: unknown, binary: Buffer) {
    const { rows } = await client.query<{ text: string | null; binary: string | null; same: boolean }>(
      `SELECT $1::${type}::text AS text, $2::${type}::text AS binary, $1::${type} IS NOT DISTINCT FROM $2::${type} AS same`,
      [literal, binary],
    );
    return rows[0];
  }

  async function refusal(param: () => unknown, type: string): Promise<unknown> {
    try {
      await client.query(`SELECT $1::${type}`, [param()]);
    } catch (error) {
      return error;
    }
    return null;
  }

  // The pieces a literal must escape or quote, and text beyond ASCII: Latin-1, Vietnamese, emoji (4 bytes),
  // lone surrogates (U+FFFD either way: pg writes a string's UTF-8 as Buffer does).
  const piece = fc.constantFrom(
    '"',
    '\\',
    '\\"',
    'NULL',
    'null',
    '',
    ' ',
    '{',
    '}',
    ',',
    "'",
    'a',
    'Lừa đảo trúng thưởng',
    'café',
    '\u00ff',
    '😀',
    '\ud800',
    '\udc00',
    'x'.repeat(40),
  );
  const text = fc.oneof(
    fc.array(piece, { maxLength: 6 }).map((pieces) => pieces.join('')),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
    fc.string({ unit: 'binary', maxLength: 30 }),
  );
  // PostgreSQL text holds no NUL; storableText replaces it before anything is stored.
  const storable = text.map((s) => s.split('\u0000').join(''));

  it('read text as the literal was read, nulls, "NULL", empty strings and lone surrogates included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(storable, { nil: null }), { maxLength: 40 }), async (values) => {
        const both = await bothWays('text[]', textArray(values), binaryTextArray(values));
        expect(both.binary).toBe(both.text);
        expect(both.same).toBe(true);
      }),
      { numRuns: 150 },
    );
    // All ASCII (written in one piece) and not (element by element), each with a null.
    for (const values of [
      ['NULL', '', ' ', '{a,b}', 'x"y', 'back\\slash', null],
      ['Lừa đảo', 'é', '😀 ok', '\ud83d', 'lone \udc00 low', null, ''],
    ]) {
      const { rows } = await client.query<{ v: (string | null)[] }>('SELECT $1::text[] AS v', [
        binaryTextArray(values),
      ]);
      expect(rows[0].v).toEqual(values.map((v) => (v === null ? null : v.toWellFormed())));
    }
  });

  it('refuse NUL in text as the literal was refused, as data', async () => {
    for (const values of [['a\u0000b'], ['ok', 'đ\u0000']]) {
      const literal = await refusal(() => textArray(values), 'text[]');
      const binary = await refusal(() => binaryTextArray(values), 'text[]');
      expect((binary as { code?: string }).code?.slice(0, 2)).toBe('22');
      expect((literal as { code?: string }).code?.slice(0, 2)).toBe('22');
      expect(DATA_REFUSALS.isPermanent(binary)).toBe(true);
    }
  });

  it('read uuids in every form uuid_in reads, and refuse the same texts', async () => {
    const uuid = fc.uuid();
    const form = fc.tuple(uuid, fc.nat(4)).map(([id, n]) => {
      const bare = id.replaceAll('-', '');
      return [id, id.toUpperCase(), `{${id}}`, bare, bare.match(/.{4}/g)?.join('-') ?? bare][n];
    });
    const maybeBad = fc.oneof(
      form,
      fc
        .tuple(form, fc.constantFrom('-', '--', '{', '}', ' ', '0', 'G', 'é'), fc.nat(40))
        .map(([s, extra, at]) => s.slice(0, at) + extra + s.slice(at)),
      fc.tuple(form, fc.nat(40)).map(([s, at]) => s.slice(0, at) + s.slice(at + 1)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(maybeBad, { nil: null }), { maxLength: 10 }), async (values) => {
        const literal = await refusal(() => textArray(values), 'uuid[]');
        const binary = await refusal(() => binaryUuidArray(values), 'uuid[]');
        if (literal === null && binary === null) {
          const both = await bothWays('uuid[]', textArray(values), binaryUuidArray(values));
          expect(both.same).toBe(true);
        } else {
          expect({ literal: literal !== null, binary: binary !== null }).toEqual({
            literal: true,
            binary: true,
          });
          expect(DATA_REFUSALS.isPermanent(literal)).toBe(true);
          expect(DATA_REFUSALS.isPermanent(binary)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('read bigints and integers as their literals, negative and the safe extremes included', async () => {
    const edges = [0, -0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 32, -(2 ** 32) - 1];
    const safe = fc.oneof(
      fc.maxSafeInteger(),
      fc.constantFrom(...edges, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(safe, { maxLength: 40 }),
        fc.array(fc.integer(), { maxLength: 40 }),
        async (big, small) => {
          const int8 = await bothWays('bigint[]', numberArray(big), binaryInt8Array(big));
          expect(int8.binary).toBe(int8.text);
          expect(int8.same).toBe(true);
          const int4 = await bothWays('int[]', numberArray(small), binaryInt4Array(small));
          expect(int4.binary).toBe(int4.text);
          expect(int4.same).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
    const { rows } = await client.query<{ v: string[] }>('SELECT $1::bigint[]::text[] AS v', [
      binaryInt8Array([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, -1]),
    ]);
    expect(rows[0].v).toEqual(['9007199254740991', '-9007199254740991', '-1']);
  });

  it('refuse, as data, the numbers PostgreSQL refused as literals', async () => {
    for (const [values, type, encode] of [
      [[1.5], 'bigint[]', binaryInt8Array],
      [[0.5], 'int[]', binaryInt4Array],
      [[2 ** 31], 'int[]', binaryInt4Array],
      [[-(2 ** 31) - 1], 'int[]', binaryInt4Array],
    ] as const) {
      const literal = await refusal(() => numberArray(values), type);
      const binary = await refusal(() => encode(values), type);
      expect((binary as { code?: string }).code).toBe((literal as { code?: string }).code);
      expect(DATA_REFUSALS.isPermanent(binary)).toBe(true);
    }
  });

  it('read booleans with nulls as pg sends them', async () => {
    const values = [true, false, null, true];
    const both = await bothWays('boolean[]', values, binaryBoolArray(values));
    expect(both).toEqual({ text: '{t,f,NULL,t}', binary: '{t,f,NULL,t}', same: true });
  });

  it('read jsonb as the literal was read, unicode escapes included, and refuse the same texts', async () => {
    const json = fc.oneof(
      fc.json({ maxDepth: 2 }),
      fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => JSON.stringify({ [s]: s })),
      fc.constantFrom(
        '{"a":"\\u00e9\\u1ea1\\ud83d\\ude00"}',
        '"\\u0041\\\\\\"NULL\\""',
        '{"k":"Lừa đảo 😀","n":null}',
        '[1, 2.5e3, -0, true]',
        '"\\u0000"',
        '"\\ud800"',
        '{"a":}',
        '',
        'NULL',
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(json, { nil: null }), { maxLength: 10 }), async (values) => {
        const literal = await refusal(() => textArray(values), 'jsonb[]');
        const binary = await refusal(() => binaryJsonbArray(values), 'jsonb[]');
        expect({ literal: literal !== null, binary: binary !== null }).toEqual({
          literal: binary !== null,
          binary: literal !== null,
        });
        if (literal === null) {
          const both = await bothWays('jsonb[]', textArray(values), binaryJsonbArray(values));
          expect(both.binary).toBe(both.text);
          expect(both.same).toBe(true);
        } else {
          expect(DATA_REFUSALS.isPermanent(binary)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('read empty arrays of every type', async () => {
    const { rows } = await client.query(
      `SELECT $1::text[] AS t, $2::uuid[] AS u, $3::bigint[] AS b, $4::int[] AS i, $5::boolean[] AS o, $6::jsonb[] AS j`,
      [
        binaryTextArray([]),
        binaryUuidArray([]),
        binaryInt8Array([]),
        binaryInt4Array([]),
        binaryBoolArray([]),
        binaryJsonbArray([]),
      ],
    );
    expect(rows[0]).toEqual({ t: [], u: [], b: [], i: [], o: [], j: [] });
  });
});
