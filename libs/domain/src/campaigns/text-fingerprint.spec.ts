import {
  bandKeys,
  decodeFingerprint,
  encodeFingerprint,
  fingerprint,
  FINGERPRINT_BANDS,
  FINGERPRINT_SIZE,
  isEmptyFingerprint,
  normaliseForFingerprint,
  similarity,
} from './text-fingerprint';
import { generateCorpus } from './spec-support';
import { DEFAULT_CAMPAIGN_RULES } from './campaign-rules';

const SCRIPT =
  'Tôi là nhân viên ngân hàng Vietcombank, tài khoản của anh bị khóa, đọc mã OTP 482913 để mở lại ngay';
const THRESHOLD = DEFAULT_CAMPAIGN_RULES.contentSimilarity;

describe('normaliseForFingerprint', () => {
  it('folds diacritics (đ too), case, punctuation and spacing', () => {
    expect(normaliseForFingerprint('Đòi NỢ!!  khoản   vay…')).toBe('doi no khoan vay');
  });

  it('turns every run of words holding a digit into one class token', () => {
    expect(normaliseForFingerprint('Chuyển 5.000.000đ vào TK 0912 345 678!')).toBe('chuyen # vao tk #');
    expect(normaliseForFingerprint('mã OTP 482913, hạn 5p')).toBe('ma otp # han #');
    expect(normaliseForFingerprint('0912345678')).toBe('#');
  });

  it('drops invisible format characters instead of splitting a word at them', () => {
    expect(normaliseForFingerprint('ngân\u200Bhàng nh\u200Dà nước')).toBe('nganhang nha nuoc');
  });

  it('is empty for a text with no letter and no digit', () => {
    expect(normaliseForFingerprint(' ?!… \u200B ')).toBe('');
  });
});

describe('fingerprint and similarity', () => {
  it('gives similarity 1 to the same script however it is typed', () => {
    const typed = fingerprint(SCRIPT);
    const retyped = fingerprint(
      'TOI LA NHAN VIEN NGAN HANG VIETCOMBANK tai khoan cua anh bi khoa - doc ma otp 111 222 de mo lai ngay!!',
    );
    expect(similarity(typed, retyped)).toBe(1);
  });

  it('keeps a one-word edit above the match threshold and another script below it', () => {
    const edited = fingerprint(SCRIPT.replace('khóa', 'chặn'));
    const other = fingerprint(
      'Chúc mừng quý khách trúng thưởng xe máy SH trị giá 95.000.000đ, chuyển phí vào số 0912345678 để nhận',
    );
    expect(similarity(fingerprint(SCRIPT), edited)).toBeGreaterThanOrEqual(THRESHOLD);
    expect(similarity(fingerprint(SCRIPT), other)).toBeLessThan(0.3);
  });

  it('counts words other than digit runs', () => {
    expect(fingerprint('Gọi 0912345678 lừa đảo').wordCount).toBe(3);
    expect(fingerprint('0912 345 678').wordCount).toBe(0);
  });

  it('fingerprints a text shorter than a shingle', () => {
    const short = fingerprint('ok');
    expect(short.signature).toHaveLength(FINGERPRINT_SIZE);
    expect(similarity(short, fingerprint('OK!'))).toBe(1);
    expect(similarity(short, fingerprint('no'))).toBeLessThan(0.1);
  });

  it('makes an empty text similar to nothing, not even itself', () => {
    const empty = fingerprint('!!!');
    expect(isEmptyFingerprint(empty)).toBe(true);
    expect(similarity(empty, empty)).toBe(0);
    expect(similarity(empty, fingerprint(SCRIPT))).toBe(0);
    expect(bandKeys(empty)).toEqual([]);
  });

  it('gives one key per band, shared by equal texts', () => {
    const keys = bandKeys(fingerprint(SCRIPT));
    expect(keys).toHaveLength(FINGERPRINT_BANDS);
    expect(new Set(keys).size).toBe(FINGERPRINT_BANDS);
    expect(keys[3]).toMatch(/^b03:[0-9a-f]{16}$/);
    expect(bandKeys(fingerprint(SCRIPT.toUpperCase()))).toEqual(keys);
  });

  it('is the same fingerprint on every run (pinned encoding)', () => {
    // Fingerprints are stored: a change here makes stored ones incomparable and needs a new version.
    expect(encodeFingerprint(fingerprint('Lừa đảo'))).toBe(
      'mh1.2.Me0-MwBpN4BmoASBXb4YWyAMOpoh7XU4CfJU5277GNl4UxFvDqsG1yRWAqhOvhA_EZ1cNQmKW4YciUx4RHIlo0zKEjMSykqxFaQfVztTILYhvUrPS0Etfj5MgDZ7kx2OQEAdiQH5NDQadUy6AIps1AhoXyAXUQ_NTwN59GYXNsc',
    );
  });
});

