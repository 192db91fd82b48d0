/**
 * Real-looking report texts with the exact result expected from parseReportText, grouped by the
 * behaviour they show. Expected values are written by hand from DOMAIN.md and the keyword table,
 * never computed with the code under test.
 */
import type { Carrier } from '../src/numbering/carriers';
import type { Category } from '../src/categories/category-keywords';
import type { NumberType } from '../src/numbering/vietnam-numbering-plan';
import type { NotAReportKind, RejectionReason } from '../src/rejection';
import type { ReportKind } from '../src/report-kind';

export interface ExpectedReport {
  readonly kind: ReportKind;
  readonly reportedNumber: string;
  readonly numberType: NumberType;
  readonly carrier: Carrier | null;
  readonly convertedFromLegacy: boolean;
  readonly content: string | null;
  readonly category: Category;
  readonly categoryKeyword: string | null;
}

/** What the result must equal, `detail` (free text for logs) left out. */
export type ExpectedResult =
  | { readonly ok: true; readonly report: ExpectedReport }
  | { readonly ok: false; readonly reason: RejectionReason; readonly notAReportKind?: NotAReportKind };

export interface ReportCase {
  readonly text: string;
  readonly reporter?: string;
  readonly protectedNumbers?: readonly string[];
  readonly maxLength?: number;
  readonly expected: ExpectedResult;
}

export interface ReportCaseGroup {
  readonly behaviour: string;
  readonly cases: readonly ReportCase[];
}

const KIND_BY_KEYWORD = { V: 'spam_call', S: 'spam_sms', LD: 'scam_call' } as const;

interface ReportDetails {
  readonly numberType?: NumberType;
  readonly legacy?: boolean;
  readonly category?: Category;
  readonly keyword?: string;
}

/** An accepted report; mobile, not converted, category unknown unless said otherwise. */
function report(
  keyword: keyof typeof KIND_BY_KEYWORD,
  reportedNumber: string,
  carrier: Carrier | null,
  content: string | null,
  details: ReportDetails = {},
): ExpectedResult {
  return {
    ok: true,
    report: {
      kind: KIND_BY_KEYWORD[keyword],
      reportedNumber,
      numberType: details.numberType ?? 'mobile',
      carrier,
      convertedFromLegacy: details.legacy ?? false,
      content,
      category: details.category ?? 'unknown',
      categoryKeyword: details.keyword ?? null,
    },
  };
}

function rejected(reason: Exclude<RejectionReason, 'not_a_report'>): ExpectedResult {
  return { ok: false, reason };
}

function notAReport(notAReportKind: NotAReportKind): ExpectedResult {
  return { ok: false, reason: 'not_a_report', notAReportKind };
}

const VINA = '+84912345678';
const ADVERT = { category: 'advertising', keyword: 'quang cao' } as const;

