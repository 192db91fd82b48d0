import { z } from 'zod';

/**
 * Reusable field parsers for environment variables. Each one says in words what it expects,
 * because that sentence is what an operator reads when start-up fails.
 */

const HOST_PORT = /^[A-Za-z0-9.-]+:(\d{1,5})$/;

export const brokerList = z
  .string()
  .transform((raw) => raw.split(',').map((s) => s.trim()))
  .refine(
    (list) =>
      list.length > 0 &&
      list.every((entry) => {
        const match = HOST_PORT.exec(entry);
        return match !== null && Number(match[1]) > 0 && Number(match[1]) < 65536;
      }),
    { message: 'expected a comma-separated list of host:port (for example 127.0.0.1:9092)' },
  );

export const postgresUrl = z.string().refine(
  (raw) => {
    try {
      const url = new URL(raw);
      return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.pathname.length > 1;
    } catch {
      return false;
    }
  },
  { message: 'expected a URL like postgres://user@host:5432/database' },
);

export const positiveInt = (what: string) =>
  z
    .string()
    .regex(/^\d+$/, { message: `expected a whole number (${what})` })
    .transform(Number)
    .refine((n) => n > 0 && Number.isSafeInteger(n), {
      message: `expected a positive whole number (${what})`,
    });

/** A count that may be 0 (a feature turned off), up to `max`. */
export const nonNegativeInt = (what: string, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^\d+$/, { message: `expected a whole number (${what})` })
    .transform(Number)
    .refine((n) => n <= max, { message: `expected 0 to ${max} (${what})` });

/** Node's timers take at most this; a longer delay fires after 1 ms instead, in a busy loop. */
const MAX_TIMER_MS = 2_147_483_647;

/** Milliseconds within bounds: a timer's delay, a timeout the broker must accept. */
export const milliseconds = (what: string, min = 1, max = MAX_TIMER_MS) =>
  z
    .string()
    .regex(/^\d+$/, { message: `expected a whole number of milliseconds (${what})` })
    .transform(Number)
    .refine((n) => n >= min && n <= max, {
      message: `expected ${min} to ${max} milliseconds (${what})`,
    });

/**
 * The broker refuses a consumer whose session timeout is outside its group.min/max.session.timeout.ms
 * (6 s and 30 min by default), and the consumer would retry joining forever; it also heart-beats
 * every 3 s, which must fit well inside the timeout.
 */
export const sessionTimeoutMs = milliseconds(
  "before the group gives a silent consumer's partitions to another",
  6_000,
  1_800_000,
);

export const port = z
  .string()
  .regex(/^\d+$/, { message: 'expected a TCP port number' })
  .transform(Number)
  .refine((n) => n > 0 && n < 65536, { message: 'expected a TCP port between 1 and 65535' });

export const identifier = (what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, { message: `expected letters, digits, dot, dash or underscore (${what})` });

export const logLevel = z.enum(['error', 'warn', 'log', 'debug', 'verbose'], {
  message: 'expected one of error, warn, log, debug, verbose',
});

/** A comma-separated list, each entry trimmed, empty ones left out. */
const commaSeparated = z.string().transform((raw) =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0),
);

/** Phone numbers or short codes, comma-separated, in any notation (normalised where used). */
export const numberList = commaSeparated.refine(
  (list) => list.every((entry) => /^[+\d][\d .()-]{1,30}$/.test(entry)),
  {
    message: 'expected comma-separated phone numbers or short codes (for example 18001091,02439999999)',
  },
);

const DURATION_UNITS_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration written as a whole number and a unit: '45s', '30m', '2h', '90d'; in milliseconds. */
export const duration = (what: string) =>
  z
    .string()
    .regex(/^\d{1,6}[smhd]$/, { message: `expected a duration like 30m, 2h or 90d (${what})` })
    .transform(
      (text) =>
        Number(text.slice(0, -1)) * DURATION_UNITS_MS[text.slice(-1) as keyof typeof DURATION_UNITS_MS],
    )
    .refine((ms) => ms > 0, { message: `expected a duration above zero (${what})` });

/** A port to listen on; 0 lets the system choose a free one (tests, several apps on one host). */
export const listenPort = z
  .string()
  .regex(/^\d+$/, { message: 'expected a TCP port number (0 for any free port)' })
  .transform(Number)
  .refine((n) => n >= 0 && n < 65536, { message: 'expected a TCP port between 0 and 65535' });

/**
 * An address to listen on: an IPv4 or IPv6 address or a host name. Metrics ports listen on
 * 127.0.0.1 unless told otherwise: what they serve is for Prometheus on the same host or network,
 * not for every interface of a machine.
 */
export const listenHost = z.string().regex(/^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|[0-9A-Fa-f:.]{2,45})$/, {
  message: 'expected an address to listen on (for example 127.0.0.1, 0.0.0.0 or ::)',
});

/** 0 leaves V8 its own heuristics; otherwise 10 to 1000 (percent of the live heap). */
export const heapGrowingPercent = z
  .string()
  .regex(/^\d+$/, { message: "expected a whole number of percent, or 0 for V8's own growth" })
  .transform(Number)
  .refine((n) => n === 0 || (n >= 10 && n <= 1000), {
    message: "expected 0 (V8's own growth) or a percentage from 10 to 1000",
  });

/**
 * Short codes, comma-separated ('156,5656'): 3 to 6 digits each, at least one. A message to any
 * other address is none of ours, and no reply is ever sent from one.
 */
export const shortCodeList = commaSeparated.refine(
  (list) => list.length > 0 && list.every((entry) => /^[0-9]{3,6}$/.test(entry)),
  {
    message: 'expected comma-separated short codes of 3 to 6 digits (for example 156,5656)',
  },
);

/** An IANA time zone the runtime knows ('Asia/Ho_Chi_Minh'); a misspelt one stops the app at start. */
export const timeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected an IANA time zone like Asia/Ho_Chi_Minh' },
);
