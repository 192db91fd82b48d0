import fc from 'fast-check';
import { hostileString } from '../../spec-support/arbitraries';
import { REPORT_CASES } from '../../spec-support/report-cases';
import { REJECTION_REASONS } from '../rejection';
import { parseReportText, type ParseReportResult } from '../report-parser/parse-report-text';
import { isGsm7Basic, SINGLE_SMS_LENGTH } from './gsm7';
import { replyFor } from './reply-for';

function expectSingleGsm7Sms(reply: string): void {
  expect(isGsm7Basic(reply)).toBe(true);
  expect(reply.length).toBeLessThanOrEqual(SINGLE_SMS_LENGTH);
}

describe('replyFor', () => {
  it('thanks the reporter and names the number in national form', () => {
    expect(replyFor(parseReportText('V 0912.345.678 goi lam phien'))).toBe(
      'Cam on ban da phan anh so 0912345678 (cuoc goi rac). Phan anh da duoc ghi nhan va se duoc xu ly theo quy dinh.',
    );
    expect(replyFor(parseReportText('S +84 1800 1234'))).toContain('so 18001234 (tin nhan rac)');
    expect(replyFor(parseReportText('LD 01662345678'))).toContain('so 0362345678 (cuoc goi lua dao)');
  });

  it('gives the correct syntax when the text is not a valid report', () => {
    expect(replyFor(parseReportText('Xin chao'))).toBe(
      'Sai cu phap. Soan: V <so dien thoai> <noi dung> gui 156 (V: cuoc goi rac, S: tin nhan rac, LD: cuoc goi lua dao).',
    );
    expect(replyFor(parseReportText('V goi lam phien'))).toContain(
      'Soan: V <so dien thoai> <noi dung> gui 156',
    );
    expect(replyFor(parseReportText('V 0912345'))).toContain('khong hop le');
    expect(replyFor(parseReportText('V 113'))).toContain('khong the phan anh');
    expect(replyFor(parseReportText('V 0912345678', { reporter: '0912345678' }))).toContain(
      'chinh so dien thoai',
    );
  });

  it('does not answer texts that are not reports (do-not-call, forward)', () => {
    expect(replyFor(parseReportText('DK DNC'))).toBeNull();
    expect(replyFor(parseReportText('HUY DNC'))).toBeNull();
    expect(replyFor(parseReportText('FW mua dat'))).toBeNull();
  });

  it('has a single-SMS GSM-7 reply for every rejection reason', () => {
    for (const reason of REJECTION_REASONS) {
      const result: ParseReportResult =
        reason === 'not_a_report'
          ? { ok: false, reason, notAReportKind: 'forward', detail: '' }
          : { ok: false, reason, detail: '' };
      const reply = replyFor(result);
      if (reason === 'not_a_report') expect(reply).toBeNull();
      else expectSingleGsm7Sms(reply as string);
    }
  });

  it('keeps the longest thank-you (11-digit fixed line, scam call) in one GSM-7 SMS', () => {
    expectSingleGsm7Sms(replyFor(parseReportText('LD 02438123456')) as string);
  });

  it('gives a single-SMS GSM-7 reply for every message of the table', () => {
    for (const { text, reporter, protectedNumbers, maxLength } of REPORT_CASES) {
      const reply = replyFor(parseReportText(text, { reporter, protectedNumbers, maxLength }));
      if (reply !== null) expectSingleGsm7Sms(reply);
    }
  });

  it('gives a single-SMS GSM-7 reply whatever the reporter sent', () => {
    fc.assert(
      fc.property(hostileString, (text) => {
        const reply = replyFor(parseReportText(text));
        if (reply !== null) expectSingleGsm7Sms(reply);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('isGsm7Basic', () => {
  it('accepts the basic character set and refuses diacritics and extension characters', () => {
    expect(isGsm7Basic('Cam on ban! @£$¥ èéùìò Ç Øø Åå Δ_ ÆæßÉ ¡¿ ÄÖÑÜ§ äöñüà 0-9 <>')).toBe(true);
    expect(isGsm7Basic('Cảm ơn')).toBe(false);
    expect(isGsm7Basic('[V]')).toBe(false);
    expect(isGsm7Basic('€')).toBe(false);
  });
});
