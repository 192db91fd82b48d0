/**
 * Throughput of the report parser on one core.
 *
 *   npm run bench -- parser [seconds] [repeated|distinct|both]
 *
 * Generates a realistic mix of report texts (DOMAIN.md volumes: 52% spam calls V, 22% spam SMS S,
 * 26% scam calls LD; the usual notations; about 10% malformed texts or texts that are not reports),
 * warms up, then measures messages per second and microseconds per message for several seconds:
 * - "repeated numbers": reported numbers drawn from a pool of spammers, most reported many times,
 *   as in real traffic;
 * - "distinct numbers": every report in the mix names a different number (400,000 of them, more
 *   than the number cache holds), so no answer is reused: the worst case, and the speed aim.
 * The mode argument runs one of them alone, e.g. under `node --cpu-prof`.
 */
import { parseReportText, type ParseReportResult } from '@abuse-monitor/domain';
import { createRandom } from './support/random';

const random = createRandom(156_5656);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const chance = (probability: number): boolean => random() < probability;
const digits = (count: number): string =>
  Array.from({ length: count }, () => String(Math.floor(random() * 10))).join('');

/** Mobile prefixes weighted roughly by market share (Viettel > VinaPhone > MobiFone > others). */
const PREFIXES = [
  ...['86', '96', '97', '98', '32', '33', '34', '35', '36', '37', '38', '39'].flatMap((p) => [p, p, p]),
  ...['81', '82', '83', '84', '85', '88', '91', '94'].flatMap((p) => [p, p]),
  ...['70', '76', '77', '78', '79', '90', '93'].flatMap((p) => [p, p]),
  '56',
  '58',
  '92',
  '59',
  '99',
  '87',
];
const LEGACY_BY_CURRENT: Readonly<Record<string, string>> = {
  '32': '162',
  '33': '163',
  '34': '164',
  '35': '165',
  '36': '166',
  '37': '167',
  '38': '168',
  '39': '169',
  '70': '120',
  '79': '121',
  '77': '122',
  '76': '126',
  '78': '128',
  '83': '123',
  '84': '124',
  '85': '125',
  '81': '127',
  '82': '129',
  '56': '186',
  '58': '188',
  '59': '199',
};

const FULL_WIDTH_ZERO = 0xff10;
const toFullWidth = (text: string): string =>
  text.replace(/[0-9]/g, (digit) => String.fromCharCode(FULL_WIDTH_ZERO + Number(digit)));

/** A national significant number: mostly mobiles, some fixed lines and 1800/1900 numbers. */
function randomNationalNumber(): string {
  const roll = random();
  if (roll < 0.9) return pick(PREFIXES) + digits(7);
  if (roll < 0.95) return pick(['24', '28']) + pick(['3', '6', '7']) + digits(7);
  return pick(['1800', '1900']) + digits(4);
}

/** A number written as people write it. */
function writeNumber(nationalSignificant: string): string {
  const isMobile = nationalSignificant.length === 9;
  const legacy = LEGACY_BY_CURRENT[nationalSignificant.slice(0, 2)];
  const trunk = nationalSignificant.startsWith('1') ? '' : '0';
  const roll = random();
  if (isMobile && legacy !== undefined && roll < 0.07) return `0${legacy}${nationalSignificant.slice(2)}`;
  if (roll < 0.5) return trunk + nationalSignificant;
  const national = trunk + nationalSignificant;
  if (roll < 0.6) return `${national.slice(0, 4)}.${national.slice(4, 7)}.${national.slice(7)}`;
  if (roll < 0.7) return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
  if (roll < 0.75) return `${national.slice(0, 4)}-${national.slice(4, 7)}-${national.slice(7)}`;
  if (roll < 0.83) return `+84${nationalSignificant}`;
  if (roll < 0.88) return `84${nationalSignificant}`;
  if (roll < 0.9) return `0084${nationalSignificant}`;
  if (roll < 0.93)
    return `+84 ${nationalSignificant.slice(0, 3)} ${nationalSignificant.slice(3, 6)} ${nationalSignificant.slice(6)}`;
  return toFullWidth(national);
}

