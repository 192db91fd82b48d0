import { INestApplicationContext, Logger, LogLevel } from '@nestjs/common';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Nest's log levels up to and including `level`. */
export function logLevelsUpTo(level: 'error' | 'warn' | 'log' | 'debug' | 'verbose'): LogLevel[] {
  return LEVELS.slice(0, LEVELS.indexOf(level) + 1);
}

/**
 * Starts an app and closes it on SIGTERM or SIGINT, then exits 0. Nest's own shutdown hooks
 * re-raise the signal after closing, which ends the process with 143 and reads as a failure to
 * supervisors; a clean stop is not a failure. A second signal forces the exit.
 */
export async function runUntilSignalled(
  name: string,
  create: () => Promise<INestApplicationContext>,
  shutdownTimeoutMs = 30_000,
): Promise<void> {
  const logger = new Logger(name);
  let app: INestApplicationContext | null = null;
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      logger.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    closing = true;
    logger.log(`${signal} received: finishing the work in hand`);
    if (!app) process.exit(0);
    const timer = setTimeout(() => {
      logger.error(`shutdown took longer than ${shutdownTimeoutMs} ms: exiting`);
      process.exit(1);
    }, shutdownTimeoutMs);
    timer.unref();
    app
      .close()
      .then(() => {
        logger.log('stopped cleanly');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error(`error while stopping: ${String(error)}`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  app = await create();
  if (closing) {
    await app.close();
    process.exit(0);
  }
  logger.log('started');
}
