import { Kafka, logLevel } from 'kafkajs';

// No path aliases here: jest's global setup loads this file without the module name mapper.
export const TEST_BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

export function testKafka(): Kafka {
  return new Kafka({ clientId: 'abuse-monitor-tests', brokers: TEST_BROKERS, logLevel: logLevel.NOTHING });
}
