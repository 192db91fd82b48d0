import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * The commands' (admin, whatif, scheduler run) way with arguments: strict parsing, and on any
 * mistake the reason and the usage on stderr with exit code 2, the convention for bad usage.
 */
export function commandLine(usage: string) {
  const fail = (message: string): never => {
    process.stderr.write(`${message}\n${usage}\n`);
    process.exit(2);
  };
  const parse = <T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> => {
    try {
      return parseArgs({ strict: true, ...config } as T);
    } catch (error) {
      return fail((error as Error).message);
    }
  };
  return { fail, parse };
}
