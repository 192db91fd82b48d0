import { randomBytes } from 'node:crypto';
import { createRandom } from './random';

const KINDS = ['spam_call', 'spam_call', 'spam_call', 'spam_sms', 'scam_call', 'scam_call'] as const;
const CATEGORIES = [
  'missed_call_bait',
  'debt_collection',
  'advertising',
  'scam_other',
  'gambling',
  'unknown',
] as const;

/** An accepted report as the ingest app publishes it on reports.accepted. */
export type BenchReport = ReturnType<ReturnType<typeof acceptedReports>>;

/**
 * Accepted reports at national volumes: most numbers reported by a few people, a few thousand
 * spammers reported by many. Deterministic for a seed, except the ids' random prefix, so that a
 * rerun against a kept topic never collides with ids already stored.
 */
export function acceptedReports(seed: number) {
  const random = createRandom(seed);
  const spammers = Array.from({ length: 3_000 }, (_, i) => `+8497${String(1_000_000 + i).padStart(7, '0')}`);
  let sequence = 0;
  return (receivedAt: number) => {
    sequence += 1;
    const hot = random() < 0.35;
    const reportedNumber = hot
      ? spammers[Math.floor(random() ** 2 * spammers.length)]
      : `+8498${String(Math.floor(random() * 10_000_000)).padStart(7, '0')}`;
    const at = new Date(receivedAt).toISOString();
    return {
      reportId: `${randomBytes(4).toString('hex')}-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
      channel: 'sms',
      shortCode: random() < 0.7 ? '156' : '5656',
      sourceId: `bench-${sequence}`,
      reporter: `+8497${String(Math.floor(random() * 10_000_000)).padStart(7, '0')}`,
      reportedNumber,
      numberType: 'mobile' as const,
      carrier: 'viettel',
      convertedFromLegacy: false,
      kind: KINDS[Math.floor(random() * KINDS.length)],
      category: CATEGORIES[Math.floor(random() * CATEGORIES.length)],
      categoryKeyword: null,
      content: 'goi lam phien',
      agentId: null,
      receivedAt: at,
      acceptedAt: at,
    };
  };
}
