import { z } from 'zod';
import { ConfigError, loadConfig } from './load-config';
import { MAX_TOPIC_RETENTION_MS, topicCreationEnvShape } from './topic-creation-env';

const schema = z.object(topicCreationEnvShape);

describe('KAFKA_TOPIC_RETENTION', () => {
  it('keeps messages 90 days by default, the most personal data may be kept', () => {
    expect(loadConfig(schema, {}).KAFKA_TOPIC_RETENTION).toBe(MAX_TOPIC_RETENTION_MS);
    expect(MAX_TOPIC_RETENTION_MS).toBe(90 * 24 * 3600 * 1000);
  });

  it('takes a shorter duration', () => {
    expect(loadConfig(schema, { KAFKA_TOPIC_RETENTION: '14d' }).KAFKA_TOPIC_RETENTION).toBe(14 * 86_400_000);
    expect(loadConfig(schema, { KAFKA_TOPIC_RETENTION: '90d' }).KAFKA_TOPIC_RETENTION).toBe(
      MAX_TOPIC_RETENTION_MS,
    );
  });

  it('refuses a longer one, or one that is not a duration, with one line naming the variable', () => {
    expect(() => loadConfig(schema, { KAFKA_TOPIC_RETENTION: '91d' })).toThrow(
      new ConfigError(
        'Invalid configuration: KAFKA_TOPIC_RETENTION: at most 90d: the topics hold reporters\' numbers, kept 90 days at most (got "91d")',
      ),
    );
    expect(() => loadConfig(schema, { KAFKA_TOPIC_RETENTION: 'forever' })).toThrow(/KAFKA_TOPIC_RETENTION/);
  });
});
