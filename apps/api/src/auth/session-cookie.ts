import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { csrfTokenOf } from '@abuse-monitor/persistence';
import { ApiProblem } from '../http/problem';

/**
 * The console's session cookie and the checks a cookie-signed change must pass (decision 0046).
 * `__Host-` binds the cookie to this host and path `/`, Secure: a sibling subdomain cannot set or
 * shadow it. Browsers accept the prefix only with Secure, so plain-http development drops it.
 */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-am_session' : 'am_session';
}

export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The value of one cookie of the request, or null (no cookie parser: this is the only cookie read). */
export function readCookie(req: Request, name: string): string | null {
  const header = req.header('cookie');
  if (!header) return null;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at < 0) continue;
    if (pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim() || null;
  }
  return null;
}

interface CookieSettings {
  name: string;
  secure: boolean;
}

/**
 * No Expires or Max-Age: the browser forgets the cookie when it closes, and the server ends the
 * session at its expiry or after its idle timeout, whichever comes first.
 */
export function setSessionCookie(res: Response, cookie: CookieSettings, secret: string): void {
  res.cookie(cookie.name, secret, { httpOnly: true, secure: cookie.secure, sameSite: 'strict', path: '/' });
}

export function clearSessionCookie(res: Response, cookie: CookieSettings): void {
  res.clearCookie(cookie.name, { httpOnly: true, secure: cookie.secure, sameSite: 'strict', path: '/' });
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * A change signed in by cookie must prove it comes from a page of this site: SameSite=Strict
 * already keeps the cookie off other sites' requests in current browsers; the CSRF token (which
 * another site cannot read) and the origin headers cover older browsers and same-site subdomains.
 */
export function checkCookieRequest(req: Request, secret: string): void {
  if (SAFE_METHODS.has(req.method)) return;
  const site = req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    throw new ApiProblem('csrf-refused', `a request from a ${site} page cannot use the session`);
  const origin = req.header('origin');
  const own = `${req.protocol}://${req.get('host') ?? ''}`;
  if (origin !== undefined && origin !== own)
    throw new ApiProblem(
      'csrf-refused',
      `a request from ${origin.slice(0, 100)} cannot use the session of ${own}`,
    );
  const sent = req.header(CSRF_HEADER);
  if (!sent)
    throw new ApiProblem('csrf-refused', `send the session's CSRF token in the ${CSRF_HEADER} header`);
  if (!sameText(sent, csrfTokenOf(secret)))
    throw new ApiProblem('csrf-refused', `the ${CSRF_HEADER} header is not this session's CSRF token`);
}
