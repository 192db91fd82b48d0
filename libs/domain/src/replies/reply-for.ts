/**
 * The SMS sent back to the reporter, in Vietnamese without diacritics so that it is pure GSM-7 and
 * fits one SMS (160 characters). Never echoes what the reporter wrote, only canonical numbers.
 */
import { nationalFormOf } from '../numbering/normalize-number';
import type { ParseReportResult } from '../report-parser/parse-report-text';
import type { RejectionReason } from '../rejection';
import type { ReportKind } from '../report-kind';

/** The short code reports are sent to, as named in replies. */
const REPORT_SHORT_CODE = '156';
const SYNTAX = `Soan: V <so dien thoai> <noi dung> gui ${REPORT_SHORT_CODE}`;

const KIND_LABELS: Readonly<Record<ReportKind, string>> = {
  spam_call: 'cuoc goi rac',
  spam_sms: 'tin nhan rac',
  scam_call: 'cuoc goi lua dao',
};

const REJECTION_REPLIES: Readonly<Record<Exclude<RejectionReason, 'not_a_report'>, string>> = {
  empty: `Tin nhan trong. ${SYNTAX} (V: cuoc goi rac, S: tin nhan rac, LD: cuoc goi lua dao).`,
  no_keyword: `Sai cu phap. ${SYNTAX} (V: cuoc goi rac, S: tin nhan rac, LD: cuoc goi lua dao).`,
  no_number: `Sai cu phap, thieu so dien thoai bi phan anh. ${SYNTAX}`,
  invalid_number: `So dien thoai bi phan anh khong hop le. Kiem tra lai so. ${SYNTAX}`,
  protected_number:
    'So ban phan anh la so khan cap hoac so dich vu cong cong, khong the phan anh. Cam on ban.',
  self_report: `Ban khong the phan anh chinh so dien thoai cua minh. ${SYNTAX}`,
  too_long: `Tin nhan qua dai. Vui long soan ngan gon: V <so dien thoai> <noi dung> gui ${REPORT_SHORT_CODE}`,
  internal_error:
    'He thong tam thoi chua xu ly duoc phan anh cua ban. Vui long gui lai sau it phut. Xin cam on.',
};

/**
 * The reply for a parse result, or null when the text was not a report (do-not-call registration,
 * forward): those are answered by the systems that handle them, not by the report intake.
 */
export function replyFor(result: ParseReportResult): string | null {
  if (result.ok) {
    const { report } = result;
    const national = nationalFormOf(report.reportedNumber) ?? report.reportedNumber;
    return (
      `Cam on ban da phan anh so ${national} (${KIND_LABELS[report.kind]}). ` +
      'Phan anh da duoc ghi nhan va se duoc xu ly theo quy dinh.'
    );
  }
  if (result.reason === 'not_a_report') return null;
  return REJECTION_REPLIES[result.reason];
}
