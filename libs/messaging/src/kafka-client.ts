import { Kafka, logLevel as KafkaLogLevel, LogEntry } from 'kafkajs';
import { kafkaLogText, kafkaSinkLevel } from './kafka-log-level';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
}

export type LogSink = (level: 'error' | 'warn' | 'log' | 'debug', message: string) => void;

/**
 * One place that turns configuration into a kafkajs client. kafkajs' own retries are kept short:
 * the callers wrap connects and sends in their own back-off, which can wait as long as it takes.
 */
export function createKafka(settings: KafkaSettings, log: LogSink): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 300, retries: 5, maxRetryTime: 10_000 },
    logLevel: KafkaLogLevel.WARN,
    logCreator: () => (entry: LogEntry) => log(kafkaSinkLevel(entry), kafkaLogText(entry)),
  });
}
