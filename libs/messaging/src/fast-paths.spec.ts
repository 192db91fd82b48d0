import fc from 'fast-check';
import { CARRIERS, CATEGORIES, normalizeNumber, NUMBER_TYPES, REPORT_KINDS } from '@abuse-monitor/domain';
import { rawSmsFastPath, rawSmsSchema } from './raw-sms.schema';
import { acceptedReportFastPath, acceptedReportSchema } from './report-messages';

/*
 * A fast path may give up on a message the schema takes (the schema then decides), but it must
 * never take one the schema refuses, nor read it otherwise. These properties throw valid messages
 * and their mutations at both.
 */

const HOUR = 3_600_000;
const now = Date.now();

/** Strings that probe each rule: controls, format characters, surrogates, spaces, lengths. */
const awkwardString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    '',
    ' ',
    ' gw-1 ',
    '\u0000',
    'a\u001bb',
    'a\u0085b',
    'a\u200bb',
    'gw\u202e1',
    '\ud800',
    'x\udc00',
    '😀',
    'a\r\nb',
    'tab\there',
    '156',
    '5656',
    '1',
    '123456789',
    '+84912345678',
    '0912345678',
    '+84987654321',
    '+841',
    '+84113',
    'x'.repeat(65),
    'x'.repeat(201),
    'x'.repeat(513),
    '0b6f1d7e-4b1a-4c1e-9d8e-0a9b8c7d6e5f',
    '0B6F1D7E-4B1A-4C1E-9D8E-0A9B8C7D6E5F',
    '00000000-0000-0000-0000-000000000000',
    '0b6f1d7e-4b1a-9c1e-9d8e-0a9b8c7d6e5f',
  ),
);

