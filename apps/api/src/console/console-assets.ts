import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { RequestHandler } from 'express';
import { pageSecurityHeaders } from '../http/page-security';

export const CONSOLE_PATH = '/console';

/**
 * The browser may run only the console's own scripts and talk only to this API: a report's text that
 * slipped past the escaping still could not load or send anything.
 */
const CONSOLE_POLICY = [
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

/**
 * The review console's files, as `npm run build` leaves them beside the compiled API. The pages hold
 * no data and need no token: everything they show comes from the API, with the analyst's token.
 */
export function consoleAssets(compiledMainDir: string): RequestHandler[] {
  const dir = join(compiledMainDir, '..', '..', '..', 'console');
  if (!existsSync(join(dir, 'index.html')) || !existsSync(join(dir, 'js', 'main.js')))
    throw new Error(`the review console is not built in ${dir}: run npm run build`);
  return [
    pageSecurityHeaders(CONSOLE_POLICY),
    express.static(dir, { index: 'index.html', etag: true, fallthrough: true }),
  ];
}
