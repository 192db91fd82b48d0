// Beside the other docs tests: the unit project runs apps/, libs/ and deploy/ only.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

const markdownIn = (dir: string) =>
  readdirSync(join(ROOT, dir))
    .filter((file) => file.endsWith('.md'))
    .map((file) => join(dir, file));

/** The pages a reader follows links through: the front page, CONTRIBUTING, docs/ and the ops READMEs. */
const PAGES = [
  'README.md',
  'CONTRIBUTING.md',
  ...markdownIn('docs'),
  ...markdownIn('docs/decisions'),
  'ops/kafka/README.md',
  'ops/prometheus/README.md',
];

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_\- ]/gu, '')
    .replace(/ /g, '-');

const anchorsOf = (page: string) =>
  new Set([...readFileSync(join(ROOT, page), 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) => anchorOf(m[1])));

/** Relative links outside code blocks: [text](path#anchor). */
function linksOf(page: string): string[] {
  const text = readFileSync(join(ROOT, page), 'utf8').replace(/```[^]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((link) => !/^[a-z]+:/.test(link));
}

/** Paths from the repository's root in code spans, e.g. `apps/ingest/src/intake/decide-sms.ts`. */
function pathsNamedIn(page: string): string[] {
  const text = readFileSync(join(ROOT, page), 'utf8').replace(/```[^]*?```/g, '');
  return [...text.matchAll(/`((?:apps|libs|migrations|ops|scripts|test|deploy|bench|docs)\/[\w./-]*\w)`/g)]
    .map((m) => m[1])
    .filter((path) => !path.includes('<'));
}

describe('links between the docs', () => {
  it('knows how GitHub names an anchor', () => {
    expect(anchorOf('Re-checking exports: `npm run -s parse`')).toBe('re-checking-exports-npm-run--s-parse');
    expect(anchorOf("The abuse team's API")).toBe('the-abuse-teams-api');
  });

  it.each(PAGES)('%s links only to files and headings that exist', (page) => {
    const broken = linksOf(page).filter((link) => {
      const [path, anchor] = link.split('#');
      const target = path ? relative(ROOT, normalize(join(ROOT, dirname(page), path))) : page;
      if (!existsSync(join(ROOT, target))) return true;
      return anchor !== undefined && target.endsWith('.md') && !anchorsOf(target).has(anchor);
    });
    expect(broken).toEqual([]);
  });

  // The walk-throughs name files; a file moved or renamed must take its page along.
  it.each(['docs/architecture.md', 'CONTRIBUTING.md', 'docs/development.md'])(
    '%s names only files and folders that exist',
    (page) => {
      expect(pathsNamedIn(page).filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
    },
  );
});
