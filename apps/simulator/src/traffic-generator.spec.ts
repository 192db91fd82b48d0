import { SPOOFED_BANK, TrafficGenerator } from './traffic-generator';

/** A deterministic generator so the shares below are the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('TrafficGenerator', () => {
  const generator = new TrafficGenerator(seeded(42), undefined, () => new Date('2026-11-29T01:00:00Z'));
  const messages = Array.from({ length: 5_000 }, () => generator.next());
  const parsed = messages.flatMap((m) => {
    try {
      return [JSON.parse(m.value) as { messageId: string; from: string; to: string; text: string }];
    } catch {
      return [];
    }
  });

  it('sends gateway messages to 156 and 5656 only', () => {
    expect(new Set(parsed.map((m) => m.to))).toEqual(new Set(['156', '5656']));
  });

  it('reports the heavy spammers many times, by many distinct reporters', () => {
    for (const spammer of generator.heavySpammers) {
      const tail = spammer.slice(-7);
      const reports = parsed.filter((m) => m.text.replace(/\D/g, '').includes(tail));
      expect(reports.length).toBeGreaterThan(100);
      expect(new Set(reports.map((m) => m.from)).size).toBeGreaterThan(90);
    }
  });

  it("reports the spoofed bank's hotline as scam calls from many distinct people", () => {
    const reports = parsed.filter((m) => m.text.startsWith(`LD ${SPOOFED_BANK} `));
    expect(reports.length).toBeGreaterThan(50);
    expect(new Set(reports.map((m) => m.from)).size).toBeGreaterThan(50);
  });

  it('rotates a scam campaign through its block of SIMs, each reported by many people with one script', () => {
    const sims = generator.campaignSims;
    expect(new Set(sims.map((sim) => sim.slice(0, 8))).size).toBe(1);
    const reportsOf = (sim: string) =>
      parsed.filter(
        (m) =>
          /xe (may )?SH|xe máy SH|xe SH/i.test(m.text) && m.text.replace(/\D/g, '').includes(sim.slice(-7)),
      );
    // 5,000 messages, about 8 % campaign reports, 30 per SIM: the first SIMs are used up in turn.
    const used = sims.filter((sim) => reportsOf(sim).length > 0);
    expect(used.length).toBeGreaterThanOrEqual(5);
    expect(used).toEqual(sims.slice(0, used.length));
    const first = reportsOf(sims[0] as string);
    expect(first.length).toBeGreaterThanOrEqual(25);
    expect(new Set(first.map((m) => m.from)).size).toBeGreaterThan(20);
  });

  it('redelivers some gateway messages with the same messageId', () => {
    const ids = parsed.map((m) => m.messageId);
    const duplicates = ids.length - new Set(ids).size;
    expect(duplicates).toBeGreaterThan(50);
    expect(duplicates).toBeLessThan(400);
  });

  it('includes texts that are not reports, malformed texts and a little broken JSON', () => {
    expect(parsed.some((m) => /^(DK|HUY) DNC/i.test(m.text))).toBe(true);
    expect(parsed.some((m) => m.text === 'V' || m.text === 'xin chao')).toBe(true);
    expect(messages.length - parsed.length).toBeGreaterThan(5);
  });

  it('writes reports in the notations people use', () => {
    const texts = parsed.map((m) => m.text);
    expect(texts.some((t) => /^V \[/.test(t))).toBe(true);
    expect(texts.some((t) => /^LD \(/i.test(t))).toBe(true);
    expect(texts.some((t) => /\+84\d{9}/.test(t))).toBe(true);
    expect(texts.some((t) => /[\uff10-\uff19]{10}/.test(t))).toBe(true);
    expect(texts.some((t) => /\b01[2-9]\d{8}\b/.test(t))).toBe(true);
  });
});
