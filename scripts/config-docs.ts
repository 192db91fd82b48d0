/**
 * Writes docs/configuration.md from the apps' zod schemas, so the page cannot miss a variable or
 * disagree with a default (the hand-kept table it replaces once missed five). Every field says
 * what it means with `.describe()`; a field without one stops the script rather than leaving a
 * blank line on the page.
 *
 *   npm run docs:config             rewrites the page
 *   npm run docs:config -- --check  fails when the committed page differs from the schemas
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { adminEnvSchema } from '../apps/admin/src/admin.config';
import { aggregatorEnvSchema } from '../apps/aggregator/src/aggregator.config';
import { apiEnvSchema } from '../apps/api/src/api.config';
import { deadlettersEnvSchema } from '../apps/deadletters/src/deadletters.config';
import { ingestEnvSchema } from '../apps/ingest/src/ingest.config';
import { migrateEnvSchema } from '../apps/migrate/src/migrate.config';
import { parseEnvSchema } from '../apps/parse/src/parse.config';
import { schedulerEnvSchema } from '../apps/scheduler/src/scheduler.config';
import { simulatorEnvSchema } from '../apps/simulator/src/simulator.config';
import { whatifEnvSchema } from '../apps/whatif/src/whatif.config';

export const CONFIGURATION_PAGE = join(__dirname, '..', 'docs', 'configuration.md');

interface AppSchema {
  app: string;
  what: string;
  shape: Record<string, z.ZodType>;
}

/** The apps in the order the page lists them: the stream first, then what people use, then the tools. */
export const APP_SCHEMAS: readonly AppSchema[] = [
  { app: 'ingest', what: 'raw SMS and hotline submissions to reports', shape: ingestEnvSchema.shape },
  { app: 'aggregator', what: 'reports to counters and flags', shape: aggregatorEnvSchema.shape },
  { app: 'api', what: "the abuse team's REST API and review console", shape: apiEnvSchema.shape },
  { app: 'scheduler', what: 'the scheduled jobs', shape: schedulerEnvSchema.shape },
  {
    app: 'migrate',
    what: "applies the migrations as the schema's owner and grants the apps' role its privileges, before the apps start",
    shape: migrateEnvSchema.shape,
  },
  { app: 'simulator', what: "plays the SMS gateway (npm start's traffic)", shape: simulatorEnvSchema.shape },
  {
    app: 'admin',
    what: "issues, lists and revokes the API's tokens (`abuse-monitor admin`)",
    shape: adminEnvSchema.shape,
  },
  {
    app: 'deadletters',
    what: 'lists dead letters and sends them back to their topics (`abuse-monitor deadletters`)',
    shape: deadlettersEnvSchema.shape,
  },
  {
    app: 'parse',
    what: 'parses reports as intake does (`abuse-monitor parse`)',
    shape: parseEnvSchema.shape,
  },
  {
    app: 'whatif',
    what: 'replays stored reports through candidate rules (`abuse-monitor whatif`)',
    shape: whatifEnvSchema.shape,
  },
];

export interface Variable {
  name: string;
  defaultText: string;
  description: string;
}

const DURATION_UNITS: ReadonlyArray<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/** A duration field parses '2h' to 7200000: its default (in ms) is shown as the operator writes it. */
function isDuration(schema: z.core.$ZodType): boolean {
  const parsed = z.safeParse(schema, '2h');
  return parsed.success && parsed.data === 7_200_000;
}

function shownDuration(ms: number): string {
  const [unit, size] = DURATION_UNITS.find(([, size]) => ms % size === 0) ?? ['ms', 1];
  return `${ms / size}${unit}`;
}

function shownDefault(value: unknown, inner: z.core.$ZodType): string {
  if (Array.isArray(value)) return value.length === 0 ? '(empty)' : `\`${value.join(',')}\``;
  if (value === '') return '(empty)';
  if (typeof value === 'number' && isDuration(inner)) return `\`${shownDuration(value)}\``;
  return `\`${String(value)}\``;
}

