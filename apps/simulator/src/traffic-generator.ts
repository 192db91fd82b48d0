/**
 * Realistic traffic to 156/5656 for the local run and for demos: reports in the notations people
 * actually type, some texts that are not reports, malformed ones, a few heavy spam numbers that
 * many distinct people report, a bank hotline whose caller ID scammers spoof, a scam campaign that
 * rotates through a block of consecutive SIMs (each reported for a while, then the next, as if the
 * last one had been blocked) with variants of one script, and redeliveries of the same gateway
 * message.
 */
export interface SimulatedMessage {
  key: string;
  /** The gateway's JSON, or on purpose something that is not JSON. */
  value: string;
}

export interface TrafficMix {
  heavySpammerShare: number;
  /** Reports about SPOOFED_BANK: people who got a scam call showing the bank's number. */
  spoofedBankShare: number;
  notAReportShare: number;
  malformedShare: number;
  duplicateShare: number;
  brokenJsonShare: number;
  /** Of the reports, those about the campaign's current SIM. */
  campaignShare: number;
}

export const DEFAULT_MIX: TrafficMix = {
  heavySpammerShare: 0.3,
  spoofedBankShare: 0.03,
  notAReportShare: 0.05,
  malformedShare: 0.07,
  duplicateShare: 0.03,
  brokenJsonShare: 0.005,
  campaignShare: 0.08,
};

/** Campaign reports about one SIM before the campaign moves to the next (the last was blocked). */
export const CAMPAIGN_REPORTS_PER_SIM = 30;
export const CAMPAIGN_SIMS = 20;
/** One prize scam as people retype it: with or without diacritics, a word more or less, other amounts. */
const CAMPAIGN_SCRIPTS = [
  'Chúc mừng quý khách trúng thưởng xe máy SH từ chương trình tri ân, chuyển phí {n} vào tài khoản để nhận giải',
  'chuc mung quy khach trung thuong xe may SH tu chuong trinh tri an, chuyen phi {n} vao tai khoan de nhan giai',
  'Chuc mung quy khach da trung thuong xe may SH tu chuong trinh tri an, chuyen phi {n} de nhan giai',
  'chúc mừng quý khách trúng thưởng xe SH chương trình tri ân khách hàng, chuyển phí {n} vào tài khoản để nhận',
];

const MOBILE_PREFIXES = [
  '086',
  '096',
  '097',
  '098',
  '032',
  '035',
  '039',
  '081',
  '083',
  '088',
  '091',
  '094',
  '070',
  '077',
  '089',
  '090',
  '093',
  '056',
  '058',
  '092',
  '059',
  '099',
  '087',
];
const LEGACY_PREFIXES: Record<string, string> = {
  '032': '0162',
  '035': '0165',
  '070': '0120',
  '077': '0122',
  '083': '0123',
  '056': '0186',
  '059': '0199',
};
const CONTENTS = [
  'goi dien doi no',
  'gọi điện đòi nợ thuê',
  'mao danh cong an yeu cau chuyen tien',
  'giả danh nhân viên ngân hàng',
  'quang cao bat dong san du an moi',
  'moi vay tien giai ngan nhanh',
  'nha cai ca cuoc bong da',
  'goi nho 1 hoi chuong roi tat',
  'trung thuong xe may, yeu cau nop phi',
  'tuyen cong tac vien viec nhe luong cao',
  'lừa đảo',
  '',
];
/**
 * A bank's hotline (Vietcombank's 1900 54 54 13) as scammers show it: the local run lists it in
 * PROTECTED_NUMBERS for the migrate step, so its flag is probable spoofing (decision 0057).
 */
export const SPOOFED_BANK = '1900545413';
const SPOOFED_BANK_CONTENTS = [
  'gia danh ngan hang Vietcombank yeu cau cung cap ma OTP',
  'giả danh nhân viên Vietcombank báo khóa tài khoản',
  'goi tu so tong dai ngan hang bao trung thuong',
];

const NOT_REPORTS = ['DK DNC', 'DK DNC S', 'DK DNC V', 'HUY DNC', 'FW Khuyen mai 50% cuoc goi', 'dk dnc'];
const MALFORMED = [
  'V',
  'V lua dao',
  'Vang 0912345678',
  '0912345678 lua dao',
  'V 12345 spam',
  'V 113 goi quay roi',
  'xin chao',
  '   ',
];

export class TrafficGenerator {
  private sequence = 0;
  private readonly recent: SimulatedMessage[] = [];
  readonly heavySpammers: string[];
  private campaignBlock: string[] | null = null;
  private campaignReports = 0;

  constructor(
    private readonly random: () => number = Math.random,
    private readonly mix: TrafficMix = DEFAULT_MIX,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.heavySpammers = Array.from({ length: 5 }, () => this.mobileNumber());
  }

