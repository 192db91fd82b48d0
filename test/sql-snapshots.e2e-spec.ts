import { committedFiles, staleFiles, statementFiles } from '../scripts/sql-docs';
import { STATEMENT_CALLS } from '../scripts/statement-calls';

/**
 * libs/persistence/sql holds every repository's statements with their plans; a statement or plan
 * that changed without the files being made again fails here (run npm run docs:sql).
 */
describe('libs/persistence/sql', () => {
  let made: Map<string, string>;
  beforeAll(async () => {
    made = await statementFiles();
  }, 120_000);

  it('is what scripts/sql-docs.ts makes of the repositories (run npm run docs:sql when this fails)', () => {
    const committed = committedFiles();
    expect(staleFiles(made, committed)).toEqual([]);
    for (const [file, text] of made) expect(committed.get(file)).toBe(text);
  });

  it('holds a plan for every statement of every call', () => {
    const text = [...made.values()].join('\n');
    for (const spec of STATEMENT_CALLS)
      for (const call of spec.calls)
        expect(text).toContain(`-- ${spec.name}.${call.method}${call.case ? `: ${call.case}` : ''}\n`);
    expect(text).toMatch(/-> {2}Index Scan using flags_queue_rank_idx on flags f$/m);
  });
});
