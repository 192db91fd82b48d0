import { decodeFingerprint } from './text-fingerprint';
import {
  decodeStoredFingerprints,
  fingerprintTexts,
  numberBlockRange,
  overrideFromStored,
} from './incremental';
import { MAX_FINGERPRINTS_PER_NUMBER } from './campaign-links';
import { SCAM_SCRIPTS, seededRandom, unrelatedText, variantOf } from './spec-support';

describe('numberBlockRange', () => {
  it('holds exactly the numbers with the same first digits, byte by byte', () => {
    const block = numberBlockRange('+84987654321', 7);
    expect(block).toEqual({ lo: '+849876543', hi: '+849876544' });
    const inside = (n: string) => n >= block!.lo && n < block!.hi;
    expect(inside('+84987654300')).toBe(true);
    expect(inside('+84987654399')).toBe(true);
    expect(inside('+84987654400')).toBe(false);
    expect(inside('+84987654299')).toBe(false);
  });

  it('ends the last block of the plan at +85 and keeps leading zeros of the next prefix', () => {
    expect(numberBlockRange('+84999999912', 7)).toEqual({ lo: '+849999999', hi: '+85' });
    expect(numberBlockRange('+84000000912', 7)).toEqual({ lo: '+840000009', hi: '+840000010' });
  });

  it('has no block for a number abroad or too short', () => {
    expect(numberBlockRange('+12025550123', 7)).toBeNull();
    expect(numberBlockRange('+841234567', 7)).toBeNull();
  });
});

describe('fingerprintTexts', () => {
  it('fingerprints each distinct text once, skips empty ones, and gives their band keys', () => {
    const random = seededRandom(1);
    const script = SCAM_SCRIPTS[0] as string;
    const a = variantOf(random, script, 1);
    const taken = fingerprintTexts([a, a, null, '', '!!!', variantOf(random, script, 2)]);
    expect(taken.fingerprints).toHaveLength(2);
    expect(taken.fingerprints.every((code) => decodeFingerprint(code).ok)).toBe(true);
    expect(taken.bandKeys.length).toBeGreaterThanOrEqual(16);
    expect([...taken.bandKeys].sort()).toEqual(taken.bandKeys);
  });

  it('keeps at most the per-number cap of fingerprints', () => {
    const random = seededRandom(2);
    const texts = Array.from({ length: MAX_FINGERPRINTS_PER_NUMBER + 20 }, () => unrelatedText(random));
    expect(fingerprintTexts(texts).fingerprints).toHaveLength(MAX_FINGERPRINTS_PER_NUMBER);
  });

  it('round-trips through storage, leaving out what does not decode', () => {
    const { fingerprints } = fingerprintTexts([SCAM_SCRIPTS[3] as string]);
    const decoded = decodeStoredFingerprints([...fingerprints, 'mh9.1.abc', 'garbage']);
    expect(decoded).toHaveLength(1);
    expect(decodeStoredFingerprints(null)).toEqual([]);
  });
});

describe('overrideFromStored', () => {
  it('reads each kind of stored decision as the grouping takes it', () => {
    expect(overrideFromStored({ kind: 'merge', numbers: ['a', 'b'], otherNumbers: [], at: 1 })).toEqual({
      kind: 'merge',
      numbers: ['a', 'b'],
      at: 1,
    });
    expect(overrideFromStored({ kind: 'split', numbers: ['a'], otherNumbers: ['b', 'c'], at: 2 })).toEqual({
      kind: 'split',
      apart: [['a'], ['b', 'c']],
      at: 2,
    });
    expect(overrideFromStored({ kind: 'remove_member', numbers: ['a'], otherNumbers: ['b'], at: 3 })).toEqual(
      {
        kind: 'remove_member',
        number: 'a',
        from: ['b'],
        at: 3,
      },
    );
    expect(overrideFromStored({ kind: 'remove_member', numbers: [], otherNumbers: ['b'], at: 3 })).toBeNull();
  });
});
