import { matchStoredCampaigns } from './match-stored-campaigns';
import { blockNumber, scatteredNumber } from './spec-support';

const block = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, index) => blockNumber(from + index));

describe('matchStoredCampaigns', () => {
  it('keeps the id of the stored campaign a group continues, with who joined and who left', () => {
    const result = matchStoredCampaigns([block(2, 8)], [{ id: 'c-1', members: block(0, 5) }]);
    expect(result).toEqual({
      groups: [{ campaignId: 'c-1', members: block(2, 8), joined: block(5, 8), left: block(0, 2) }],
      dissolved: [],
    });
  });

  it('gives a split campaign id to the larger share and makes the other new', () => {
    const result = matchStoredCampaigns([block(0, 3), block(3, 10)], [{ id: 'c-1', members: block(0, 10) }]);
    expect(result.groups.map((group) => group.campaignId)).toEqual([null, 'c-1']);
    expect(result.groups[0]).toEqual({
      campaignId: null,
      members: block(0, 3),
      joined: block(0, 3),
      left: [],
    });
    expect(result.groups[1]?.left).toEqual(block(0, 3));
  });

  it('keeps one of two merged campaigns and reports the other dissolved', () => {
    const result = matchStoredCampaigns(
      [[...block(0, 4), scatteredNumber(1), scatteredNumber(2)]],
      [
        { id: 'c-2', members: [scatteredNumber(1), scatteredNumber(2)] },
        { id: 'c-1', members: block(0, 4) },
      ],
    );
    expect(result.groups[0]?.campaignId).toBe('c-1');
    expect(result.groups[0]?.joined).toEqual([scatteredNumber(1), scatteredNumber(2)].sort());
    expect(result.dissolved).toEqual(['c-2']);
  });

  it('breaks equal overlaps by campaign id, whatever the order given', () => {
    const stored = [
      { id: 'c-b', members: block(0, 2) },
      { id: 'c-a', members: block(2, 4) },
    ];
    const groups = [block(0, 4)];
    expect(matchStoredCampaigns(groups, stored).groups[0]?.campaignId).toBe('c-a');
    expect(matchStoredCampaigns(groups, [...stored].reverse()).groups[0]?.campaignId).toBe('c-a');
  });
});
