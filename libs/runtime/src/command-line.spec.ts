import { CommandLineIo, commandLine, CommandSpec, OptionSpec } from './command-line';

class Exited extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

class FakeIo implements CommandLineIo {
  out = '';
  err = '';
  readonly stdout = { write: (text: string) => (this.out += text) };
  readonly stderr = { write: (text: string) => (this.err += text) };
  exit(code: number): never {
    throw new Exited(code);
  }
}

const fakeIo = () => new FakeIo();

const spec = {
  name: 'demo',
  summary: 'shows how a tool describes itself',
  usage: ['list [--json]', 'send --to TOPIC'],
  description: ['Lists things, or sends them.'],
  commands: { list: 'list them', send: 'send them' },
  options: {
    to: { type: 'string', value: 'TOPIC', description: 'where to send' },
    json: { type: 'boolean', default: false, description: 'for machines' },
    tag: { type: 'string', short: 't', multiple: true, description: 'a tag (repeatable)' },
  },
  environment: { names: ['DATABASE_URL', 'KAFKA_BROKERS'], notes: { KAFKA_BROKERS: 'host:port,...' } },
  examples: ['abuse-monitor demo list --json'],
  allowPositionals: true,
} satisfies CommandSpec<Record<string, OptionSpec>>;

function exitOf(run: () => unknown): number {
  try {
    run();
  } catch (error) {
    if (error instanceof Exited) return error.code;
    throw error;
  }
  throw new Error('did not exit');
}

describe('commandLine', () => {
  it('parses the declared options and positionals', () => {
    const io = fakeIo();
    const parsed = commandLine(spec, io).parse(['send', '--to', 'x', '-t', 'a', '--tag', 'b']);
    expect(parsed).toEqual({ values: { to: 'x', json: false, tag: ['a', 'b'] }, positionals: ['send'] });
    expect(io.out + io.err).toBe('');
  });

  it.each([['--help'], ['-h'], ['list', '--help'], ['--bogus', '-h']])(
    'answers %s with the usage on stdout and exit 0',
    (...args) => {
      const io = fakeIo();
      expect(exitOf(() => commandLine(spec, io).parse(args))).toBe(0);
      expect(io.err).toBe('');
      expect(io.out).toBe(
        [
          'abuse-monitor demo: shows how a tool describes itself',
          '',
          'usage: abuse-monitor demo list [--json]',
          '       abuse-monitor demo send --to TOPIC',
          '       (from a checkout: npm run -s demo -- ARGS)',
          '',
          'Lists things, or sends them.',
          '',
          'commands:',
          '  list  list them',
          '  send  send them',
          '',
          'options:',
          '      --to TOPIC   where to send',
          '      --json       for machines',
          '  -t, --tag VALUE  a tag (repeatable)',
          '  -h, --help       show this help and exit',
          '',
          'environment (README, "Configuration"):',
          '  DATABASE_URL',
          '  KAFKA_BROKERS  host:port,...',
          '',
          'example:',
          '  abuse-monitor demo list --json',
          '',
        ].join('\n'),
      );
    },
  );

  it('does not take -h after -- as a request for help', () => {
    const parsed = commandLine(spec, fakeIo()).parse(['list', '--', '-h']);
    expect(parsed.positionals).toEqual(['list', '-h']);
  });

  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--to'], "Option '--to <value>' argument missing"],
  ])('refuses %j with the reason, the synopsis and a pointer to --help, exit 2', (args, reason) => {
    const io = fakeIo();
    expect(exitOf(() => commandLine(spec, io).parse(args))).toBe(2);
    expect(io.out).toBe('');
    const lines = io.err.trimEnd().split('\n');
    expect(lines[0]).toContain(reason);
    expect(lines[0]).toMatch(/^demo: /);
    expect(lines.slice(1)).toEqual([
      'usage: abuse-monitor demo list [--json]',
      '       abuse-monitor demo send --to TOPIC',
      'see abuse-monitor demo --help',
    ]);
  });

  it('refuses positionals a tool does not take', () => {
    const io = fakeIo();
    const strict = { ...spec, allowPositionals: false };
    expect(exitOf(() => commandLine(strict, io).parse(['stray']))).toBe(2);
    expect(io.err).toContain("Unexpected argument 'stray'");
  });

  it('says so when a tool reads no environment', () => {
    const io = fakeIo();
    const bare = { ...spec, environment: { names: [] } };
    exitOf(() => commandLine(bare, io).parse(['-h']));
    expect(io.out).toContain('\nenvironment: none read\n');
  });
});
