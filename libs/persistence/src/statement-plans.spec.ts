import { fileNameOf, staleFiles } from '../../../scripts/sql-docs';
import { STATEMENT_CALLS } from '../../../scripts/statement-calls';
import { methodsOf } from './statement-plans';
import * as persistence from './index';

describe('the statements libs/persistence/sql snapshots', () => {
  it.each(STATEMENT_CALLS.map((spec) => [spec.name, spec] as const))(
    '%s: every method is called or left out with a reason, never both',
    (_, spec) => {
      const called = new Set(spec.calls.map((call) => call.method));
      const leftOut = Object.keys(spec.leftOut);
      expect([...called, ...leftOut].sort()).toEqual([...new Set([...called, ...leftOut])].sort());
      expect([...new Set([...called, ...leftOut])].sort()).toEqual(methodsOf(spec.prototype).sort());
      for (const why of Object.values(spec.leftOut)) expect(why).toMatch(/\w{3}/);
    },
  );

  it('covers every repository the library exports', () => {
    const classes = Object.entries(persistence)
      .filter(([name, value]) => typeof value === 'function' && /(Repository|Store)$/.test(name))
      .map(([name]) => name);
    expect(STATEMENT_CALLS.map((spec) => spec.name).sort()).toEqual(classes.sort());
  });

  it('names one file per repository', () => {
    expect(fileNameOf('FlagsRepository')).toBe('flags.repository.sql');
    expect(fileNameOf('DailySummaryRepository')).toBe('daily-summary.repository.sql');
    expect(fileNameOf('AuditLogRepository')).toBe('audit-log.repository.sql');
    const names = STATEMENT_CALLS.map((spec) => fileNameOf(spec.name));
    expect(new Set(names).size).toBe(names.length);
  });

  it('calls a file stale when it differs, is missing or is left over', () => {
    const made = new Map([
      ['a.sql', 'x'],
      ['b.sql', 'y'],
    ]);
    expect(staleFiles(made, new Map(made))).toEqual([]);
    expect(
      staleFiles(
        made,
        new Map([
          ['a.sql', 'changed'],
          ['c.sql', 'old'],
        ]),
      ),
    ).toEqual(['a.sql', 'b.sql', 'c.sql']);
  });
});