const CONTENTS = [
  'goi lam phien',
  'Gọi làm phiền nhiều lần',
  'doi no',
  'Đòi nợ người thân',
  'goi doi no khoan vay qua han',
  'nhay may',
  'Nháy máy rồi tắt',
  'goi nho 1 hoi chuong',
  'quang cao bat dong san',
  'Mời mua căn hộ dự án',
  'tour du lich gia re',
  'gia danh cong an',
  'Giả danh công an yêu cầu chuyển tiền',
  'mao danh ngan hang',
  'tu xung dien luc doi cat dien',
  'trung thuong xe may',
  'tuyen dung viec nhe luong cao',
  'moi vay tien giai ngan nhanh',
  'nha cai uy tin',
  'ca cuoc bong da',
  'lua dao',
  '3 cuoc goi',
  '2 lan trong ngay',
  'tin nhan quang cao',
  'khuyen mai nap the',
];

function reportText(keyword: string, nationalSignificant: string): string {
  const written = writeNumber(nationalSignificant);
  const content = chance(0.15) ? '' : pick(CONTENTS);
  const kw = chance(0.2) ? keyword.toLowerCase() : keyword;
  const form = random();
  if (form < 0.7) return content === '' ? `${kw} ${written}` : `${kw} ${written} ${content}`;
  if (form < 0.82) return `${kw} [${written}][${content}]`;
  if (form < 0.9) return `${kw} (${written})(${content})`;
  if (form < 0.95) return `${kw}(${written}) ${content}`;
  return `${kw}: ${written}  ${content}`;
}

const MALFORMED = [
  () => 'DK DNC',
  () => pick(['DK DNC S', 'DK DNC V', 'dk dnc']),
  () => 'HUY DNC',
  () => `FW ${pick(CONTENTS)} lien he 09${digits(8)}`,
  () => `Xin chao, so 09${digits(8)} goi lam phien`,
  () => `VD 09${digits(8)}`,
  () => `V 09${digits(5)} ${pick(CONTENTS)}`,
  () => `V ${pick(CONTENTS)}`,
  () => pick(['V 113', 'V 156', 'LD 5656']),
  () => '',
];

function message(numberFor: () => string): string {
  if (chance(0.1)) return pick(MALFORMED)();
  const roll = random();
  const keyword = roll < 0.52 ? 'V' : roll < 0.74 ? 'S' : 'LD';
  return reportText(keyword, numberFor());
}

/** Reported numbers follow a heavy tail: a few spammers get most of the reports. */
const SPAMMERS = Array.from({ length: 5_000 }, randomNationalNumber);
const repeatedNumber = (): string => SPAMMERS[Math.floor(SPAMMERS.length * random() ** 3)] as string;

/** A national number never drawn before: each report of the distinct mix names its own number. */
const drawnNumbers = new Set<string>();
function distinctNumber(): string {
  for (;;) {
    const candidate = randomNationalNumber();
    if (drawnNumbers.has(candidate)) continue;
    drawnNumbers.add(candidate);
    return candidate;
  }
}

const seconds = Number(process.argv[2] ?? 5);
const mode = process.argv[3] ?? 'both';
if (!['repeated', 'distinct', 'both'].includes(mode)) {
  throw new Error(`mode must be repeated, distinct or both, not ${mode}`);
}
/**
 * The texts as a consumer gets them: each decoded from the bytes of a message, so a flat string of
 * its own, not the rope of pieces that building it by concatenation leaves in memory.
 */
const asReceived = (text: string): string => Buffer.from(text, 'utf8').toString('utf8');
const mixOf = (count: number, numberFor: () => string): string[] =>
  Array.from({ length: count }, () => asReceived(message(numberFor)));

const repeatedMix = mixOf(50_000, repeatedNumber);
const distinctMix = mixOf(400_000, distinctNumber);

const format = (value: number): string => Math.round(value).toLocaleString('en-US');