  next(): SimulatedMessage {
    const roll = this.random();
    let threshold = this.mix.duplicateShare;
    if (roll < threshold && this.recent.length > 0) return this.pick(this.recent);
    threshold += this.mix.brokenJsonShare;
    if (roll < threshold)
      return { key: 'broken', value: `{"messageId":"sim-broken-${++this.sequence}","text":` };
    threshold += this.mix.notAReportShare;
    const text =
      roll < threshold
        ? this.pick(NOT_REPORTS)
        : roll < threshold + this.mix.malformedShare
          ? this.pick(MALFORMED)
          : this.reportText();
    const message = this.gatewayMessage(text);
    this.recent.push(message);
    if (this.recent.length > 100) this.recent.shift();
    return message;
  }

  private reportText(): string {
    if (this.mix.spoofedBankShare > 0 && this.random() < this.mix.spoofedBankShare)
      return `LD ${SPOOFED_BANK} ${this.pick(SPOOFED_BANK_CONTENTS)}`;
    // No draw without a campaign: a mix without one (the benches') gives the stream it always gave.
    if (this.mix.campaignShare > 0 && this.random() < this.mix.campaignShare) return this.campaignReport();
    const reported =
      this.random() < this.mix.heavySpammerShare ? this.pick(this.heavySpammers) : this.mobileNumber();
    const keyword = this.pickWeighted([
      ['V', 0.52],
      ['S', 0.22],
      ['LD', 0.26],
    ]);
    const shownKeyword = this.random() < 0.2 ? keyword.toLowerCase() : keyword;
    const number = this.notation(reported);
    const content = this.pick(CONTENTS);
    switch (Math.floor(this.random() * 5)) {
      case 0:
        return `${shownKeyword} [${number}][${content}]`;
      case 1:
        return `${shownKeyword} (${number})(${content})`;
      case 2:
        return `${shownKeyword}(${number}) ${content}`.trim();
      case 3:
        return `${shownKeyword}:  ${number}   ${content}`.trim();
      default:
        return `${shownKeyword} ${number} ${content}`.trim();
    }
  }

  /**
   * The campaign's block of consecutive SIMs, in the order it uses them: ten digits, the last two
   * the SIM's place in the block, so all share their first eight. Drawn when first used.
   */
  get campaignSims(): readonly string[] {
    if (this.campaignBlock === null) {
      const block = this.mobileNumber().slice(0, 8);
      this.campaignBlock = Array.from(
        { length: CAMPAIGN_SIMS },
        (_, i) => `${block}${String(i).padStart(2, '0')}`,
      );
    }
    return this.campaignBlock;
  }

  /** A report of the campaign's current SIM; after CAMPAIGN_REPORTS_PER_SIM of them, the next SIM. */
  private campaignReport(): string {
    const sim = Math.floor(this.campaignReports / CAMPAIGN_REPORTS_PER_SIM) % CAMPAIGN_SIMS;
    this.campaignReports += 1;
    const amount = `${1 + Math.floor(this.random() * 9)}.${Math.floor(this.random() * 10)}00.000d`;
    const text = this.pick(CAMPAIGN_SCRIPTS).replace('{n}', amount);
    return `LD ${this.notation(this.campaignSims[sim] as string)} ${text}`;
  }

  private notation(national: string): string {
    const rest = national.slice(1);
    switch (Math.floor(this.random() * 8)) {
      case 0:
        return `+84${rest}`;
      case 1:
        return `84${rest}`;
      case 2:
        return `${national.slice(0, 4)}.${national.slice(4, 7)}.${national.slice(7)}`;
      case 3:
        return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
      case 4:
        return `${national.slice(0, 4)}-${national.slice(4, 7)}-${national.slice(7)}`;
      case 5:
        return [...national].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
      case 6: {
        const legacy = LEGACY_PREFIXES[national.slice(0, 3)];
        return legacy ? `${legacy}${national.slice(3)}` : national;
      }
      default:
        return national;
    }
  }

  private gatewayMessage(text: string): SimulatedMessage {
    this.sequence += 1;
    const from = this.mobileNumber();
    const body = {
      messageId: `sim-${this.clock().getTime()}-${this.sequence}`,
      from: this.random() < 0.5 ? from : `84${from.slice(1)}`,
      to: this.random() < 0.7 ? '156' : '5656',
      text,
      receivedAt: this.clock().toISOString(),
    };
    return { key: body.from, value: JSON.stringify(body) };
  }

  private mobileNumber(): string {
    const prefix = this.pick(MOBILE_PREFIXES);
    const subscriber = String(Math.floor(this.random() * 10_000_000)).padStart(7, '0');
    return `${prefix}${subscriber}`;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length) % items.length];
  }

  private pickWeighted(weighted: [string, number][]): string {
    let roll = this.random();
    for (const [value, weight] of weighted) {
      if (roll < weight) return value;
      roll -= weight;
    }
    return weighted[weighted.length - 1][0];
  }
}
