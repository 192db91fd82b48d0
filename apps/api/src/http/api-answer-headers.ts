import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Headers on every answer of the API itself: no MIME sniffing (a report's text in a JSON or CSV
 * answer is never run as a page), and no copy kept by browsers or proxies (answers hold reporters'
 * numbers and decisions that change). The browser pages under `pagePaths` (console, Swagger UI)
 * keep their own caching, set where they are served.
 */
export function apiAnswerHeaders(pagePaths: readonly string[]): RequestHandler {
  const isPage = (path: string) => pagePaths.some((page) => path === page || path.startsWith(`${page}/`));
  return (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (!isPage(req.path)) res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
