/**
 * One line of the bulk parser (`npm run -s parse`): a JSON object `{"text","from","to"}` in, the
 * output object for that line out. Pure: reading and writing the lines is the CLI's job.
 *
 *   {"text":"V 0912345678 goi lam phien","from":"0987654321","to":"156"}
 *   -> {"ok":true,"kind":"spam_call","reportedNumber":"+84912345678","numberType":"mobile",
 *       "carrier":"vinaphone","category":"unknown","content":"goi lam phien"}
 */
import type { Category } from '../categories/category-keywords';
import type { Carrier } from '../numbering/carriers';
import type { NumberType } from '../numbering/vietnam-numbering-plan';
import type { RejectionReason } from '../rejection';
import type { ReportKind } from '../report-kind';
import { parseReportText } from '../report-parser/parse-report-text';
import { isPlainObject } from '../json-values';

export type BulkLineRejectionReason = RejectionReason | 'invalid_json' | 'invalid_fields';

export type BulkLineOutput =
  | {
      readonly ok: true;
      readonly kind: ReportKind;
      readonly reportedNumber: string;
      readonly numberType: NumberType;
      readonly carrier: Carrier | null;
      readonly category: Category;
      readonly content: string | null;
    }
  | { readonly ok: false; readonly reason: BulkLineRejectionReason };

export interface BulkLineOptions {
  readonly maxLength?: number;
  readonly protectedNumbers?: readonly string[];
}

/** JSON.parse is the only way to read JSON and it reports bad input by throwing a SyntaxError. */
function parseJson(line: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(line) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * The output object for one input line. `text`, `from` (the reporter) and `to` (the short code)
 * must be strings; other fields are ignored so that the input may carry ids or timestamps.
 */
export function parseBulkLine(line: string, options: BulkLineOptions = {}): BulkLineOutput {
  if (typeof line !== 'string') return { ok: false, reason: 'invalid_json' };
  const parsed = parseJson(line);
  if (!parsed.ok) return { ok: false, reason: 'invalid_json' };
  const { value } = parsed;
  if (!isPlainObject(value)) return { ok: false, reason: 'invalid_fields' };
  const { text, from, to } = value;
  if (typeof text !== 'string' || typeof from !== 'string' || typeof to !== 'string') {
    return { ok: false, reason: 'invalid_fields' };
  }
  const result = parseReportText(text, {
    maxLength: options.maxLength,
    protectedNumbers: options.protectedNumbers,
    reporter: from,
  });
  if (!result.ok) return { ok: false, reason: result.reason };
  const { report } = result;
  return {
    ok: true,
    kind: report.kind,
    reportedNumber: report.reportedNumber,
    numberType: report.numberType,
    carrier: report.carrier,
    category: report.category,
    content: report.content,
  };
}
