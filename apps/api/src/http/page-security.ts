import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Headers for the pages the API serves to browsers (the review console, Swagger UI): the policy
 * given, no framing by other sites, no MIME sniffing, no referrer, a browsing context of its own,
 * and revalidation on every load so that a deploy reaches analysts without a stale script.
 */
export function pageSecurityHeaders(contentSecurityPolicy: string): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Content-Security-Policy', contentSecurityPolicy);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-cache');
    next();
  };
}

/** Swagger UI draws its icons from data: URLs in its style sheet; it needs nothing inline. */
export const DOCS_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');
