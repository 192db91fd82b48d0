import { Kafka } from 'kafkajs';
import { BatchConsumer, BatchConsumerOptions } from './batch-consumer';

describe("a group member's idle long poll (fetchIdleWaitMs)", () => {
  // Nothing connects until start(): the settings are checked when the member is made.
  const kafka = new Kafka({ clientId: 'test', brokers: ['127.0.0.1:1'] });
  const member = (options: Partial<BatchConsumerOptions>) =>
    new BatchConsumer(kafka, {
      groupId: 'g',
      topics: ['t'],
      log: () => undefined,
      handler: async () => undefined,
      ...options,
    });

  it('takes the default, and a wait that leaves a heartbeat inside the session', () => {
    expect(() => member({})).not.toThrow();
    expect(() => member({ fetchIdleWaitMs: 100 })).not.toThrow();
    expect(() => member({ fetchIdleWaitMs: 2_900, sessionTimeoutMs: 6_000 })).not.toThrow();
    expect(() => member({ sessionTimeoutMs: 6_000 })).not.toThrow();
  });

  it('refuses a wait so short it polls, or so long the session would lapse while idle', () => {
    expect(() => member({ fetchIdleWaitMs: 0 })).toThrow(RangeError);
    expect(() => member({ fetchIdleWaitMs: 99 })).toThrow(/at least 100 ms/);
    expect(() => member({ fetchIdleWaitMs: 3_000, sessionTimeoutMs: 6_000 })).toThrow(
      /session timeout \(6000 ms\)/,
    );
    expect(() => member({ fetchIdleWaitMs: 30_000 })).toThrow(RangeError);
  });
});
