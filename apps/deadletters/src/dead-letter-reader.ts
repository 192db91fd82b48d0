import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { groupIdWithPrefix } from '@abuse-monitor/messaging';
import type { DeadLetterEntry } from '@abuse-monitor/messaging';
import type { Progress } from '@abuse-monitor/runtime';

/**
 * Everything on the dead-letter topic up to its end when the read began, read by a consumer group
 * of its own that commits nothing and is deleted afterwards: the read leaves no trace on the broker.
 */
export async function readDeadLetters(
  kafka: Kafka,
  topic: string,
  timeoutMs: number,
  groupPrefix: string,
  progress?: Pick<Progress, 'setTotal' | 'advance'>,
): Promise<DeadLetterEntry[]> {
  const admin = kafka.admin();
  await admin.connect();
  // Prefixed like every group of the deployment: a cluster's ACLs often grant groups by prefix.
  const groupId = groupIdWithPrefix(groupPrefix, `abuse-monitor-deadletters-${randomUUID()}`);
  let consumer: ReturnType<Kafka['consumer']> | null = null;
  try {
    if (!(await admin.listTopics()).includes(topic)) return [];
    const offsets = (await admin.fetchTopicOffsets(topic)).filter((p) => BigInt(p.high) > BigInt(p.low));
    const ends = new Map(offsets.map((p) => [p.partition, BigInt(p.high)]));
    if (ends.size === 0) return [];
    // At most this many: a compacted or transactional topic has gaps (markers) in its offsets.
    progress?.setTotal(offsets.reduce((sum, p) => sum + Number(BigInt(p.high) - BigInt(p.low)), 0));
    const entries: DeadLetterEntry[] = [];
    const reader = kafka.consumer({ groupId, allowAutoTopicCreation: false });
    consumer = reader;
    await reader.connect();
    await reader.subscribe({ topics: [topic], fromBeginning: true });
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`read only part of ${topic} in ${timeoutMs / 1000} s: is the broker slow?`)),
        timeoutMs,
      );
      reader.on(reader.events.CRASH, (event) =>
        reject(new Error(`reading ${topic} failed: ${(event.payload.error as Error).message}`)),
      );
      reader
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const end = ends.get(partition);
            if (end === undefined || BigInt(message.offset) >= end) return;
            entries.push({ position: `${partition}/${message.offset}`, value: message.value });
            progress?.advance();
            if (BigInt(message.offset) + 1n >= end) ends.delete(partition);
            if (ends.size === 0) resolve();
          },
        })
        .catch(reject);
    }).finally(() => clearTimeout(timer));
    return entries;
  } finally {
    await consumer?.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