/** The default as the operator would write it, looking through the wrappers zod puts around it. */
function defaultOf(schema: z.ZodType): string {
  if (schema instanceof z.ZodDefault) return shownDefault(schema.def.defaultValue, schema.unwrap());
  if (schema instanceof z.ZodPipe) return defaultOf(schema.in as z.ZodType);
  if (schema instanceof z.ZodOptional) return '(none)';
  return '(required)';
}

export function variableOf(name: string, schema: z.ZodType): Variable {
  const description = schema.description;
  if (!description) {
    throw new Error(`${name} has no .describe(): say what it means where its schema is declared`);
  }
  return { name, defaultText: defaultOf(schema), description };
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

function table(rows: ReadonlyArray<readonly string[]>, head: readonly string[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: readonly string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

/**
 * Variables that several apps read with the same default and meaning are listed once, with the
 * apps that read them; the others under each app. The order is the schemas' own.
 */
export function configurationPage(apps: readonly AppSchema[] = APP_SCHEMAS): string {
  const readers = new Map<string, { variable: Variable; apps: string[] }[]>();
  for (const { app, shape } of apps) {
    for (const [name, schema] of Object.entries(shape)) {
      const variable = variableOf(name, schema);
      const versions = readers.get(name) ?? [];
      const same = versions.find(
        (v) =>
          v.variable.defaultText === variable.defaultText && v.variable.description === variable.description,
      );
      if (same) same.apps.push(app);
      else versions.push({ variable, apps: [app] });
      readers.set(name, versions);
    }
  }
  const shared = [...readers.values()].filter((v) => v.length === 1 && v[0].apps.length > 1).map((v) => v[0]);
  const sharedNames = new Set(shared.map((s) => s.variable.name));
  const row = (v: Variable) => [`\`${v.name}\``, v.defaultText, cell(v.description)];

  const sections = [
    `# Configuration

<!-- Generated by scripts/config-docs.ts from the apps' zod schemas: do not edit by hand.
     Change a field's .describe() or default, then run \`npm run docs:config\`. -->

Every app reads environment variables, validated at start-up; a bad value stops the process with
one line naming the variable (and never showing a secret). With none set, everything runs on this
machine. A variable left empty counts as unset.

Any variable may be read from a file instead, as Kubernetes and Docker mount Secrets: \`<NAME>_FILE\`
names the file (\`DATABASE_URL_FILE\`, \`DATABASE_OWNER_URL_FILE\`), whose final line break is dropped;
setting both \`<NAME>\` and \`<NAME>_FILE\` is an error. Every \`_MS\` timer takes at most 2147483647;
durations are a whole number and a unit: \`45s\`, \`30m\`, \`2h\`, \`90d\`.

The command-line tools (\`admin\`, \`deadletters\`, \`parse\`, \`whatif\`) come after the apps;
\`abuse-monitor <tool> --help\` names the variables each reads. \`admin\` and \`whatif\` connect as
\`postgres\` to the local \`abuse_monitor\` by default.`,
    `## Read by several apps

${table(
  shared.map((s) => [...row(s.variable).slice(0, 2), s.apps.join(', '), row(s.variable)[2]]),
  ['variable', 'default', 'apps', 'meaning'],
)}`,
    ...apps.map(({ app, what, shape }) => {
      const own = Object.entries(shape)
        .filter(([name]) => !sharedNames.has(name))
        .map(([name, schema]) => row(variableOf(name, schema)));
      const intro = `## ${app}\n\n\`apps/${app}\`: ${what}.`;
      if (own.length > 0) return `${intro}\n\n${table(own, ['variable', 'default', 'meaning'])}`;
      // An empty table would read as "no variables"; these read only shared ones.
      const shared = Object.keys(shape).map((name) => `\`${name}\``);
      return `${intro} It reads only variables of several apps (above): ${shared.join(', ')}.`;
    }),
  ];
  return `${sections.join('\n\n')}\n`;
}

function main(): void {
  const page = configurationPage();
  if (process.argv.includes('--check')) {
    const committed = readFileSync(CONFIGURATION_PAGE, 'utf8');
    if (committed !== page) {
      process.stderr.write('docs/configuration.md is stale: run npm run docs:config and commit it\n');
      process.exit(1);
    }
    return;
  }
  writeFileSync(CONFIGURATION_PAGE, page);
}

if (require.main === module) main();