const awkwardTime = fc.oneof(
  fc
    .date({ min: new Date('1969-01-01'), max: new Date(now + 3 * 24 * HOUR), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2026-11-29T07:00:00+07:00',
    '2026-11-29T07:00:00-23:59',
    '2026-11-29T07:00:00+24:00',
    '2026-11-29T07:00:00',
    '2026-11-29T07:00Z',
    '2026-02-29T07:00:00Z',
    '2024-02-29T07:00:00.123456Z',
    '2026-13-01T00:00:00Z',
    '2026-11-31T00:00:00Z',
    '1999-12-31T23:59:59.999Z',
    '2000-01-01T00:00:00Z',
    '2026-11-29 07:00:00Z',
    '2026-11-29T07:00:00z',
    new Date(now + 23 * HOUR).toISOString(),
    new Date(now + 25 * HOUR).toISOString(),
  ),
);

const anyValue = fc.oneof(
  awkwardString,
  awkwardTime,
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.integer(),
  fc.constant([]),
  fc.constant({}),
);

/** A record like `base`, with some fields replaced, dropped or added. */
function mutationsOf(base: fc.Arbitrary<Record<string, unknown>>, fields: readonly string[]) {
  const change = fc.tuple(fc.constantFrom(...fields, 'extra'), fc.oneof(anyValue, fc.constant('drop')));
  return fc.tuple(base, fc.array(change, { maxLength: 3 })).map(([record, changes]) => {
    const mutated: Record<string, unknown> = { ...record };
    for (const [field, value] of changes) {
      if (value === 'drop') delete mutated[field];
      else mutated[field] = value;
    }
    return mutated;
  });
}

/** What JSON.parse would hand the decoder (undefined fields gone). */
const asParsed = (record: unknown): unknown => JSON.parse(JSON.stringify(record) ?? 'null');

function expectNoLooserThanSchema<T>(
  json: unknown,
  fast: (json: unknown, now: number) => T | null,
  schema: { safeParse: (json: unknown) => { success: boolean; data?: unknown } },
): T | null {
  const value = fast(json, Date.now());
  if (value !== null) {
    const parsed = schema.safeParse(json);
    expect(parsed.success).toBe(true);
    expect(value).toEqual(parsed.data);
  }
  return value;
}

const reportedNumbers = [
  '+84987654321',
  '+84912345678',
  '+842838123456',
  '+84561234567',
  '+84771234567',
].filter((n) => normalizeNumber(n).ok);
const reporters = ['+84912345678', '+84987654321', '+84331234567'];

const validAccepted = fc
  .record({
    reportId: fc.uuid({ version: 5 }),
    hotline: fc.boolean(),
    shortCode: fc.constantFrom('156', '5656'),
    agentId: fc.constantFrom('agent-17', 'a', 'Nguyễn Văn A'),
    sourceId: fc.constantFrom('gw-1', 'key:agent-17:abc', 'msg-0001'),
    reporter: fc.constantFrom(...reporters),
    reportedNumber: fc.constantFrom(...reportedNumbers),
    convertedFromLegacy: fc.boolean(),
    kind: fc.constantFrom(...REPORT_KINDS),
    category: fc.constantFrom(...CATEGORIES),
    categoryKeyword: fc.constantFrom(null, 'cong an', 'viec nhe luong cao'),
    content: fc.oneof(
      fc.constant(null),
      fc.string(),
      fc.constantFrom('goi lam phien\r\nlan 2', 'tiếng Việt'),
    ),
    receivedAt: fc.date({ min: new Date('2000-01-01'), max: new Date(now), noInvalidDate: true }),
  })
  .map(({ hotline, receivedAt, ...r }) => {
    const facts = normalizeNumber(r.reportedNumber);
    if (!facts.ok) throw new Error(`${r.reportedNumber} should be a valid number`);
    return {
      reportId: r.reportId,
      channel: hotline ? 'hotline' : 'sms',
      shortCode: hotline ? null : r.shortCode,
      sourceId: r.sourceId,
      reporter: r.reporter,
      reportedNumber: r.reportedNumber,
      numberType: facts.numberType,
      carrier: facts.carrier,
      convertedFromLegacy: r.convertedFromLegacy,
      kind: r.kind,
      category: r.category,
      categoryKeyword: r.categoryKeyword,
      content: r.content,
      agentId: hotline ? r.agentId : null,
      receivedAt: receivedAt.toISOString(),
      acceptedAt: new Date(now - 1_000).toISOString(),
    } as Record<string, unknown>;
  });

describe('acceptedReportFastPath', () => {
  it('takes what ingest publishes, as the schema reads it', () => {
    fc.assert(
      fc.property(validAccepted, (record) => {
        const value = expectNoLooserThanSchema(record, acceptedReportFastPath, acceptedReportSchema);
        // Whatever the schema takes of this shape (content may hold a control character), so does the fast path.
        if (acceptedReportSchema.safeParse(record).success) expect(value).not.toBeNull();
      }),
      { numRuns: 1_000 },
    );
  });

  it('never takes a record the schema refuses, nor reads one otherwise', () => {
    const fields = Object.keys(acceptedReportSchema.shape);
    fc.assert(
      fc.property(mutationsOf(validAccepted, fields), (record) => {
        expectNoLooserThanSchema(asParsed(record), acceptedReportFastPath, acceptedReportSchema);
      }),
      { numRuns: 5_000 },
    );
  });

  it('gives up on what the schema refuses for its refinements', () => {
    const sms = fc.sample(
      validAccepted.filter((r) => r.channel === 'sms'),
      1,
    )[0];
    const otherCarrier = CARRIERS.find((c) => c !== sms.carrier) ?? null;
    const otherType = NUMBER_TYPES.find((t) => t !== sms.numberType);
    // Valid numbers, of the type and carrier the record names, but not written canonically.
    const notCanonical = ['+840912345678', '+841662345678'].map((reportedNumber) => {
      const facts = normalizeNumber(reportedNumber);
      if (!facts.ok) throw new Error(`${reportedNumber} should be a valid number`);
      return { reportedNumber, numberType: facts.numberType, carrier: facts.carrier };
    });
    for (const change of [
      ...notCanonical,
      { carrier: otherCarrier },
      { numberType: otherType },
      { reporter: '0912345678' },
      { reportedNumber: '+84113' },
      { agentId: 'agent-17' },
      { shortCode: null },
      { channel: 'hotline', shortCode: null },
      { receivedAt: new Date(Date.now() + 25 * HOUR).toISOString() },
    ]) {
      const record = { ...sms, ...change };
      expect(acceptedReportSchema.safeParse(record).success).toBe(false);
      expect(acceptedReportFastPath(record)).toBeNull();
    }
  });
});

const validRawSms = fc
  .record({
    messageId: fc.constantFrom('gw-1', ' gw-2 ', 'smsc:0001:ab'),
    from: fc.constantFrom('0912345678', '+84912345678', ' 84987654321', 'Alice'),
    to: fc.constantFrom('156', '5656', ' 156', '999'),
    text: fc.oneof(fc.string(), fc.constantFrom('V 0987654321 lua dao', 'S 0912.345.678 tin nhắn')),
    receivedAt: fc.oneof(
      fc
        .date({ min: new Date('2000-01-01'), max: new Date(now), noInvalidDate: true })
        .map((d) => d.toISOString()),
      fc.constant('2026-11-29T07:00:00+07:00'),
    ),
  })
  .map((r) => r as Record<string, unknown>);

describe('rawSmsFastPath', () => {
  it('takes what the gateway writes, as the schema reads it (trimmed, the time a Date)', () => {
    fc.assert(
      fc.property(validRawSms, (record) => {
        expect(expectNoLooserThanSchema(record, rawSmsFastPath, rawSmsSchema)).not.toBeNull();
      }),
      { numRuns: 1_000 },
    );
  });

  it('never takes a message the schema refuses, nor reads one otherwise', () => {
    const fields = Object.keys(rawSmsSchema.shape);
    fc.assert(
      fc.property(mutationsOf(validRawSms, fields), (record) => {
        expectNoLooserThanSchema(asParsed(record), rawSmsFastPath, rawSmsSchema);
      }),
      { numRuns: 5_000 },
    );
  });
});
