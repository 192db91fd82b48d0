import { markersOf } from './activity-chart.ts';
import type { SubscriberActivity } from './insight-types.ts';
import type { HistoryEntry } from './types.ts';

const day = (d: number) => `2026-12-0${d}T17:00:00.000Z`;
const answer: SubscriberActivity = {
  reportedNumber: '+84987200101',
  bucket: 'day',
  timeZone: 'Asia/Ho_Chi_Minh',
  from: day(1),
  to: day(4),
  total: 3,
  buckets: [1, 2, 3].map((d) => ({ start: day(d), reports: 1 })),
};
const entry = (change: string, occurredAt: string, takenAction: string | null = null) =>
  ({ change, occurredAt, takenAction }) as HistoryEntry;

describe("the flag's changes on the activity chart", () => {
  it('marks what changed the flag on the bar it happened in, and leaves handovers and the span’s outside out', () => {
    const markers = markersOf(answer, [
      entry('opened', '2026-12-01T20:00:00.000Z'),
      entry('claimed', '2026-12-02T18:00:00.000Z'),
      entry('actioned', '2026-12-03T16:59:00.000Z', 'block_both'),
      entry('reopened', '2026-12-04T17:00:00.000Z'),
      entry('raised', '2026-11-30T00:00:00.000Z'),
    ]);
    expect(markers.map((m) => m.bar)).toEqual([0, 1]);
    expect(markers[0].label).toMatch(/^Opened: /);
    expect(markers[1].label).toMatch(/^Actioned \(Block both ways\): /);
  });
});
