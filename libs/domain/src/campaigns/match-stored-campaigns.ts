/**
 * Keeping a campaign's identity as its grouping is recomputed: each group found is matched to the
 * stored campaign it shares the most members with, so the campaign keeps its id, status and history
 * while numbers join or leave. Each stored campaign goes to one group at most: when a campaign is
 * cut in two (a supervisor's split, a number that tied it together dropping out), the larger share
 * keeps the id and the other becomes a new campaign.
 */

export interface StoredCampaignMembers {
  readonly id: string;
  readonly members: readonly string[];
}

export interface MatchedCampaign {
  /** The stored campaign this group continues; null for a new campaign. */
  readonly campaignId: string | null;
  readonly members: readonly string[];
  /** Members the stored campaign did not have (all of them for a new campaign). */
  readonly joined: readonly string[];
  /** Members of the stored campaign no longer in it. */
  readonly left: readonly string[];
}

export interface CampaignMatching {
  /** In the order of the groups given. */
  readonly groups: readonly MatchedCampaign[];
  /** Stored campaigns no group continues, sorted. */
  readonly dissolved: readonly string[];
}

/**
 * Matches groups (each a list of member numbers) to stored campaigns by shared members, largest
 * overlap first (then the stored campaign's id, then the group's first member): deterministic.
 */
export function matchStoredCampaigns(
  groups: readonly (readonly string[])[],
  stored: readonly StoredCampaignMembers[],
): CampaignMatching {
  const campaignOf = new Map<string, number>();
  stored.forEach((campaign, index) => {
    for (const member of campaign.members) if (!campaignOf.has(member)) campaignOf.set(member, index);
  });
  const overlaps: { group: number; campaign: number; shared: number }[] = [];
  groups.forEach((members, group) => {
    const shared = new Map<number, number>();
    for (const member of new Set(members)) {
      const campaign = campaignOf.get(member);
      if (campaign !== undefined) shared.set(campaign, (shared.get(campaign) ?? 0) + 1);
    }
    for (const [campaign, count] of shared) overlaps.push({ group, campaign, shared: count });
  });
  const firstOf = (group: number) => [...(groups[group] ?? [])].sort()[0] ?? '';
  overlaps.sort(
    (x, y) =>
      y.shared - x.shared ||
      ((stored[x.campaign] as StoredCampaignMembers).id < (stored[y.campaign] as StoredCampaignMembers).id
        ? -1
        : (stored[x.campaign] as StoredCampaignMembers).id > (stored[y.campaign] as StoredCampaignMembers).id
          ? 1
          : 0) ||
      (firstOf(x.group) < firstOf(y.group) ? -1 : firstOf(x.group) > firstOf(y.group) ? 1 : 0),
  );
  const campaignOfGroup = new Map<number, number>();
  const taken = new Set<number>();
  for (const { group, campaign } of overlaps) {
    if (campaignOfGroup.has(group) || taken.has(campaign)) continue;
    campaignOfGroup.set(group, campaign);
    taken.add(campaign);
  }
  const matched = groups.map((members, group): MatchedCampaign => {
    const campaign = campaignOfGroup.get(group);
    const sorted = [...new Set(members)].sort();
    if (campaign === undefined) return { campaignId: null, members: sorted, joined: sorted, left: [] };
    const before = new Set((stored[campaign] as StoredCampaignMembers).members);
    const now = new Set(sorted);
    return {
      campaignId: (stored[campaign] as StoredCampaignMembers).id,
      members: sorted,
      joined: sorted.filter((member) => !before.has(member)),
      left: [...before].filter((member) => !now.has(member)).sort(),
    };
  });
  const dissolved = stored
    .filter((_, index) => !taken.has(index))
    .map((campaign) => campaign.id)
    .sort();
  return { groups: matched, dissolved };
}
