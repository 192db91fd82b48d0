import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { APP_SCHEMAS, CONFIGURATION_PAGE, configurationPage, variableOf } from '../../../scripts/config-docs';
import { duration } from './env-fields';

describe('docs/configuration.md', () => {
  it('is what scripts/config-docs.ts makes of the schemas (run npm run docs:config when this fails)', () => {
    expect(readFileSync(CONFIGURATION_PAGE, 'utf8')).toBe(configurationPage());
  });

  it('has a section for every app and command-line tool under apps/', () => {
    const apps = readdirSync(join(__dirname, '..', '..', '..', 'apps'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(APP_SCHEMAS.map((s) => s.app).sort()).toEqual(apps.sort());
  });

  it("lists every variable of every app's schema", () => {
    const page = configurationPage();
    for (const { shape } of APP_SCHEMAS) {
      for (const name of Object.keys(shape)) expect(page).toContain(`| \`${name}\` `);
    }
  });

  it('refuses a field that does not say what it means', () => {
    expect(() => variableOf('UNEXPLAINED', z.string().default('x'))).toThrow(/UNEXPLAINED has no \.describe/);
  });

  it('shows defaults as an operator writes them', () => {
    const durationField = duration('a wait')
      .default(7 * 86_400_000)
      .describe('a wait');
    expect(variableOf('WAIT', durationField).defaultText).toBe('`7d`');
    expect(variableOf('LIST', z.array(z.string()).default(['156', '5656']).describe('l')).defaultText).toBe(
      '`156,5656`',
    );
    expect(variableOf('NONE', z.string().optional().describe('n')).defaultText).toBe('(none)');
    expect(variableOf('EMPTY', z.string().default('').describe('e')).defaultText).toBe('(empty)');
  });
});
