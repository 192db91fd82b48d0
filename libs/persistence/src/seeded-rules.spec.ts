import type { QueryRunner } from 'typeorm';
import { DEFAULT_RULES } from '@abuse-monitor/domain';
import { Aggregation1764600000000 } from '../../../migrations/1764600000000-Aggregation';

/**
 * The rules table was seeded once, by the migration that created it, with its own copy of the
 * domain's DEFAULT_RULES: the tests, what-if and the docs speak of the defaults, the database of
 * the seed. This keeps the two copies saying the same; changing DEFAULT_RULES still changes no
 * existing database (that takes the API or a new migration).
 */
async function migrationStatements(): Promise<string[]> {
  const statements: string[] = [];
  const recorder = { query: async (sql: string) => void statements.push(sql) } as unknown as QueryRunner;
  await new Aggregation1764600000000().up(recorder);
  return statements;
}

async function seededRules(): Promise<Record<string, unknown>[]> {
  const statements = await migrationStatements();
  const seed = statements.find((sql) => /INSERT INTO "rules"/.test(sql));
  if (!seed) throw new Error('the migration no longer seeds the rules table');
  const tuple = /\('([^']*)', '([^']*)', (\d+), '(\w+)', (NULL|'\w+'), (\d+), '(\w+)', '(\w+)'\)/g;
  return [...seed.matchAll(tuple)].map(
    ([, id, name, windowSeconds, measure, kind, threshold, severity, action]) => ({
      id,
      name,
      windowSeconds: Number(windowSeconds),
      measure,
      kind: kind === 'NULL' ? null : kind.slice(1, -1),
      threshold: Number(threshold),
      severity,
      action,
    }),
  );
}

describe("the migration's seed of the rules table", () => {
  it('is DEFAULT_RULES, rule for rule', async () => {
    const defaults = DEFAULT_RULES.map((rule) => ({
      id: rule.id,
      name: rule.name,
      windowSeconds: rule.windowSeconds,
      measure: rule.measure,
      kind: rule.kind ?? null,
      threshold: rule.threshold,
      severity: rule.severity,
      action: rule.action,
    }));
    expect(await seededRules()).toEqual(defaults);
  });

  it('gives them the version and state of DEFAULT_RULES (the columns it leaves to their defaults)', async () => {
    const table = (await migrationStatements()).find((sql) => /CREATE TABLE "rules"/.test(sql)) ?? '';
    expect(table).toMatch(/"version" integer NOT NULL DEFAULT 1,/);
    expect(table).toMatch(/"enabled" boolean NOT NULL DEFAULT true,/);
    expect(DEFAULT_RULES.every((rule) => rule.enabled && rule.version === 1)).toBe(true);
  });
});
