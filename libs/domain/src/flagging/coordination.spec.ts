import { coordinatedReporters, coordinationShare, isPossiblyCoordinated } from './coordination';

const FLAGGED = '+84912345678';

function reporters(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}${index}`);
}

describe('coordination', () => {
  it('does not mark a spam caller reported by many first-time reporters', () => {
    const crowd = reporters('first-timer-', 60);
    const share = coordinationShare(crowd, new Map());
    expect(share).toBe(0);
    expect(isPossiblyCoordinated(share)).toBe(false);
  });

  it('does not mark reporters whose other reports scatter over different numbers', () => {
    const crowd = reporters('regular-', 20);
    const others = new Map(
      crowd.map((reporter, index) => [reporter, new Set([`+8490000${index}`, `+8491111${index}`])]),
    );
    expect(coordinationShare(crowd, others)).toBe(0);
  });

  it('marks a ring of five reporters who report four numbers together (this one and three others)', () => {
    const ring = reporters('ring-', 5);
    const victims = ['+84900000001', '+84900000002', '+84900000003'];
    const others = new Map(ring.map((reporter) => [reporter, new Set(victims)]));
    const share = coordinationShare(ring, others);
    expect(share).toBe(1);
    expect(isPossiblyCoordinated(share)).toBe(true);
  });

  it('does not mark a flag whose weight comes mostly from a crowd, even with a ring among them', () => {
    const ring = reporters('ring-', 5);
    const crowd = reporters('first-timer-', 25);
    const victims = ['+84900000001', '+84900000002', '+84900000003'];
    const others = new Map(ring.map((reporter) => [reporter, new Set(victims)]));
    const share = coordinationShare([...ring, ...crowd], others);
    expect(share).toBeCloseTo(5 / 30);
    expect(isPossiblyCoordinated(share)).toBe(false);
    expect(coordinatedReporters([...crowd, ...ring], others)).toEqual(ring);
  });

  it('needs the group to meet on enough other numbers and to be large enough', () => {
    const pair = reporters('pair-', 2);
    const three = reporters('three-', 3);
    const oneShared = new Map(three.map((reporter) => [reporter, new Set(['+84900000001'])]));
    expect(coordinationShare(three, oneShared)).toBe(0);
    const twoShared = new Map(pair.map((reporter) => [reporter, new Set(['+84900000001', '+84900000002'])]));
    expect(coordinationShare(pair, twoShared)).toBe(0);
    expect(coordinationShare(pair, twoShared, { minGroupSize: 2, minSharedNumbers: 2 })).toBe(1);
  });

  it('ignores the flagged number itself when the caller includes it', () => {
    const three = reporters('three-', 3);
    const others = new Map(three.map((reporter) => [reporter, new Set([FLAGGED, '+84900000001'])]));
    expect(
      coordinationShare(three, others, { minGroupSize: 3, minSharedNumbers: 2, reportedNumber: FLAGGED }),
    ).toBe(0);
    expect(coordinationShare(three, others, { minGroupSize: 3, minSharedNumbers: 2 })).toBe(1);
  });

  it('counts each reporter of the flag once', () => {
    const ring = reporters('ring-', 3);
    const others = new Map(ring.map((reporter) => [reporter, new Set(['+84900000001', '+84900000002'])]));
    expect(coordinationShare([...ring, ...ring, 'lone'], others)).toBe(3 / 4);
  });

  it('treats no reporters as no coordination', () => {
    expect(coordinationShare([], new Map())).toBe(0);
    expect(isPossiblyCoordinated(0, 0)).toBe(false);
  });
});
