import { addUp, barBoxes, bucketOf, labelledBars, niceStep, niceTicks, sparkPoints } from './chart-scale.ts';

describe("the charts' arithmetic", () => {
  it('steps an axis by 1, 2 or 5 times a power of ten, never by less than one report', () => {
    expect(niceStep(7, 4)).toBe(2);
    expect(niceStep(40, 4)).toBe(10);
    expect(niceStep(1234, 4)).toBe(500);
    expect(niceStep(3, 4)).toBe(1);
    expect(niceStep(0, 4)).toBe(1);
  });

  it('ends the ticks at the first step at or above the largest value', () => {
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(40)).toEqual([0, 10, 20, 30, 40]);
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(1)).toEqual([0, 1]);
  });

  it('scales bars to the top tick and stands them on the baseline', () => {
    const boxes = barBoxes([0, 5, 10], 300, 100, 10);
    expect(boxes.map((b) => b.height)).toEqual([0, 50, 100]);
    expect(boxes.map((b) => b.y)).toEqual([100, 50, 0]);
    expect(boxes.map((b) => b.x)).toEqual([4, 104, 204]);
    expect(boxes[0].width).toBe(92);
    // 168 hours in 672 px: no room for a gap.
    const hours = barBoxes(new Array(168).fill(1), 672, 100, 1);
    expect(hours[1]).toEqual({ x: 4, y: 0, width: 4, height: 100 });
    expect(barBoxes([3], 10, 10, 0)[0].height).toBe(0);
  });

  it('labels at most the asked number of bars, evenly, starting with the first', () => {
    expect(labelledBars(168, 8)).toEqual([0, 21, 42, 63, 84, 105, 126, 147]);
    expect(labelledBars(30, 8)).toEqual([0, 4, 8, 12, 16, 20, 24, 28]);
    expect(labelledBars(3, 8)).toEqual([0, 1, 2]);
    expect(labelledBars(0, 8)).toEqual([]);
  });

  it('finds the bar a moment falls in, and none outside the span', () => {
    const starts = ['2026-12-01T17:00:00.000Z', '2026-12-02T17:00:00.000Z', '2026-12-03T17:00:00.000Z'];
    const end = '2026-12-04T17:00:00.000Z';
    expect(bucketOf('2026-12-01T17:00:00.000Z', starts, end)).toBe(0);
    expect(bucketOf('2026-12-03T16:59:59.999Z', starts, end)).toBe(1);
    expect(bucketOf('2026-12-04T16:00:00.000Z', starts, end)).toBe(2);
    expect(bucketOf('2026-12-04T17:00:00.000Z', starts, end)).toBeNull();
    expect(bucketOf('2026-11-30T00:00:00.000Z', starts, end)).toBeNull();
    expect(bucketOf('not a time', starts, end)).toBeNull();
  });

  it('draws a sparkline from the baseline up to the largest value', () => {
    expect(sparkPoints([0, 2, 1], 80, 20)).toBe('0,20 40,0 80,10');
    expect(sparkPoints([0, 0], 80, 20)).toBe('0,20 80,20');
    expect(sparkPoints([], 80, 20)).toBe('');
  });

  it("adds up several days' breakdowns, keys in the API's order", () => {
    expect(addUp([{ sms: 5, hotline: 2 }, { sms: 1, web: 4 }, {}])).toEqual([
      ['hotline', 2],
      ['sms', 6],
      ['web', 4],
    ]);
  });
});