describe('on the generated corpus (decision 0050)', () => {
  // 500 pairs of each kind keep this quick; decision 0050's figures come from 10,000.
  const corpus = generateCorpus(20261204, 500);
  const printed = (pairs: readonly (readonly [string, string])[]) =>
    pairs.map(([a, b]) => [fingerprint(a), fingerprint(b)] as const);
  const sameScript = printed(corpus.sameScript);
  const different = printed(corpus.different);
  const matchRate = (pairs: typeof sameScript) =>
    pairs.filter(([a, b]) => similarity(a, b) >= THRESHOLD).length / pairs.length;

  it('matches variants of one script at the default threshold (miss rate under 8%)', () => {
    expect(matchRate(sameScript)).toBeGreaterThan(0.92);
  });

  it('does not match different scripts or other texts (false-match rate under 0.2%)', () => {
    expect(matchRate(different)).toBeLessThan(0.002);
  });

  it('finds nearly every matching pair through a shared band key', () => {
    const matching = sameScript.filter(([a, b]) => similarity(a, b) >= THRESHOLD);
    const found = matching.filter(([a, b]) => {
      const keys = new Set(bandKeys(a));
      return bandKeys(b).some((key) => keys.has(key));
    });
    expect(found.length / matching.length).toBeGreaterThan(0.98);
  });
});

describe('encodeFingerprint and decodeFingerprint', () => {
  it('round-trips a fingerprint in under 200 ASCII characters', () => {
    const original = fingerprint(SCRIPT);
    const encoded = encodeFingerprint(original);
    expect(encoded.length).toBeLessThan(200);
    expect(encoded).toMatch(/^mh1\.\d+\.[A-Za-z0-9_-]+$/);
    const decoded = decodeFingerprint(encoded);
    expect(decoded).toEqual({ ok: true, fingerprint: original });
  });

  it('round-trips the empty fingerprint', () => {
    expect(encodeFingerprint(fingerprint(''))).toBe('mh1.0.');
    expect(decodeFingerprint('mh1.0.')).toEqual({
      ok: true,
      fingerprint: { signature: new Uint16Array(0), wordCount: 0 },
    });
  });

  it.each([
    [42, 'not_a_string'],
    [null, 'not_a_string'],
    ['mh2.3.AAAA', 'unknown_version'],
    ['mh1.3', 'malformed'],
    ['mh1.x.AAAA', 'malformed'],
    ['mh1.01.AAAA', 'malformed'],
    ['mh1.3.', 'malformed'],
    ['mh1.3.AAAA', 'malformed'],
    ['mh1.3.' + '*'.repeat(171), 'malformed'],
    ['mh1.3.' + 'A'.repeat(170) + 'B', 'malformed'], // unused low bits set
    ['mh1.3.' + 'A'.repeat(172), 'malformed'],
  ])('refuses %p as %s', (input, problem) => {
    expect(decodeFingerprint(input)).toEqual({ ok: false, problem });
  });
});
