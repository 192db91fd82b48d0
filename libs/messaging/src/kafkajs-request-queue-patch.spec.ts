import { createRequire } from 'node:module';

/*
 * kafkajs 2.2.4 as published scheduled its pending-request check with a negative delay (1 ms)
 * after every response, even with nothing pending, and the check scheduled itself again: every
 * connection ran a timer every millisecond for as long as it was open (kafkajs issues 1556 and
 * 1704). patches/kafkajs+2.2.4.patch schedules the check only while a request waits.
 */

const kafkajs = createRequire(require.resolve('kafkajs'));

interface Entry {
  apiKey: number;
  apiName: string;
  apiVersion: number;
  correlationId: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}
interface RequestQueue {
  pending: unknown[];
  inflight: Map<number, unknown>;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  push(request: { entry: Entry; expectResponse: boolean; sendRequest: () => void }): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer | null; size: number }): void;
  maybeThrottle(ms: number): void;
  destroy(): void;
}
const RequestQueue = kafkajs('./src/network/requestQueue') as new (options: object) => RequestQueue;
const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const logger = { ...silent, namespace: () => silent };

describe('kafkajs request queue (patched)', () => {
  let queue: RequestQueue;
  let sent: number[];
  beforeEach(() => {
    sent = [];
    queue = new RequestQueue({
      maxInFlightRequests: 1,
      requestTimeout: 30_000,
      enforceRequestTimeout: false,
      clientId: 'test',
      broker: 'localhost:9092',
      logger,
    });
  });
  afterEach(() => queue.destroy());

  const request = (correlationId: number) => ({
    entry: {
      apiKey: 1,
      apiName: 'Fetch',
      apiVersion: 11,
      correlationId,
      resolve: () => undefined,
      reject: () => undefined,
    },
    expectResponse: true,
    sendRequest: () => sent.push(correlationId),
  });

  it('schedules no check once the last response is in and nothing waits', () => {
    queue.push(request(1));
    expect(sent).toEqual([1]);
    queue.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
    expect(queue.inflight.size).toBe(0);
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });

  it('still sends a request held back by the in-flight limit when the one before is answered', async () => {
    queue.push(request(1));
    queue.push(request(2));
    expect(sent).toEqual([1]);
    expect(queue.pending).toHaveLength(1);
    queue.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
    expect(sent).toEqual([1, 2]);
    queue.fulfillRequest({ correlationId: 2, payload: null, size: 0 });
    // The check scheduled while request 2 waited runs once more, and schedules nothing after it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });

  it('still sends a request held back by the broker throttling the client, once the throttle ends', async () => {
    queue.maybeThrottle(50);
    queue.push(request(1));
    expect(sent).toEqual([]);
    expect(queue.throttleCheckTimeoutId).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(sent).toEqual([1]);
    queue.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });
});
