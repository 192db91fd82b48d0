import { parseArgs } from 'node:util';

/** One option as parseArgs takes it, with what `--help` says of it beside it. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  readonly default?: string | boolean | string[] | boolean[];
  /** The value's placeholder in the help (FILE, YYYY-MM-DD); string options only. */
  readonly value?: string;
  readonly description: string;
}

/**
 * Everything `<tool> --help` says, declared where the options are parsed, so that the two cannot
 * drift: an option parsed is an option described.
 */
export interface CommandSpec<O extends Record<string, OptionSpec>> {
  /** As `abuse-monitor <name>` and `npm run -s <name>` call it. */
  readonly name: string;
  /** The npm script that runs it from a checkout, when not its name (package.json). */
  readonly npmScript?: string;
  /** One line: what the tool is for. */
  readonly summary: string;
  /** The synopsis lines, after the tool's name (`list [--json]`); '' for "no arguments". */
  readonly usage: readonly string[];
  /** What it does, in a few lines. */
  readonly description?: readonly string[];
  readonly commands?: Readonly<Record<string, string>>;
  readonly arguments?: Readonly<Record<string, string>>;
  readonly options: O;
  /** The variables it reads: the names from its configuration schema's shape, so none is left out. */
  readonly environment: {
    readonly names: readonly string[];
    readonly notes?: Readonly<Record<string, string>>;
  };
  /** Further lines (accepted values, formats). */
  readonly notes?: readonly string[];
  readonly examples: readonly string[];
  readonly allowPositionals?: boolean;
}

const HELP: OptionSpec = { type: 'boolean', short: 'h', description: 'show this help and exit' };

function optionLabel(name: string, option: OptionSpec): string {
  // Long names line up whether or not an option has a short one.
  const short = option.short ? `-${option.short}, ` : '    ';
  const value = option.type === 'string' ? ` ${option.value ?? 'VALUE'}` : '';
  return `${short}--${name}${value}`;
}

function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`.trimEnd());
}

/** The synopsis, as the help starts and as a usage mistake repeats it. */
export function synopsis(spec: CommandSpec<Record<string, OptionSpec>>): string {
  return spec.usage
    .map((line, i) => `${i === 0 ? 'usage: ' : '       '}abuse-monitor ${spec.name}${line ? ` ${line}` : ''}`)
    .join('\n');
}

/** The whole `--help` text. */
export function helpText(spec: CommandSpec<Record<string, OptionSpec>>): string {
  const sections: string[][] = [
    [`abuse-monitor ${spec.name}: ${spec.summary}`],
    [synopsis(spec), `       (from a checkout: npm run -s ${spec.npmScript ?? spec.name} -- ARGS)`],
  ];
  if (spec.description?.length) sections.push([...spec.description]);
  if (spec.commands) sections.push(['commands:', ...table(Object.entries(spec.commands))]);
  if (spec.arguments) sections.push(['arguments:', ...table(Object.entries(spec.arguments))]);
  const options = Object.entries({ ...spec.options, help: HELP }).map(
    ([name, option]) => [optionLabel(name, option), option.description] as const,
  );
  sections.push(['options:', ...table(options)]);
  const { names, notes = {} } = spec.environment;
  sections.push(
    names.length === 0
      ? ['environment: none read']
      : ['environment (README, "Configuration"):', ...table(names.map((n) => [n, notes[n] ?? ''] as const))],
  );
  if (spec.notes?.length) sections.push([...spec.notes]);
  sections.push([spec.examples.length > 1 ? 'examples:' : 'example:', ...spec.examples.map((e) => `  ${e}`)]);
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

/** Whether the arguments ask for help: -h or --help before any `--`. */
function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** The options' values as parseArgs returns them; each is absent when not given and without default. */
export type OptionValues<O extends Record<string, OptionSpec>> = {
  [K in keyof O]?: O[K]['type'] extends 'boolean'
    ? O[K]['multiple'] extends true
      ? boolean[]
      : boolean
    : O[K]['multiple'] extends true
      ? string[]
      : string;
};

/** parseArgs takes its own fields only. */
function parseArgsOptions(options: Record<string, OptionSpec>) {
  return Object.fromEntries(
    Object.entries({ ...options, help: HELP }).map(([name, { type, short, multiple, default: initial }]) => [
      name,
      {
        type,
        ...(short !== undefined && { short }),
        ...(multiple !== undefined && { multiple }),
        ...(initial !== undefined && { default: initial }),
      },
    ]),
  );
}

/** Where a command's output goes and how it ends; a test passes its own. */
export interface CommandLineIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly exit: (code: number) => never;
}

const processIo: CommandLineIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  exit: (code) => process.exit(code),
};

/**
 * The tools' way with arguments: strict parsing; `-h`/`--help` prints the help on stdout and exits
 * 0; on a mistake, the reason, the synopsis and a pointer to `--help` on stderr with exit code 2,
 * the convention for bad usage. Call `parse` before reading the configuration, so that `--help`
 * needs no environment, broker or database.
 */
export function commandLine<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  io: CommandLineIo = processIo,
) {
  const fail = (message: string): never => {
    io.stderr.write(`${spec.name}: ${message}\n${synopsis(spec)}\nsee abuse-monitor ${spec.name} --help\n`);
    return io.exit(2);
  };
  const showHelp = (): never => {
    io.stdout.write(helpText(spec));
    return io.exit(0);
  };
  const parse = (
    args: readonly string[] = process.argv.slice(2),
  ): { values: OptionValues<O>; positionals: string[] } => {
    let parsed: { values: Record<string, unknown>; positionals: string[] };
    try {
      parsed = parseArgs({
        args: [...args],
        strict: true,
        allowPositionals: spec.allowPositionals ?? false,
        options: parseArgsOptions(spec.options),
      });
    } catch (error) {
      // `tool --bogus --help` is someone looking for the right option.
      if (asksForHelp(args)) return showHelp();
      return fail((error as Error).message);
    }
    if (parsed.values.help === true) return showHelp();
    const { help: _help, ...values } = parsed.values;
    return { values: values as OptionValues<O>, positionals: parsed.positionals };
  };
  return { fail, parse, help: () => helpText(spec) };
}
