import { KafkaMessage } from 'kafkajs';
import { deadLetterMessage, deadLetterRecord } from '@abuse-monitor/messaging';
import { runCli } from './support/cli';
import { Harness } from './support/ingest-fixture';
import { createTopics, produce } from './support/kafka';

/** What a terminal acts on: C0 controls but the newline, DEL, C1 controls and bidi overrides. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const TERMINAL_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
/** Clears the screen, writes the clipboard (OSC 52), then reverses the text after it. */
const HOSTILE_KEY = '\u001b[2J\u001b]52;c;ZWNobyBwd25lZA==\u0007key\u202egnp.exe';
const HOSTILE_DETAIL = 'invalid_json\r\u009b31mOK: nothing to see';

describe('deadletters CLI and hostile keys', () => {
  const harness = new Harness();
  afterAll(() => harness.dropDatabases());

  it('prints escape sequences and controls from the topic as visible escapes, in text and in JSON', async () => {
    const f = await harness.fixture('cli-controls');
    const original = {
      key: Buffer.from(HOSTILE_KEY),
      value: Buffer.from('{"broken'),
      offset: '7',
      timestamp: String(Date.now()),
    } as unknown as KafkaMessage;
    const record = deadLetterRecord(f.topics.smsRaw, 0, original, 'invalid_json', HOSTILE_DETAIL, new Date());
    await createTopics(f.kafka, [f.topics.deadLetter]);
    await produce(f.kafka, f.topics.deadLetter, [deadLetterMessage(f.topics.deadLetter, record)]);
    const env = { KAFKA_BROKERS: f.env.KAFKA_BROKERS, KAFKA_TOPIC_PREFIX: f.env.KAFKA_TOPIC_PREFIX };

    const listed = await runCli('deadletters', ['list'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('1 read, 1 selected');
    expect(listed.stdout).not.toMatch(TERMINAL_CONTROL);
    expect(listed.stdout).toContain('key=\\u001b[2J\\u001b]52;c;ZWNobyBwd25lZA==\\u0007key\\u202egnp.exe');
    expect(listed.stdout).toContain('invalid_json\\u000d\\u009b31mOK');

    const asJson = await runCli('deadletters', ['list', '--json'], env);
    expect(asJson.stdout).not.toMatch(TERMINAL_CONTROL);
    const [line] = asJson.stdout.trim().split('\n');
    // The same values, once parsed.
    expect(JSON.parse(line ?? '{}')).toMatchObject({ detail: HOSTILE_DETAIL, source: { key: HOSTILE_KEY } });
  });
});