export const REPORT_CASE_GROUPS: readonly ReportCaseGroup[] = [
  {
    behaviour: 'accepts the documented forms with the number bare, in square brackets or in parentheses',
    cases: [
      { text: 'V 0912345678 goi lam phien', expected: report('V', VINA, 'vinaphone', 'goi lam phien') },
      { text: 'V [0912345678][goi lam phien]', expected: report('V', VINA, 'vinaphone', 'goi lam phien') },
      { text: 'V (0912345678)(goi lam phien)', expected: report('V', VINA, 'vinaphone', 'goi lam phien') },
      {
        text: 'V(0812341213) lua dao',
        expected: report('V', '+84812341213', 'vinaphone', 'lua dao', {
          category: 'scam_other',
          keyword: 'lua dao',
        }),
      },
      { text: 'V [0912345678] [goi lam phien]', expected: report('V', VINA, 'vinaphone', 'goi lam phien') },
      { text: 'V (0912345678) (goi lam phien)', expected: report('V', VINA, 'vinaphone', 'goi lam phien') },
      { text: 'V[0912345678][goi lam phien]', expected: report('V', VINA, 'vinaphone', 'goi lam phien') },
      { text: 'V [0912345678]', expected: report('V', VINA, 'vinaphone', null) },
      { text: 'V (0912345678)', expected: report('V', VINA, 'vinaphone', null) },
      { text: 'V [0912345678][]', expected: report('V', VINA, 'vinaphone', null) },
      { text: 'V [0912345678 goi lam phien]', expected: report('V', VINA, 'vinaphone', 'goi lam phien') },
      { text: 'V [0912345678][goi lam phien', expected: report('V', VINA, 'vinaphone', 'goi lam phien') },
      { text: 'V [0912345678 ', expected: report('V', VINA, 'vinaphone', null) },
      { text: 'V 0912345678', expected: report('V', VINA, 'vinaphone', null) },
      {
        text: 'V ［0912345678］［goi lam phien］',
        expected: report('V', VINA, 'vinaphone', 'goi lam phien'),
      },
      { text: 'V （0912345678）goi lam phien', expected: report('V', VINA, 'vinaphone', 'goi lam phien') },
      {
        text: 'V 0912345678 (goi 3 lan) lam phien',
        expected: report('V', VINA, 'vinaphone', '(goi 3 lan) lam phien'),
      },
    ],
  },
  {
    behaviour: 'tolerates missing, extra and odd white space and punctuation around the keyword and number',
    cases: [
      { text: 'v 0912345678 goi lam phien', expected: report('V', VINA, 'vinaphone', 'goi lam phien') },
      { text: 'V: 0912345678 goi lam phien', expected: report('V', VINA, 'vinaphone', 'goi lam phien') },
      { text: 'V:0912345678 goi lam phien', expected: report('V', VINA, 'vinaphone', 'goi lam phien') },
      { text: 'V :0912345678', expected: report('V', VINA, 'vinaphone', null) },
      { text: 'V0912345678 goi lam phien', expected: report('V', VINA, 'vinaphone', 'goi lam phien') },
      {
        text: '  V   0912345678   goi lam phien  ',
        expected: report('V', VINA, 'vinaphone', 'goi lam phien'),
      },
      { text: 'V\t0912345678\tgoi lam phien', expected: report('V', VINA, 'vinaphone', 'goi lam phien') },
      {
        text: 'V\u00a00912345678\u00a0goi lam phien',
        expected: report('V', VINA, 'vinaphone', 'goi lam phien'),
      },
      { text: 'V\n0912345678\ngoi lam phien', expected: report('V', VINA, 'vinaphone', 'goi lam phien') },
      {
        text: '\u200bV 0912\u200b345678 goi\u200b lam phien',
        expected: report('V', VINA, 'vinaphone', 'goi lam phien'),
      },
      { text: '\ufeffV 0912345678\r\n', expected: report('V', VINA, 'vinaphone', null) },
      { text: 'V 0912345678: goi lam phien', expected: report('V', VINA, 'vinaphone', 'goi lam phien') },
      { text: 'V 0912345678 - goi lam phien', expected: report('V', VINA, 'vinaphone', 'goi lam phien') },
      { text: 'V - 0912345678 goi lam phien', expected: report('V', VINA, 'vinaphone', 'goi lam phien') },
      { text: 'V 0912345678, goi lam phien', expected: report('V', VINA, 'vinaphone', 'goi lam phien') },
      { text: 'V 0912345678goi lam phien', expected: report('V', VINA, 'vinaphone', 'goi lam phien') },
      {
        text: 'V\u3000０９１２３４５６７８\u3000goi lam phien',
        expected: report('V', VINA, 'vinaphone', 'goi lam phien'),
      },
      {
        text: 'V 0912345678 goi\u0000lam\u0007phien',
        expected: report('V', VINA, 'vinaphone', 'goi lam phien'),
      },
    ],
  },
  {
    behaviour: 'reads the number in every notation people use',
    cases: [
      { text: 'V 0912.345.678 quang cao', expected: report('V', VINA, 'vinaphone', 'quang cao', ADVERT) },
      { text: 'V 0912 345 678 quang cao', expected: report('V', VINA, 'vinaphone', 'quang cao', ADVERT) },
      { text: 'V 0912-345-678 quang cao', expected: report('V', VINA, 'vinaphone', 'quang cao', ADVERT) },
      { text: 'V 091 234 5678 quang cao', expected: report('V', VINA, 'vinaphone', 'quang cao', ADVERT) },
      { text: 'V 0912–345–678 quang cao', expected: report('V', VINA, 'vinaphone', 'quang cao', ADVERT) },
      { text: 'V 0912 . 345 . 678 quang cao', expected: report('V', VINA, 'vinaphone', 'quang cao', ADVERT) },
      { text: 'V 0912/345/678 quang cao', expected: report('V', VINA, 'vinaphone', 'quang cao', ADVERT) },
      { text: 'V +84912345678 quang cao', expected: report('V', VINA, 'vinaphone', 'quang cao', ADVERT) },
      { text: 'V +84 912 345 678 quang cao', expected: report('V', VINA, 'vinaphone', 'quang cao', ADVERT) },
      {
        text: 'V (+84) 912 345 678 quang cao',
        expected: report('V', VINA, 'vinaphone', 'quang cao', ADVERT),
      },
      { text: 'V +840912345678 quang cao', expected: report('V', VINA, 'vinaphone', 'quang cao', ADVERT) },
      { text: 'V 84912345678 quang cao', expected: report('V', VINA, 'vinaphone', 'quang cao', ADVERT) },
      { text: 'V 0084912345678 quang cao', expected: report('V', VINA, 'vinaphone', 'quang cao', ADVERT) },
      { text: 'V 0084 912 345 678 quang cao', expected: report('V', VINA, 'vinaphone', 'quang cao', ADVERT) },
      { text: 'V 912345678 quang cao', expected: report('V', VINA, 'vinaphone', 'quang cao', ADVERT) },
      {
        text: 'V ０９１２３４５６７８ quang cao',
        expected: report('V', VINA, 'vinaphone', 'quang cao', ADVERT),
      },
      {
        text: 'V ０９１２.３４５.６７８ quang cao',
        expected: report('V', VINA, 'vinaphone', 'quang cao', ADVERT),
      },
      {
        text: 'V ＋８４９１２３４５６７８ quang cao',
        expected: report('V', VINA, 'vinaphone', 'quang cao', ADVERT),
      },
      { text: 'V ٠٩١٢٣٤٥٦٧٨ quang cao', expected: report('V', VINA, 'vinaphone', 'quang cao', ADVERT) },
      { text: 'V ०९१२३४५६७८ quang cao', expected: report('V', VINA, 'vinaphone', 'quang cao', ADVERT) },
      { text: 'V 𝟎𝟗𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖 quang cao', expected: report('V', VINA, 'vinaphone', 'quang cao', ADVERT) },
      {
        text: 'V 841234567 quang cao',
        expected: report('V', '+84841234567', 'vinaphone', 'quang cao', ADVERT),
      },
    ],
  },
  {
    behaviour: 'takes the longest valid reading of the digit groups when the content starts with digits',
    cases: [
      { text: 'V 0912345678 3 cuoc goi', expected: report('V', VINA, 'vinaphone', '3 cuoc goi') },
      { text: 'V 0912 345 678 2 lan', expected: report('V', VINA, 'vinaphone', '2 lan') },
      {
        text: 'V 0912.345.678 5 cuoc goi nho',
        expected: report('V', VINA, 'vinaphone', '5 cuoc goi nho', {
          category: 'missed_call_bait',
          keyword: 'cuoc goi nho',
        }),
      },
      {
        text: 'S 0987654321 10 tin nhan quang cao',
        expected: report('S', '+84987654321', 'viettel', '10 tin nhan quang cao', ADVERT),
      },
      {
        text: 'V 0162 345 6789 2 lan',
        expected: report('V', '+84323456789', 'viettel', '2 lan', { legacy: true }),
      },
      {
        text: 'V 024 3812 3456 1 lan',
        expected: report('V', '+842438123456', null, '1 lan', { numberType: 'fixed_line' }),
      },
      { text: 'V 0912345678 0912345678', expected: report('V', VINA, 'vinaphone', '0912345678') },
      { text: 'LD 0912345678 100 trieu', expected: report('LD', VINA, 'vinaphone', '100 trieu') },
      {
        text: 'V 0912345678 1 hoi chuong',
        expected: report('V', VINA, 'vinaphone', '1 hoi chuong', {
          category: 'missed_call_bait',
          keyword: '1 hoi chuong',
        }),
      },
      { text: 'V 84912345678 3 lan', expected: report('V', VINA, 'vinaphone', '3 lan') },
      { text: 'V 0912345678\n2 cuoc', expected: report('V', VINA, 'vinaphone', '2 cuoc') },
      { text: 'V 0912345678 (3 cuoc goi)', expected: report('V', VINA, 'vinaphone', '3 cuoc goi') },
      { text: 'V [0912345678][3 cuoc goi]', expected: report('V', VINA, 'vinaphone', '3 cuoc goi') },
      {
        text: 'S 0912 345 678 2024 khuyen mai',
        expected: report('S', VINA, 'vinaphone', '2024 khuyen mai', {
          category: 'advertising',
          keyword: 'khuyen mai',
        }),
      },
    ],
  },
  {
    behaviour: 'names the carrier of original allocation for every mobile prefix',
    cases: [
      { text: 'V 0861234567', expected: report('V', '+84861234567', 'viettel', null) },
      { text: 'V 0961234567', expected: report('V', '+84961234567', 'viettel', null) },
      { text: 'V 0971234567', expected: report('V', '+84971234567', 'viettel', null) },
      { text: 'V 0981234567', expected: report('V', '+84981234567', 'viettel', null) },
      { text: 'S 0321234567', expected: report('S', '+84321234567', 'viettel', null) },
      { text: 'S 0331234567', expected: report('S', '+84331234567', 'viettel', null) },
      { text: 'S 0341234567', expected: report('S', '+84341234567', 'viettel', null) },
      { text: 'S 0351234567', expected: report('S', '+84351234567', 'viettel', null) },
      { text: 'LD 0361234567', expected: report('LD', '+84361234567', 'viettel', null) },
      { text: 'LD 0371234567', expected: report('LD', '+84371234567', 'viettel', null) },
      { text: 'LD 0381234567', expected: report('LD', '+84381234567', 'viettel', null) },
      { text: 'LD 0391234567', expected: report('LD', '+84391234567', 'viettel', null) },
      { text: 'V 0811234567', expected: report('V', '+84811234567', 'vinaphone', null) },
      { text: 'V 0821234567', expected: report('V', '+84821234567', 'vinaphone', null) },
      { text: 'V 0831234567', expected: report('V', '+84831234567', 'vinaphone', null) },
      { text: 'V 0841234567', expected: report('V', '+84841234567', 'vinaphone', null) },
      { text: 'S 0851234567', expected: report('S', '+84851234567', 'vinaphone', null) },
      { text: 'S 0881234567', expected: report('S', '+84881234567', 'vinaphone', null) },
      { text: 'S 0911234567', expected: report('S', '+84911234567', 'vinaphone', null) },
      { text: 'S 0941234567', expected: report('S', '+84941234567', 'vinaphone', null) },
      { text: 'LD 0701234567', expected: report('LD', '+84701234567', 'mobifone', null) },
      { text: 'LD 0761234567', expected: report('LD', '+84761234567', 'mobifone', null) },
      { text: 'LD 0771234567', expected: report('LD', '+84771234567', 'mobifone', null) },
      { text: 'LD 0781234567', expected: report('LD', '+84781234567', 'mobifone', null) },
      { text: 'V 0791234567', expected: report('V', '+84791234567', 'mobifone', null) },
      { text: 'V 0896123456', expected: report('V', '+84896123456', 'mobifone', null) },
      { text: 'V 0901234567', expected: report('V', '+84901234567', 'mobifone', null) },
      { text: 'V 0931234567', expected: report('V', '+84931234567', 'mobifone', null) },
      { text: 'S 0561234567', expected: report('S', '+84561234567', 'vietnamobile', null) },
      { text: 'S 0581234567', expected: report('S', '+84581234567', 'vietnamobile', null) },
      { text: 'S 0921234567', expected: report('S', '+84921234567', 'vietnamobile', null) },
      { text: 'S 0522123456', expected: report('S', '+84522123456', 'vietnamobile', null) },
      { text: 'LD 0591234567', expected: report('LD', '+84591234567', 'gmobile', null) },
      { text: 'LD 0991234567', expected: report('LD', '+84991234567', 'gmobile', null) },
      { text: 'V 0871234567', expected: report('V', '+84871234567', 'itelecom', null) },
      { text: 'V 0559123456', expected: report('V', '+84559123456', 'reddi', null) },
      { text: 'V 0511234567', expected: report('V', '+84511234567', null, null) },
    ],
  },
  {
    behaviour: 'converts every pre-2018 11-digit mobile prefix and keeps the last 7 digits',
    cases: [
      { text: 'V 01621234567', expected: report('V', '+84321234567', 'viettel', null, { legacy: true }) },
      { text: 'V 0163 123 4567', expected: report('V', '+84331234567', 'viettel', null, { legacy: true }) },
      { text: 'V 0164.123.4567', expected: report('V', '+84341234567', 'viettel', null, { legacy: true }) },
      { text: 'V 0165-123-4567', expected: report('V', '+84351234567', 'viettel', null, { legacy: true }) },
      { text: 'S 01662345678', expected: report('S', '+84362345678', 'viettel', null, { legacy: true }) },
      {
        text: 'S +84 167 123 4567',
        expected: report('S', '+84371234567', 'viettel', null, { legacy: true }),
      },
      { text: 'S 841681234567', expected: report('S', '+84381234567', 'viettel', null, { legacy: true }) },
      { text: 'S 00841691234567', expected: report('S', '+84391234567', 'viettel', null, { legacy: true }) },
      { text: 'LD 01201234567', expected: report('LD', '+84701234567', 'mobifone', null, { legacy: true }) },
      { text: 'LD 01211234567', expected: report('LD', '+84791234567', 'mobifone', null, { legacy: true }) },
      { text: 'LD 01221234567', expected: report('LD', '+84771234567', 'mobifone', null, { legacy: true }) },
      { text: 'LD 01261234567', expected: report('LD', '+84761234567', 'mobifone', null, { legacy: true }) },
      { text: 'LD 01281234567', expected: report('LD', '+84781234567', 'mobifone', null, { legacy: true }) },
      { text: 'V 01231234567', expected: report('V', '+84831234567', 'vinaphone', null, { legacy: true }) },
      { text: 'V 01241234567', expected: report('V', '+84841234567', 'vinaphone', null, { legacy: true }) },
      { text: 'V 01251234567', expected: report('V', '+84851234567', 'vinaphone', null, { legacy: true }) },
      { text: 'V 01271234567', expected: report('V', '+84811234567', 'vinaphone', null, { legacy: true }) },
      { text: 'V 01291234567', expected: report('V', '+84821234567', 'vinaphone', null, { legacy: true }) },
      {
        text: 'V 01861234567',
        expected: report('V', '+84561234567', 'vietnamobile', null, { legacy: true }),
      },
      {
        text: 'V 01881234567',
        expected: report('V', '+84581234567', 'vietnamobile', null, { legacy: true }),
      },
      { text: 'V 01991234567', expected: report('V', '+84591234567', 'gmobile', null, { legacy: true }) },
      {
        text: 'V ０１６６２３４５６７８',
        expected: report('V', '+84362345678', 'viettel', null, { legacy: true }),
      },
      {
        text: 'V [0166.234.5678][Đòi nợ]',
        expected: report('V', '+84362345678', 'viettel', 'Đòi nợ', {
          legacy: true,
          category: 'debt_collection',
          keyword: 'doi no',
        }),
      },
    ],
  },
  {
    behaviour: 'accepts fixed-line, toll-free, premium and other valid numbers without a carrier',
    cases: [
      {
        text: 'V 02438123456 quang cao bat dong san',
        expected: report('V', '+842438123456', null, 'quang cao bat dong san', {
          numberType: 'fixed_line',
          category: 'advertising',
          keyword: 'bat dong san',
        }),
      },
      {
        text: 'V 0213 3123 456',
        expected: report('V', '+842133123456', null, null, { numberType: 'fixed_line' }),
      },
      {
        text: 'V 028.3812.3456',
        expected: report('V', '+842838123456', null, null, { numberType: 'fixed_line' }),
      },
      {
        text: 'V (024) 3812 3456 quang cao',
        expected: report('V', '+842438123456', null, 'quang cao', { numberType: 'fixed_line', ...ADVERT }),
      },
      { text: 'S 18001234', expected: report('S', '+8418001234', null, null, { numberType: 'toll_free' }) },
      {
        text: 'V 1800 123 456',
        expected: report('V', '+841800123456', null, null, { numberType: 'toll_free' }),
      },
      {
        text: 'V 1900 1234 tro choi',
        expected: report('V', '+8419001234', null, 'tro choi', { numberType: 'premium' }),
      },
      { text: 'V 1900.6789', expected: report('V', '+8419006789', null, null, { numberType: 'premium' }) },
      {
        text: 'V +84 1900 6789',
        expected: report('V', '+8419006789', null, null, { numberType: 'premium' }),
      },
      { text: 'V 0672123456', expected: report('V', '+84672123456', null, null, { numberType: 'other' }) },
      { text: 'V 0140123456', expected: report('V', '+84140123456', null, null) },
    ],
  },
  {
    behaviour: 'recognises the keywords V, S and LD in any case, and only as a word at the start',
    cases: [
      {
        text: 'S 0912345678 tin nhan quang cao',
        expected: report('S', VINA, 'vinaphone', 'tin nhan quang cao', ADVERT),
      },
      { text: 's 0912345678', expected: report('S', VINA, 'vinaphone', null) },
      {
        text: 'S[0912345678][khuyen mai]',
        expected: report('S', VINA, 'vinaphone', 'khuyen mai', {
          category: 'advertising',
          keyword: 'khuyen mai',
        }),
      },
      {
        text: 'LD 0912345678 gia danh cong an',
        expected: report('LD', VINA, 'vinaphone', 'gia danh cong an', {
          category: 'impersonation',
          keyword: 'gia danh',
        }),
      },
      { text: 'ld 0912345678', expected: report('LD', VINA, 'vinaphone', null) },
      { text: 'Ld 0912345678', expected: report('LD', VINA, 'vinaphone', null) },
      { text: 'lD 0912345678', expected: report('LD', VINA, 'vinaphone', null) },
      { text: 'LĐ 0912345678', expected: report('LD', VINA, 'vinaphone', null) },
      { text: 'LD:0912345678', expected: report('LD', VINA, 'vinaphone', null) },
      {
        text: 'LD(0912345678)(mao danh ngan hang)',
        expected: report('LD', VINA, 'vinaphone', 'mao danh ngan hang', {
          category: 'impersonation',
          keyword: 'mao danh',
        }),
      },
      { text: 'Ｖ ０９１２３４５６７８', expected: report('V', VINA, 'vinaphone', null) },
      { text: 'VD 0912345678', expected: rejected('no_keyword') },
      { text: 'Vang 0912345678', expected: rejected('no_keyword') },
      { text: 'Ví dụ V 0912345678', expected: rejected('no_keyword') },
      { text: 'Số 0912345678 goi lam phien', expected: rejected('no_keyword') },
      { text: 'LDX 0912345678', expected: rejected('no_keyword') },
      { text: 'L 0912345678', expected: rejected('no_keyword') },
      { text: 'SOS', expected: rejected('no_keyword') },
    ],
  },
  {
    behaviour: 'rejects texts without a keyword',
    cases: [
      { text: 'Xin chao', expected: rejected('no_keyword') },
      { text: '0912345678 goi lam phien', expected: rejected('no_keyword') },
      { text: 'Vui long kiem tra so 0912345678', expected: rejected('no_keyword') },
      { text: 'DK', expected: rejected('no_keyword') },
      { text: 'HUY', expected: rejected('no_keyword') },
      { text: 'FWD quang cao', expected: rejected('no_keyword') },
      { text: '[0912345678][goi lam phien]', expected: rejected('no_keyword') },
    ],
  },
  {
    behaviour: 'rejects empty texts',
    cases: [
      { text: '', expected: rejected('empty') },
      { text: '   ', expected: rejected('empty') },
      { text: '\t\r\n', expected: rejected('empty') },
      { text: '\u200b\ufeff', expected: rejected('empty') },
      { text: '\u0000\u0001', expected: rejected('empty') },
    ],
  },
  {
    behaviour: 'rejects reports without a number',
    cases: [
      { text: 'V', expected: rejected('no_number') },
      { text: 'V ', expected: rejected('no_number') },
      { text: 'V: ', expected: rejected('no_number') },
      { text: 'V goi lam phien', expected: rejected('no_number') },
      { text: 'S [][quang cao]', expected: rejected('no_number') },
      { text: 'LD ()', expected: rejected('no_number') },
      { text: 'V +', expected: rejected('no_number') },
      { text: 'V [noi dung]', expected: rejected('no_number') },
    ],
  },
  {
    behaviour: 'rejects numbers that are not valid Vietnamese numbers',
    cases: [
      { text: 'V 12345', expected: rejected('invalid_number') },
      { text: 'V 0912345', expected: rejected('invalid_number') },
      { text: 'V 091234567890', expected: rejected('invalid_number') },
      { text: 'V 0211234567', expected: rejected('invalid_number') },
      { text: 'V +1 202 555 0100', expected: rejected('invalid_number') },
      { text: 'V 00912345678', expected: rejected('invalid_number') },
      { text: 'V 0162 123 456', expected: rejected('invalid_number') },
      { text: 'V 012345678901234567890', expected: rejected('invalid_number') },
      { text: 'V [0912][goi lam phien]', expected: rejected('invalid_number') },
    ],
  },
  {
    behaviour: 'never accepts emergency, reporting or configured protected numbers',
    cases: [
      { text: 'V 111', expected: rejected('protected_number') },
      { text: 'V 112', expected: rejected('protected_number') },
      { text: 'V 113', expected: rejected('protected_number') },
      { text: 'V 114', expected: rejected('protected_number') },
      { text: 'V 115 goi lam phien', expected: rejected('protected_number') },
      { text: 'V 156', expected: rejected('protected_number') },
      { text: 'LD 5656 gia mao', expected: rejected('protected_number') },
      { text: 'V [113][goi lam phien]', expected: rejected('protected_number') },
      { text: 'V +84 113', expected: rejected('protected_number') },
      { text: 'V 18001091', protectedNumbers: ['1800 1091'], expected: rejected('protected_number') },
      { text: 'V 0912.345.678', protectedNumbers: ['+84912345678'], expected: rejected('protected_number') },
      { text: 'V 9090', protectedNumbers: ['9090'], expected: rejected('protected_number') },
      { text: 'V 18001091', expected: report('V', '+8418001091', null, null, { numberType: 'toll_free' }) },
    ],
  },
  {
    behaviour: 'rejects a reporter reporting their own number, in any notation',
    cases: [
      { text: 'V 0912345678', reporter: '0912345678', expected: rejected('self_report') },
      { text: 'V 0912.345.678 goi lam phien', reporter: '+84912345678', expected: rejected('self_report') },
      { text: 'S 0362345678', reporter: '01662345678', expected: rejected('self_report') },
      { text: 'V 0912345678', reporter: '84987654321', expected: report('V', VINA, 'vinaphone', null) },
      { text: 'V 0912345678', reporter: 'khong ro', expected: report('V', VINA, 'vinaphone', null) },
    ],
  },
  {
    behaviour: 'rejects texts longer than the maximum before reading them',
    cases: [
      { text: `V 0912345678 ${'a'.repeat(468)}`, expected: rejected('too_long') },
      { text: `V 0912345678 ${'a'.repeat(467)}`, expected: report('V', VINA, 'vinaphone', 'a'.repeat(467)) },
      { text: 'V 0912345678 goi lam phien', maxLength: 20, expected: rejected('too_long') },
      { text: '0'.repeat(1_000_000), expected: rejected('too_long') },
    ],
  },
  {
    behaviour: 'recognises do-not-call and forward texts as not reports',
    cases: [
      { text: 'DK DNC', expected: notAReport('dnc_register') },
      { text: 'dk dnc', expected: notAReport('dnc_register') },
      { text: 'DK DNC S', expected: notAReport('dnc_register') },
      { text: 'DK DNC V', expected: notAReport('dnc_register') },
      { text: '  DK  DNC V  ', expected: notAReport('dnc_register') },
      { text: 'DKDNC', expected: notAReport('dnc_register') },
      { text: 'ĐK DNC', expected: notAReport('dnc_register') },
      { text: 'HUY DNC', expected: notAReport('dnc_cancel') },
      { text: 'huy dnc', expected: notAReport('dnc_cancel') },
      { text: 'HỦY DNC', expected: notAReport('dnc_cancel') },
      { text: 'FW Mua ban dat nen gia re lien he 0912345678', expected: notAReport('forward') },
      { text: 'FW: khuyen mai 50%', expected: notAReport('forward') },
      { text: 'fw', expected: notAReport('forward') },
    ],
  },
  {
    behaviour: 'categorises the content with and without diacritics',
    cases: [
      {
        text: 'V 0912345678 Đòi nợ khoản vay',
        expected: report('V', VINA, 'vinaphone', 'Đòi nợ khoản vay', {
          category: 'debt_collection',
          keyword: 'doi no',
        }),
      },
      {
        text: 'V 0912345678 doi no khoan vay',
        expected: report('V', VINA, 'vinaphone', 'doi no khoan vay', {
          category: 'debt_collection',
          keyword: 'doi no',
        }),
      },
      {
        text: 'V 0912345678 thu hoi no qua han',
        expected: report('V', VINA, 'vinaphone', 'thu hoi no qua han', {
          category: 'debt_collection',
          keyword: 'thu hoi no',
        }),
      },
      {
        text: 'LD 0912345678 Giả danh công an yêu cầu chuyển tiền',
        expected: report('LD', VINA, 'vinaphone', 'Giả danh công an yêu cầu chuyển tiền', {
          category: 'impersonation',
          keyword: 'gia danh',
        }),
      },
      {
        text: 'LD 0912345678 cong an phuong goi dien',
        expected: report('LD', VINA, 'vinaphone', 'cong an phuong goi dien', {
          category: 'impersonation',
          keyword: 'cong an phuong',
        }),
      },
      {
        text: 'LD 0912345678 tu xung vien kiem sat',
        expected: report('LD', VINA, 'vinaphone', 'tu xung vien kiem sat', {
          category: 'impersonation',
          keyword: 'vien kiem sat',
        }),
      },
      {
        text: 'LD 0912345678 Nhân viên điện lực báo cắt điện',
        expected: report('LD', VINA, 'vinaphone', 'Nhân viên điện lực báo cắt điện', {
          category: 'impersonation',
          keyword: 'dien luc',
        }),
      },
      {
        text: 'LD 0912345678 chi cuc thue yeu cau nop phat',
        expected: report('LD', VINA, 'vinaphone', 'chi cuc thue yeu cau nop phat', {
          category: 'impersonation',
          keyword: 'chi cuc thue',
        }),
      },
      {
        text: 'LD 0912345678 Bảo hiểm xã hội',
        expected: report('LD', VINA, 'vinaphone', 'Bảo hiểm xã hội', {
          category: 'impersonation',
          keyword: 'bao hiem xa hoi',
        }),
      },
      {
        text: 'LD 0912345678 trung thuong xe may',
        expected: report('LD', VINA, 'vinaphone', 'trung thuong xe may', {
          category: 'scam_other',
          keyword: 'trung thuong',
        }),
      },
      {
        text: 'LD 0912345678 tuyen cong tac vien viec nhe luong cao',
        expected: report('LD', VINA, 'vinaphone', 'tuyen cong tac vien viec nhe luong cao', {
          category: 'scam_other',
          keyword: 'viec nhe luong cao',
        }),
      },
      {
        text: 'V 0912345678 moi dau tu tien ao',
        expected: report('V', VINA, 'vinaphone', 'moi dau tu tien ao', {
          category: 'scam_other',
          keyword: 'dau tu',
        }),
      },
      {
        text: 'S 0912345678 nha cai uy tin',
        expected: report('S', VINA, 'vinaphone', 'nha cai uy tin', {
          category: 'gambling',
          keyword: 'nha cai',
        }),
      },
      {
        text: 'S 0912345678 Cá cược bóng đá',
        expected: report('S', VINA, 'vinaphone', 'Cá cược bóng đá', {
          category: 'gambling',
          keyword: 'ca cuoc',
        }),
      },
      {
        text: 'V 0912345678 Vay tiền nhanh giải ngân trong ngày',
        expected: report('V', VINA, 'vinaphone', 'Vay tiền nhanh giải ngân trong ngày', {
          category: 'loan_offer',
          keyword: 'vay tien',
        }),
      },
      {
        text: 'V 0912345678 ho tro vay von lai suat thap',
        expected: report('V', VINA, 'vinaphone', 'ho tro vay von lai suat thap', {
          category: 'loan_offer',
          keyword: 'vay von',
        }),
      },
      {
        text: 'V 0912345678 moi mua can ho du an',
        expected: report('V', VINA, 'vinaphone', 'moi mua can ho du an', {
          category: 'advertising',
          keyword: 'du an',
        }),
      },
      {
        text: 'V 0912345678 Quảng cáo bất động sản',
        expected: report('V', VINA, 'vinaphone', 'Quảng cáo bất động sản', {
          category: 'advertising',
          keyword: 'bat dong san',
        }),
      },
      {
        text: 'V 0912345678 tour du lich gia re',
        expected: report('V', VINA, 'vinaphone', 'tour du lich gia re', {
          category: 'advertising',
          keyword: 'du lich',
        }),
      },
      {
        text: 'V 0912345678 cho thuê nhà',
        expected: report('V', VINA, 'vinaphone', 'cho thuê nhà', {
          category: 'advertising',
          keyword: 'cho thue',
        }),
      },
      {
        text: 'V 0912345678 nhay may roi tat',
        expected: report('V', VINA, 'vinaphone', 'nhay may roi tat', {
          category: 'missed_call_bait',
          keyword: 'nhay may',
        }),
      },
      {
        text: 'V 0912345678 Nháy máy',
        expected: report('V', VINA, 'vinaphone', 'Nháy máy', {
          category: 'missed_call_bait',
          keyword: 'nhay may',
        }),
      },
      {
        text: 'V 0912345678 GỌI NHỠ',
        expected: report('V', VINA, 'vinaphone', 'GỌI NHỠ', {
          category: 'missed_call_bait',
          keyword: 'goi nho',
        }),
      },
      {
        text: 'V 0912345678 đổ một hồi chuông rồi tắt',
        expected: report('V', VINA, 'vinaphone', 'đổ một hồi chuông rồi tắt', {
          category: 'missed_call_bait',
          keyword: 'do mot hoi chuong',
        }),
      },
      {
        text: 'V 0912345678 nha may',
        expected: report('V', VINA, 'vinaphone', 'nha may', {
          category: 'missed_call_bait',
          keyword: 'nha may',
        }),
      },
    ],
  },
  {
    behaviour: 'applies the category precedence when keywords of several categories match',
    cases: [
      {
        text: 'LD 0912345678 gia danh ngan hang doi no',
        expected: report('LD', VINA, 'vinaphone', 'gia danh ngan hang doi no', {
          category: 'impersonation',
          keyword: 'gia danh',
        }),
      },
      {
        text: 'V 0912345678 doi no, vay tien',
        expected: report('V', VINA, 'vinaphone', 'doi no, vay tien', {
          category: 'debt_collection',
          keyword: 'doi no',
        }),
      },
      {
        text: 'V 0912345678 vay tien lai suat uu dai',
        expected: report('V', VINA, 'vinaphone', 'vay tien lai suat uu dai', {
          category: 'loan_offer',
          keyword: 'vay tien',
        }),
      },
      {
        text: 'V 0912345678 tuyen dung nhan vien ban hang',
        expected: report('V', VINA, 'vinaphone', 'tuyen dung nhan vien ban hang', {
          category: 'scam_other',
          keyword: 'tuyen dung',
        }),
      },
      {
        text: 'V 0912345678 goi nho roi doi no',
        expected: report('V', VINA, 'vinaphone', 'goi nho roi doi no', {
          category: 'debt_collection',
          keyword: 'doi no',
        }),
      },
      {
        text: 'S 0912345678 nha cai tang qua',
        expected: report('S', VINA, 'vinaphone', 'nha cai tang qua', {
          category: 'scam_other',
          keyword: 'tang qua',
        }),
      },
      {
        text: 'S 0912345678 ca cuoc khuyen mai',
        expected: report('S', VINA, 'vinaphone', 'ca cuoc khuyen mai', {
          category: 'gambling',
          keyword: 'ca cuoc',
        }),
      },
    ],
  },
  {
    behaviour: 'matches keywords on word boundaries only',
    cases: [
      { text: 'V 0912345678 khong an toan', expected: report('V', VINA, 'vinaphone', 'khong an toan') },
      { text: 'V 0912345678 thue bao la', expected: report('V', VINA, 'vinaphone', 'thue bao la') },
      { text: 'V 0912345678 tourist', expected: report('V', VINA, 'vinaphone', 'tourist') },
      { text: 'V 0912345678 spam', expected: report('V', VINA, 'vinaphone', 'spam') },
      { text: 'V 0912345678 doino', expected: report('V', VINA, 'vinaphone', 'doino') },
    ],
  },
  {
    behaviour: 'keeps the content as sent, trimmed and in canonical composition (NFC)',
    cases: [
      {
        text: 'V 0912345678 Đo\u0300i nơ\u0323',
        expected: report('V', VINA, 'vinaphone', 'Đòi nợ', {
          category: 'debt_collection',
          keyword: 'doi no',
        }),
      },
      {
        text: 'V 0912345678    Goi   Lam Phien   ',
        expected: report('V', VINA, 'vinaphone', 'Goi   Lam Phien'),
      },
      { text: 'V 0912345678 \ud800 loi', expected: report('V', VINA, 'vinaphone', '\ufffd loi') },
      { text: 'V 0912345678 😡 goi hoai', expected: report('V', VINA, 'vinaphone', '😡 goi hoai') },
    ],
  },
];

export const REPORT_CASES: readonly ReportCase[] = REPORT_CASE_GROUPS.flatMap((group) => group.cases);
