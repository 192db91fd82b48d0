import { createHash } from 'node:crypto';

/**
 * A strong ETag for a versioned resource's representation: "version-digest". The version alone
 * does not change when the answer does (a flag's new reports, counters, a masked or unmasked
 * reporter), so a client sending If-None-Match would be told 304 about an answer it has not seen.
 * The version part is what If-Match is checked against when changing the resource.
 */
export function representationEtag(version: number, representation: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(representation)).digest('hex').slice(0, 16);
  return `"${version}-${digest}"`;
}

/**
 * Whether If-None-Match names this ETag (weak comparison, RFC 9110 13.1.2), so the client's copy
 * is current. Evaluated here rather than left to Express, which ignores If-None-Match whenever the
 * request says `Cache-Control: no-cache`, as fetch() does on every conditional request.
 */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.trim() === '*' || header.split(',').some((tag) => opaque(tag) === opaque(etag));
}
