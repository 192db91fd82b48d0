import { RULES_ACTOR, SCHEDULER_ACTOR } from '../flagging/flag-state';

/**
 * What a token may be called and how long it may live. A token's name is who did it in the audit
 * log and in flag histories, so it must read the same to every reviewer: plain lower-case ASCII
 * (no look-alike letters from other scripts, no invisible characters), and never reused, not even
 * after the token is revoked (the store's unique index), so a newcomer cannot inherit a former
 * holder's reviews.
 */
export const TOKEN_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Actors of automated changes: a person's token must not be mistaken for them. */
export const RESERVED_ACTORS: readonly string[] = [RULES_ACTOR, SCHEDULER_ACTOR, 'migration', 'anonymous'];

export type TokenNameCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export function checkTokenName(name: string): TokenNameCheck {
  if (!TOKEN_NAME_PATTERN.test(name))
    return {
      ok: false,
      reason:
        '1 to 64 of a-z, 0-9 and . _ -, starting with a letter or digit; it names the person in the audit log',
    };
  if (RESERVED_ACTORS.includes(name))
    return { ok: false, reason: `${RESERVED_ACTORS.join(', ')} name the system's own changes` };
  return { ok: true };
}

const LIFETIME = /^([1-9]\d{0,4})([mhd])$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** A token meant to outlive a budget year is a token nobody remembers to revoke. */
export const MAX_TOKEN_LIFETIME_MS = 400 * UNIT_MS.d;

export type TokenLifetime =
  { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly reason: string };

/** '30d', '12h' or '90m': how long a new token stays valid, at most 400 days. */
export function parseTokenLifetime(text: string): TokenLifetime {
  const match = LIFETIME.exec(text);
  if (!match)
    return { ok: false, reason: 'expected a whole number of minutes, hours or days: 90m, 12h, 30d' };
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (ms > MAX_TOKEN_LIFETIME_MS) return { ok: false, reason: 'at most 400 days' };
  return { ok: true, ms };
}