function describeMix(texts: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const text of texts) {
    const result: ParseReportResult = parseReportText(text);
    const key = result.ok ? result.report.kind : 'rejected';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const percent = (part: number, whole: number): string => `${((part / whole) * 100).toFixed(1)}%`;
  const rejected = counts.get('rejected') ?? 0;
  const reports = texts.length - rejected;
  const ofReports = (key: string): string => percent(counts.get(key) ?? 0, reports);
  return (
    `${format(texts.length)} texts, ${percent(rejected, texts.length)} malformed or not a report; ` +
    `reports: V ${ofReports('spam_call')} / S ${ofReports('spam_sms')} / LD ${ofReports('scam_call')}`
  );
}

interface Measurement {
  /** Messages per second of wall-clock time. */
  readonly perSecond: number;
  /** Messages per second of CPU time used by the process: the same on an idle machine. */
  readonly perCpuSecond: number;
  readonly count: number;
  readonly accepted: number;
  readonly cpuShare: number;
}

/**
 * Parses the texts in a loop for `durationSeconds`. CPU time is measured too: on a machine shared
 * with other work, the process may not have had its core all the time (cpuShare below 1).
 */
function measure(texts: readonly string[], durationSeconds: number): Measurement {
  const deadline = process.hrtime.bigint() + BigInt(Math.round(durationSeconds * 1e9));
  const started = process.hrtime.bigint();
  const cpuAtStart = process.cpuUsage();
  let count = 0;
  let accepted = 0;
  let index = 0;
  while (true) {
    for (let batch = 0; batch < 1_000; batch++) {
      if (parseReportText(texts[index] as string).ok) accepted++;
      index = index + 1 === texts.length ? 0 : index + 1;
    }
    count += 1_000;
    if (process.hrtime.bigint() >= deadline) break;
  }
  const elapsedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuAtStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    perSecond: count / elapsedSeconds,
    perCpuSecond: count / cpuSeconds,
    count,
    accepted,
    cpuShare: cpuSeconds / elapsedSeconds,
  };
}

const microseconds = (perSecond: number): string => (1e6 / perSecond).toFixed(2);
const cpuNote = (measured: Measurement): string =>
  `; CPU ${(measured.cpuShare * 100).toFixed(0)}% of wall clock, ` +
  `${format(measured.perCpuSecond)} messages per CPU second, ${microseconds(measured.perCpuSecond)} µs`;

console.log(`Mix: ${describeMix(repeatedMix)} (DOMAIN.md: V 52% / S 22% / LD 26%)`);
console.log(
  `Examples: ${repeatedMix
    .slice(0, 6)
    .map((text) => JSON.stringify(text))
    .join('  ')}`,
);

if (mode !== 'distinct') {
  measure(repeatedMix, Math.min(2, seconds)); // warm-up: JIT and caches
  const repeated = measure(repeatedMix, seconds);
  console.log(
    `parseReportText, repeated numbers: ${format(repeated.perSecond)} messages/s on one core, ` +
      `${microseconds(repeated.perSecond)} µs/message ` +
      `(${format(repeated.count)} messages in ${seconds} s, ${format(repeated.accepted)} accepted` +
      `${cpuNote(repeated)})`,
  );
}

if (mode !== 'repeated') {
  // Warm-up on texts of the same kind but other numbers, so the measured mix starts uncached.
  const warmUpMix = mixOf(20_000, distinctNumber);
  measure(warmUpMix, Math.min(2, seconds));
  const distinct = measure(distinctMix, seconds);
  const passes = distinct.count / distinctMix.length;
  console.log(
    `parseReportText, distinct numbers: ${format(distinct.perSecond)} messages/s on one core, ` +
      `${microseconds(distinct.perSecond)} µs/message ` +
      `(${format(distinct.count)} messages in ${seconds} s, ${passes.toFixed(1)} passes over ` +
      `${format(distinctMix.length)} texts with distinct numbers${cpuNote(distinct)})`,
  );
}
console.log(`For scale: 156/5656 receive about 2,800 reports a day (DOMAIN.md).`);
