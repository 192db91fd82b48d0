import { AsyncLocalStorage } from 'node:async_hooks';

const store = new AsyncLocalStorage<string>();

/** Runs `work` with a correlation id that every log line written inside it carries. */
export function withCorrelationId<T>(correlationId: string, work: () => T): T {
  return store.run(correlationId, work);
}

export function currentCorrelationId(): string | undefined {
  return store.getStore();
}
