/**
 * What a report is about, from its keyword: `V` spam call, `S` spam SMS, `LD` scam (fraud) call
 * (Circular 22/2021/TT-BTTTT and carrier guidance).
 */
export const REPORT_KINDS = ['spam_call', 'spam_sms', 'scam_call'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** The keyword people text for each kind. */
export const REPORT_KEYWORDS: Readonly<Record<ReportKind, string>> = {
  spam_call: 'V',
  spam_sms: 'S',
  scam_call: 'LD',
};
