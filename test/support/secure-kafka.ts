import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { freePort } from './tcp-proxy';

const KAFKA_SH = join(__dirname, '..', '..', 'ops', 'kafka', 'kafka.sh');

/** A second broker of our own with a SASL_SSL listener, started by ops/kafka/kafka.sh. */
export interface SecureBroker {
  /** 127.0.0.1:PORT of the SASL_SSL listener. */
  address: string;
  caFile: string;
  username: string;
  passwordFile: string;
  password: string;
  /** A client of the tests through the SASL_SSL listener (PLAIN, the apps use SCRAM). */
  kafka: Kafka;
  stop(): Promise<void>;
}

function kafkaSh(command: 'start' | 'stop', env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [KAFKA_SH, command], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`kafka.sh ${command} exited with ${code}:\n${stderr}`)),
    );
  });
}

/**
 * Starts a broker in a temporary data dir on free ports, never touching the shared one on 9092.
 * Its PLAINTEXT listener is only for the broker itself; the tests and apps use the SASL_SSL one.
 */
export async function startSecureBroker(): Promise<SecureBroker> {
  const dataDir = mkdtempSync(join(tmpdir(), 'abuse-monitor-kafka-sasl-ssl-'));
  const saslSslPort = await freePort();
  const env = {
    KAFKA_DATA_DIR: dataDir,
    KAFKA_PORT: String(await freePort()),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    KAFKA_SASL_SSL_PORT: String(saslSslPort),
    KAFKA_HEAP: '256m',
  };
  const stop = async () => {
    await kafkaSh('stop', env);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await kafkaSh('start', env);
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  const caFile = join(dataDir, 'secure', 'ca.pem');
  const passwordFile = join(dataDir, 'secure', 'client.password');
  const password = readFileSync(passwordFile, 'utf8').trim();
  const address = `127.0.0.1:${saslSslPort}`;
  const kafka = new Kafka({
    clientId: 'abuse-monitor-tests',
    brokers: [address],
    ssl: { ca: [readFileSync(caFile, 'utf8')], rejectUnauthorized: true },
    sasl: { mechanism: 'plain', username: 'abuse-monitor', password },
    logLevel: logLevel.NOTHING,
  });
  return { address, caFile, username: 'abuse-monitor', passwordFile, password, kafka, stop };
}
