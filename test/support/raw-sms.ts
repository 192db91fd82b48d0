import { Message } from 'kafkajs';

let sequence = 0;

export function rawSmsMessage(overrides: Record<string, unknown> = {}): Message {
  sequence += 1;
  const body = {
    messageId: `gw-${process.pid}-${sequence}`,
    from: `09${String(10_000_000 + sequence).padStart(8, '0')}`,
    to: sequence % 2 ? '156' : '5656',
    text: `V 0987654321 goi lam phien lan ${sequence}`,
    receivedAt: new Date().toISOString(),
    ...overrides,
  };
  return { key: String(body.from), value: JSON.stringify(body) };
}
