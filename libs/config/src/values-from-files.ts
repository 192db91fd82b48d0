import { readFileSync } from 'node:fs';

/**
 * `NAME_FILE=/path` gives NAME the content of that file (its trailing line break removed), so a
 * password can come from a mounted Secret or a Docker secret instead of the environment, where
 * `ps e` and crash reports see it. Only the path ever appears in an error, never the content.
 */
export function valuesFromFiles(
  names: readonly string[],
  env: Record<string, string | undefined>,
): { values: Record<string, string>; problems: string[] } {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  for (const name of names) {
    const path = env[`${name}_FILE`]?.trim();
    if (!path) continue;
    if (env[name]?.trim()) {
      problems.push(`${name}_FILE: set ${name} or ${name}_FILE, not both`);
      continue;
    }
    let content: string;
    try {
      content = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      problems.push(`${name}_FILE: cannot read ${JSON.stringify(path)} (${code})`);
      continue;
    }
    if (content.trim() === '') problems.push(`${name}_FILE: ${JSON.stringify(path)} is empty`);
    else values[name] = content;
  }
  return { values, problems };
}
