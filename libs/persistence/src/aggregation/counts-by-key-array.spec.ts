import fc from 'fast-check';
import type { KindOrCategoryCount } from '@abuse-monitor/domain';
import { countsByKeyJson, nonZeroJson } from './counts-by-key-array';

const count = fc.oneof(fc.nat({ max: 3 }), fc.nat());
const key = fc.oneof(
  fc.constantFrom('spam_call', 'scam_call', 'debt_collection', 'unknown'),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom('"', '\\', 'a"b\\c', '{}', ',', 'NULL', ''),
);
const record = fc.dictionary(key, fc.record({ reports: count, distinctReporters: count }));

describe('countsByKeyJson', () => {
  it('writes nonZeroJson of each record, keys with no report left out', () => {
    fc.assert(
      fc.property(fc.array(record), (records) => {
        expect(countsByKeyJson(records)).toEqual(records.map(nonZeroJson));
      }),
    );
  });

  it('writes a number with one kind, one with none, and counts that are not integers as JSON does', () => {
    const one = {
      spam_call: { reports: 2, distinctReporters: 1 },
      scam_call: { reports: 0, distinctReporters: 0 },
    };
    expect(countsByKeyJson([one, {}])).toEqual(['{"spam_call":{"reports":2,"distinctReporters":1}}', '{}']);
    const odd: Record<string, KindOrCategoryCount>[] = [
      { a: { reports: 0.5, distinctReporters: 1 } },
      { b: { reports: 1, distinctReporters: NaN } },
    ];
    expect(countsByKeyJson(odd)).toEqual(odd.map(nonZeroJson));
    expect(countsByKeyJson([])).toEqual([]);
  });
});
