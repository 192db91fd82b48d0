import { Kafka, Message, Producer } from 'kafkajs';
import { javaCompatiblePartitioner } from './kafka-partitioner';
import { retryWithBackoff, describeError } from '@abuse-monitor/runtime';
import { LogSink } from './kafka-client';

/**
 * A producer that waits for all in-sync replicas and retries until the broker takes the messages
 * or the caller gives up; connects lazily so an app starts while the broker is down. Delivery is
 * at least once: every consumer of our topics deduplicates by the id inside the message.
 */
export class Publisher {
  private readonly producer: Producer;
  private connected: Promise<void> | null = null;

  constructor(
    kafka: Kafka,
    private readonly log: LogSink,
  ) {
    this.producer = kafka.producer({
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: javaCompatiblePartitioner,
    });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.connected = null;
    });
  }

  async send(topic: string, messages: Message[], shouldContinue: () => boolean = () => true): Promise<void> {
    if (messages.length === 0) return;
    await retryWithBackoff(
      async () => {
        await this.connect();
        await this.producer.send({ topic, messages, acks: -1 });
      },
      {
        what: `publish ${messages.length} messages to ${topic}`,
        shouldContinue,
        onRetry: (attempt, delayMs, error) =>
          this.log(
            'warn',
            `publishing to ${topic} failed (attempt ${attempt}): ${describeError(error)}; retrying in ${delayMs} ms`,
          ),
      },
    );
  }

  async close(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
  }

  private connect(): Promise<void> {
    if (!this.connected) {
      this.connected = this.producer.connect().catch((error: unknown) => {
        this.connected = null;
        throw error;
      });
    }
    return this.connected;
  }
}
