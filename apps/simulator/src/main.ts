import { kafkaClientSettings, loadConfigOrExit } from '@abuse-monitor/config';
import {
  createKafka,
  ensureTopics,
  exitIfKafkaRefusesAccess,
  Publisher,
  topicNames,
} from '@abuse-monitor/messaging';
import { commandLine, describeError, retryWithBackoff } from '@abuse-monitor/runtime';
import { simulatorEnvSchema } from './simulator.config';
import { TrafficGenerator } from './traffic-generator';

/** Plays the operator's SMS gateway: puts simulated 156/5656 messages on reports.sms.raw. */
commandLine({
  name: 'simulator',
  npmScript: 'simulate',
  summary: 'plays the SMS gateway: puts simulated 156/5656 messages on reports.sms.raw',
  usage: [''],
  description: [
    'Sends realistic reports, a few heavy spammers among them, until stopped or the count is sent.',
  ],
  options: {},
  environment: {
    names: Object.keys(simulatorEnvSchema.shape),
    notes: {
      SIMULATOR_RATE: 'messages per second (default 20)',
      SIMULATOR_COUNT: 'messages to send, then stop (default 0: until stopped)',
    },
  },
  examples: ['SIMULATOR_RATE=200 SIMULATOR_COUNT=10000 abuse-monitor simulator'],
}).parse();
const config = loadConfigOrExit(simulatorEnvSchema);

const log = (level: string, message: string) => process.stdout.write(`[simulator] ${level}: ${message}\n`);
const settings = kafkaClientSettings(config, 'simulator');
const kafka = createKafka(settings, log);
const publisher = new Publisher(kafka, log);
const topic = topicNames(config.KAFKA_TOPIC_PREFIX).smsRaw;
let stopping = false;

async function main(): Promise<void> {
  await exitIfKafkaRefusesAccess(settings, (reason) => log('warn', `Kafka is not reachable yet (${reason})`));
  await retryWithBackoff(
    () =>
      ensureTopics(kafka, [
        { topic, numPartitions: config.KAFKA_TOPIC_PARTITIONS, retentionMs: config.KAFKA_TOPIC_RETENTION },
      ]),
    {
      what: `create ${topic}`,
      shouldContinue: () => !stopping,
      onRetry: (attempt, delayMs, error) =>
        log(
          'warn',
          `cannot create ${topic} (attempt ${attempt}): ${describeError(error)}; retrying in ${delayMs} ms`,
        ),
    },
  );
  const generator = new TrafficGenerator();
  log(
    'log',
    `sending ${config.SIMULATOR_RATE} messages/s to ${topic}; heavy spammers: ${generator.heavySpammers.join(', ')}`,
  );
  const tickMs = 100;
  let sent = 0;
  let carry = 0;
  let lastReport = Date.now();
  while (!stopping && (config.SIMULATOR_COUNT === 0 || sent < config.SIMULATOR_COUNT)) {
    const started = Date.now();
    carry += (config.SIMULATOR_RATE * tickMs) / 1000;
    let due = Math.floor(carry);
    carry -= due;
    if (config.SIMULATOR_COUNT > 0) due = Math.min(due, config.SIMULATOR_COUNT - sent);
    const messages = Array.from({ length: due }, () => generator.next());
    await publisher.send(topic, messages, () => !stopping);
    sent += due;
    if (Date.now() - lastReport >= 10_000) {
      log('log', `${sent} messages sent`);
      lastReport = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, tickMs - (Date.now() - started))));
  }
  log('log', `${sent} messages sent; done`);
}

const stop = () => {
  stopping = true;
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

main()
  .then(() => publisher.close())
  .then(() => process.exit(0))
  .catch(async (error: unknown) => {
    await publisher.close();
    if (stopping) process.exit(0);
    log('error', error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
