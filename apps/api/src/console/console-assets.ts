import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';

export const CONSOLE_PATH = '/console';

/**
 * The browser may run only the console's own scripts and talk only to this API: a report's text that
 * slipped past the escaping still could not load or send anything.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'none'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  // The browser itself refuses HTML strings in DOM sinks (innerHTML and the like): the console
  // builds every element from text, and this keeps it so.
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  // Revalidated on every load, so a deploy reaches analysts without a stale script next to a new API.
  res.setHeader('Cache-Control', 'no-cache');
  next();
}

/**
 * The review console's files, as `npm run build` leaves them beside the compiled API. The pages hold
 * no data and need no token: everything they show comes from the API, with the analyst's token.
 */
export function consoleAssets(compiledMainDir: string): RequestHandler[] {
  const dir = join(compiledMainDir, '..', '..', '..', 'console');
  if (!existsSync(join(dir, 'index.html')) || !existsSync(join(dir, 'js', 'main.js')))
    throw new Error(`the review console is not built in ${dir}: run npm run build`);
  return [securityHeaders, express.static(dir, { index: 'index.html', etag: true, fallthrough: true })];
}
