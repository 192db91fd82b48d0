/**
 * A generated corpus of report texts for the campaign specs and decision 0050's measurements (not
 * a spec itself): scam scripts as the public retypes them (diacritics dropped or kept, case,
 * spacing, other amounts and numbers, a word left out, swapped or added, a typo), and texts about
 * other things. Seeded, so every run sees the same corpus.
 */

/** mulberry32: a small seeded generator; the corpus must be the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;

/** Scripts of scams as reported in Vietnam: 12 to 25 words, with the digits a report carries. */
export const SCAM_SCRIPTS: readonly string[] = [
  'Tôi là nhân viên ngân hàng Vietcombank, tài khoản của anh bị khóa, đọc mã OTP 482913 để mở lại ngay',
  'Chúc mừng quý khách trúng thưởng xe máy SH trị giá 95.000.000đ, chuyển phí 2.500.000đ vào số 0912345678 để nhận',
  'Công an quận Hoàn Kiếm thông báo anh liên quan đường dây rửa tiền, phải chuyển tiền vào tài khoản tạm giữ',
  'Bên em hỗ trợ vay tiêu dùng 50 triệu lãi suất 0%, không cần thế chấp, giải ngân trong 30 phút, gọi 0987654321',
  'Em bên công ty tài chính nhắc khoản vay quá hạn 12 ngày, nếu không trả sẽ gửi thông báo đến người thân và công ty',
  'Cục thuế thông báo hoàn thuế thu nhập cá nhân 3.200.000đ, truy cập đường link và nhập số tài khoản để nhận tiền',
  'Tuyển cộng tác viên làm việc online tại nhà, mỗi ngày 500k đến 1 triệu, chỉ cần nạp trước 200k để kích hoạt',
  'Nhà mạng thông báo sim của quý khách sắp bị khóa do chưa chuẩn hóa thông tin, bấm phím 1 để gặp tổng đài viên',
  'Nhà cái uy tín số 1 châu Á, nạp lần đầu tặng 100%, rút tiền nhanh trong 3 phút, truy cập ngay đường link',
  'Con của chị bị tai nạn đang cấp cứu ở bệnh viện, cần chuyển gấp 20 triệu tiền mổ vào số tài khoản này',
  'Bưu điện thông báo anh có bưu phẩm chứa giấy tờ bị tạm giữ, liên hệ cơ quan điều tra trước 17h hôm nay',
  'Dự án căn hộ cao cấp mặt tiền sông, chỉ cần trả trước 30% nhận nhà ngay, chiết khấu 8% cho khách đặt cọc hôm nay',
];

/** Words of other reports: short syllables as Vietnamese is written, with and without diacritics. */
const OTHER_WORDS: readonly string[] = (
  'gọi nhiều lần làm phiền không nghe máy quảng cáo bảo hiểm nhân thọ khóa học tiếng anh miễn phí ' +
  'gọi lúc nửa đêm im lặng rồi cúp máy hỏi mua đất nền bán hàng online giảm giá mỹ phẩm thuốc ' +
  'giảm cân nhắn tin rác mời tham gia hội thảo đầu tư chứng khoán tiền ảo lợi nhuận cao gói cước ' +
  'khuyến mãi sữa bột trẻ em điện máy xe hơi trả góp sửa điều hòa chuyển nhà trọn gói đặt tour du ' +
  'lịch khách sạn nhà hàng tiệc cưới học lái xe bằng lái gia sư dạy kèm toán văn dịch vụ vệ sinh ' +
  'máy lạnh lọc nước camera an ninh phần mềm kế toán thẻ tín dụng mở thẻ hạn mức voucher ăn uống'
).split(' ');

