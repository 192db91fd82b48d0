import { LoggerService } from '@nestjs/common';
import pino, { Logger as PinoLogger } from 'pino';
import { maskNumbersInText } from '@abuse-monitor/domain';
import { currentCorrelationId } from './correlation';

export type LogLevelName = 'error' | 'warn' | 'log' | 'debug' | 'verbose';

const PINO_LEVELS: Record<LogLevelName, pino.Level> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/**
 * Phone numbers in a log line, masked ('091*****78') in whatever notation they were written
 * ('0912.345.678', full-width digits...). Reporters' numbers are personal data: they appear in
 * clear only at debug and below, which an operator turns on for a diagnosis, not in production.
 * Reported numbers are masked too at info and above; the API shows them to those who may see them.
 */
export function maskPhoneNumbers(text: string): string {
  return maskNumbersInText(text);
}

const DEBUG_LEVEL = 20;

/**
 * Nest's logger as one JSON object per line (pino), with the app, the logging context, the
 * correlation id of the request or consumed batch in hand, and phone numbers masked above debug.
 */
export class JsonLogger implements LoggerService {
  private readonly pino: PinoLogger;

  constructor(app: string, level: LogLevelName, destination: pino.DestinationStream = pino.destination(1)) {
    this.pino = pino(
      {
        level: PINO_LEVELS[level],
        base: { app },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        mixin: () => {
          const correlationId = currentCorrelationId();
          return correlationId ? { correlationId } : {};
        },
        hooks: {
          logMethod(args, method, levelValue) {
            if (levelValue > DEBUG_LEVEL)
              args = args.map((a) => (typeof a === 'string' ? maskPhoneNumbers(a) : a)) as typeof args;
            return method.apply(this, args);
          },
        },
      },
      destination,
    );
  }

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }

  error(message: unknown, stackOrContext?: string, context?: string): void {
    const ctx = context ?? (stackOrContext && !stackOrContext.includes('\n') ? stackOrContext : undefined);
    const stack = context ? stackOrContext : stackOrContext?.includes('\n') ? stackOrContext : undefined;
    this.write('error', message, ctx, stack ? { stack: maskPhoneNumbers(stack) } : {});
  }

  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }

  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }

  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }

  fatal(message: unknown, context?: string): void {
    this.write('fatal', message, context);
  }

  private write(
    level: pino.Level,
    message: unknown,
    context?: string,
    extra: Record<string, unknown> = {},
  ): void {
    const text =
      message instanceof Error
        ? message.message
        : typeof message === 'string'
          ? message
          : JSON.stringify(message);
    this.pino[level]({ context, ...extra }, text);
  }
}
