export { backoffDelay, describeError, GaveUpError, retryWithBackoff } from './retry-with-backoff';
export type { BackoffOptions } from './retry-with-backoff';
export { logLevelsUpTo, runUntilSignalled } from './run-until-signalled';
export { FixedClock, systemClock } from './clock';
export type { Clock } from './clock';
export { commandLine } from './command-line';
export { withTimeout } from './with-timeout';
export { limitHeapGrowth } from './heap-growth';
export { printable, printableLines } from './printable';