const DIACRITICS = /\p{M}/gu;
function withoutDiacritics(text: string): string {
  return text.normalize('NFD').replace(DIACRITICS, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

function otherDigits(random: () => number, digits: string): string {
  return digits.replace(/[0-9]/g, () => String(Math.floor(random() * 10)));
}

/** The kinds of change a person makes when retyping a script, one or two per variant. */
export type Edit = 'delete_word' | 'replace_word' | 'insert_word' | 'typo' | 'swap_words';
const EDITS: readonly Edit[] = ['delete_word', 'replace_word', 'insert_word', 'typo', 'swap_words'];

export function applyEdit(random: () => number, words: string[], edit: Edit): string[] {
  const result = [...words];
  const at = Math.floor(random() * result.length);
  switch (edit) {
    case 'delete_word':
      if (result.length > 1) result.splice(at, 1);
      return result;
    case 'replace_word':
      result[at] = pick(random, OTHER_WORDS);
      return result;
    case 'insert_word':
      result.splice(at, 0, pick(random, OTHER_WORDS));
      return result;
    case 'typo': {
      const word = result[at] as string;
      const letters = [...word];
      if (letters.length < 2) return result;
      const position = Math.floor(random() * (letters.length - 1));
      [letters[position], letters[position + 1]] = [
        letters[position + 1] as string,
        letters[position] as string,
      ];
      result[at] = letters.join('');
      return result;
    }
    case 'swap_words': {
      if (result.length < 2) return result;
      const next = Math.min(at + 1, result.length - 1);
      const first = at === next ? at - 1 : at;
      [result[first], result[next]] = [result[next] as string, result[first] as string];
      return result;
    }
  }
}

/**
 * A report of `script` as someone retypes it: other digits, diacritics dropped half the time, case
 * and spacing changed, `edits` word-level edits, sometimes a closing word of their own.
 */
export function variantOf(random: () => number, script: string, edits: number): string {
  let words = script.split(' ').map((word) => (/[0-9]/.test(word) ? otherDigits(random, word) : word));
  for (let edit = 0; edit < edits; edit++) words = applyEdit(random, words, pick(random, EDITS));
  let text = words.join(random() < 0.3 ? '  ' : ' ');
  if (random() < 0.5) text = withoutDiacritics(text);
  const casing = random();
  if (casing < 0.2) text = text.toUpperCase();
  else if (casing < 0.4) text = text.toLowerCase();
  if (random() < 0.2) text += pick(random, [' !!!', ' lừa đảo', ' scam', '.', ' ???']);
  return text;
}

/** A report about something else: 10 to 25 words of other reports. */
export function unrelatedText(random: () => number): string {
  const length = 10 + Math.floor(random() * 16);
  return Array.from({ length }, () => pick(random, OTHER_WORDS)).join(' ');
}

export interface Corpus {
  /** Pairs of variants of one script: should match. */
  readonly sameScript: readonly (readonly [string, string])[];
  /** Pairs of texts of different scripts or about other things: should not. */
  readonly different: readonly (readonly [string, string])[];
}

/** `pairs` pairs of each kind, each variant with 1 or 2 edits. */
export function generateCorpus(seed: number, pairs: number): Corpus {
  const random = seededRandom(seed);
  const sameScript: (readonly [string, string])[] = [];
  const different: (readonly [string, string])[] = [];
  for (let index = 0; index < pairs; index++) {
    const script = pick(random, SCAM_SCRIPTS);
    const edits = () => 1 + Math.floor(random() * 2);
    sameScript.push([variantOf(random, script, edits()), variantOf(random, script, edits())]);
    const first = Math.floor(random() * SCAM_SCRIPTS.length);
    const second = (first + 1 + Math.floor(random() * (SCAM_SCRIPTS.length - 1))) % SCAM_SCRIPTS.length;
    const other =
      random() < 0.5 ? variantOf(random, SCAM_SCRIPTS[second] as string, edits()) : unrelatedText(random);
    different.push([variantOf(random, SCAM_SCRIPTS[first] as string, edits()), other]);
  }
  return { sameScript, different };
}

// ---------------------------------------------------------------------------------------------
// Flagged numbers for the grouping specs

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** 2026-12-01T08:00:00Z. */
export const T0 = Date.UTC(2026, 11, 1, 8, 0, 0);

/** The `index`-th number of the block +84 912 3456xx (valid Vietnamese mobiles). */
export const blockNumber = (index: number): string => `+849123456${String(index).padStart(2, '0')}`;
const MOBILE_PREFIXES = ['91', '94', '96', '97', '98', '93', '90', '88'];
/** Numbers in blocks of their own (index below 1,000): +84 9x iii 5555. */
export const scatteredNumber = (index: number): string =>
  `+84${MOBILE_PREFIXES[index % MOBILE_PREFIXES.length]}${String(index).padStart(3, '0')}5555`;
/** A reporter: +84 987 xxx xxx. */
export const reporterNumber = (index: number): string => `+84987${String(index).padStart(6, '0')}`;
