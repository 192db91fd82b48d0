import fc from 'fast-check';
import {
  binaryBoolArray,
  binaryInt4Array,
  binaryInt8Array,
  binaryJsonbArray,
  binaryTextArray,
  binaryUuidArray,
  readBinaryArray,
  RefusedArrayElement,
} from './binary-array';
import { isDataRefusal } from './data-refusal';

/** Strings that take every path: ASCII (one write for the whole array), short and long, and not. */
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'Z', '0', '"', '\\', ',', '{', ' '), maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', 'NULL', 'lừa đảo', 'é', '\u00ff', '😀', '\ud800', 'a\udc00b', 'x'.repeat(33)),
);
const texts = fc.array(fc.option(text, { nil: null }), { maxLength: 30 });

/** What pg writes for a text parameter: the same UTF-8, a lone surrogate as U+FFFD. */
const asSent = (value: string | null) =>
  value === null ? null : Buffer.from(value, 'utf8').toString('utf8');

describe('binary arrays', () => {
  it('lay out the header, length words and bytes as array_recv reads them', () => {
    expect(binaryTextArray(['ab', null, 'é']).toString('hex')).toBe(
      [
        '00000001', // one dimension
        '00000001', // has nulls
        '00000019', // text
        '00000003', // three elements
        '00000001', // from 1
        '00000002' + '6162',
        'ffffffff',
        '00000002' + 'c3a9',
      ].join(''),
    );
    expect(binaryJsonbArray(['{}']).toString('hex')).toBe(
      '00000001' + '00000000' + '00000eda' + '00000001' + '00000001' + '00000003' + '01' + '7b7d',
    );
    expect(binaryInt8Array([-2]).toString('hex')).toBe(
      '00000001' + '00000000' + '00000014' + '00000001' + '00000001' + '00000008' + 'fffffffffffffffe',
    );
    expect(binaryTextArray([]).toString('hex')).toBe('00000000' + '00000000' + '00000019');
  });

  it('write text, jsonb and its nulls back as pg sends text', () => {
    fc.assert(
      fc.property(texts, (values) => {
        expect(readBinaryArray(binaryTextArray(values))).toEqual({
          type: 'text',
          values: values.map(asSent),
        });
        expect(readBinaryArray(binaryJsonbArray(values))).toEqual({
          type: 'jsonb',
          values: values.map(asSent),
        });
      }),
    );
  });

  it('write every safe integer as int8 and every int4', () => {
    const safe = fc.oneof(
      fc.maxSafeInteger(),
      fc.integer({ min: -(2 ** 33), max: 2 ** 33 }),
      fc.constantFrom(
        0,
        -0,
        -1,
        2 ** 32,
        -(2 ** 32),
        2 ** 31,
        Number.MAX_SAFE_INTEGER,
        Number.MIN_SAFE_INTEGER,
      ),
    );
    fc.assert(
      fc.property(fc.array(safe), (values) => {
        expect(readBinaryArray(binaryInt8Array(values)).values).toEqual(values.map((v) => v + 0));
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.integer()), (values) => {
        expect(readBinaryArray(binaryInt4Array(values)).values).toEqual(values);
      }),
    );
  });

  it('write booleans and nulls', () => {
    expect(readBinaryArray(binaryBoolArray([true, false, null]))).toEqual({
      type: 'boolean',
      values: [true, false, null],
    });
  });

  it('read a uuid in every form uuid_in reads', () => {
    const id = '0a1b2c3d-4e5f-6a7b-8c9d-aebfc0d1e2f3';
    const forms = [
      id,
      id.toUpperCase(),
      `{${id}}`,
      id.replaceAll('-', ''),
      '0a1b-2c3d-4e5f-6a7b-8c9d-aebf-c0d1-e2f3',
      `{${id.replaceAll('-', '')}}`,
    ];
    expect(readBinaryArray(binaryUuidArray([...forms, null])).values).toEqual([...forms.map(() => id), null]);
  });

  it('refuse what PostgreSQL would refuse, as data, with its SQLSTATE', () => {
    const refused = (encode: () => unknown, code: string) => {
      let error: unknown;
      try {
        encode();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RefusedArrayElement);
      expect((error as RefusedArrayElement).code).toBe(code);
      expect(isDataRefusal(error)).toBe(true);
    };
    const id = '0a1b2c3d-4e5f-6a7b-8c9d-aebfc0d1e2f3';
    for (const bad of [
      '',
      'NULL',
      ` ${id}`,
      `${id} `,
      `${id}-`,
      `-${id}`,
      `{${id}`,
      `${id}}`,
      id.slice(0, 35),
      `${id}0`,
      id.replace('0a', '0g'),
      '0a1b2c3d4-e5f-6a7b-8c9d-aebfc0d1e2f3',
      id.replace('0', '٠'),
    ])
      refused(() => binaryUuidArray([id, bad]), '22P02');
    refused(() => binaryInt8Array([1.5]), '22P02');
    refused(() => binaryInt8Array([2 ** 53]), '22003');
    refused(() => binaryInt8Array([-(2 ** 53)]), '22003');
    refused(() => binaryInt4Array([0.5]), '22P02');
    refused(() => binaryInt4Array([2 ** 31]), '22003');
    refused(() => binaryInt4Array([-(2 ** 31) - 1]), '22003');
  });

  it('throw a plain RangeError, as numberArray does, for what is not a finite number', () => {
    for (const value of [NaN, Infinity, -Infinity]) {
      expect(() => binaryInt8Array([value])).toThrow(new RangeError(`not a finite number: ${value}`));
      expect(() => binaryInt4Array([value])).toThrow(new RangeError(`not a finite number: ${value}`));
    }
  });

  it('write empty arrays with no dimension', () => {
    for (const [encode, type] of [
      [() => binaryTextArray([]), 'text'],
      [() => binaryJsonbArray([]), 'jsonb'],
      [() => binaryUuidArray([]), 'uuid'],
      [() => binaryInt8Array([]), 'bigint'],
      [() => binaryInt4Array([]), 'integer'],
      [() => binaryBoolArray([]), 'boolean'],
    ] as const)
      expect(readBinaryArray(encode())).toEqual({ type, values: [] });
  });
});
