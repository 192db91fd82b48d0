/**
 * Campaigns are the connected groups of flagged numbers over the links that join (score at least
 * minLinkScore), within what supervisors decided:
 *
 * - merge: the numbers given are one campaign (the members of the campaigns merged);
 * - split: the two sides are never in one campaign, whatever the links say;
 * - remove member: the number is never in one campaign with the members it was removed from
 *   (a split of one), though it may still join another.
 *
 * A later decision wins over an earlier one it contradicts: a merge that puts both sides of an
 * earlier split together lifts that split, and a split keeps the sides of an earlier merge apart.
 * Links are applied strongest first (score, then similarity, then numbers), each refused if it would
 * put two sides of a standing split together, so the result depends on neither the order of the
 * input nor of the links.
 */
import { SEVERITIES, severityRank, type Severity } from '../flagging/rules';
import type { Carrier } from '../numbering/carriers';
import type { CampaignRules } from './campaign-rules';
import { findCampaignLinks, type CampaignLink, type FlaggedNumberEvidence } from './campaign-links';

export const CAMPAIGN_OVERRIDE_KINDS = ['merge', 'split', 'remove_member'] as const;
export type CampaignOverrideKind = (typeof CAMPAIGN_OVERRIDE_KINDS)[number];

/** A supervisor's decision on grouping, as the campaigns' history records it. */
export type CampaignOverride =
  | { readonly kind: 'merge'; readonly numbers: readonly string[]; readonly at: number }
  | {
      readonly kind: 'split';
      readonly apart: readonly [readonly string[], readonly string[]];
      readonly at: number;
    }
  | {
      readonly kind: 'remove_member';
      readonly number: string;
      readonly from: readonly string[];
      readonly at: number;
    };

/** The decisions that stand once later ones have overruled earlier ones. */
export interface ResolvedOverrides {
  /** Each list is to be one campaign. */
  readonly together: readonly (readonly string[])[];
  /** Each pair of sides is never in one campaign. */
  readonly apart: readonly (readonly [ReadonlySet<string>, ReadonlySet<string>])[];
}

/** Which supervisors' decisions stand: in time order (ties in the order given), later wins. */
export function resolveOverrides(overrides: readonly CampaignOverride[]): ResolvedOverrides {
  const ordered = overrides.map((override, index) => ({ override, index }));
  ordered.sort((x, y) => x.override.at - y.override.at || x.index - y.index);
  const together: { numbers: string[]; order: number }[] = [];
  const apart: { sides: [Set<string>, Set<string>]; order: number }[] = [];
  ordered.forEach(({ override }, order) => {
    if (override.kind === 'merge') {
      together.push({ numbers: [...new Set(override.numbers)], order });
      return;
    }
    const sides: [Set<string>, Set<string>] =
      override.kind === 'split'
        ? [new Set(override.apart[0]), new Set(override.apart[1])]
        : [new Set([override.number]), new Set(override.from.filter((number) => number !== override.number))];
    // A number on both sides has no side: the split says nothing about it.
    for (const number of [...sides[0]]) {
      if (sides[1].has(number)) {
        sides[0].delete(number);
        sides[1].delete(number);
      }
    }
    apart.push({ sides, order });
  });
  const crosses = (numbers: readonly string[], [left, right]: [Set<string>, Set<string>]) =>
    numbers.some((number) => left.has(number)) && numbers.some((number) => right.has(number));
  const standingApart = apart.filter(
    (split) => !together.some((merge) => merge.order > split.order && crosses(merge.numbers, split.sides)),
  );
  return {
    together: together.map((merge) => merge.numbers),
    apart: standingApart.map((split) => split.sides),
  };
}

/** Union-find whose sets carry the split sides of their members and refuse to join opposite ones. */
class ConstrainedGroups {
  private readonly parent: number[];
  private readonly sides: Set<string>[];

  constructor(size: number, sidesOf: (index: number) => Set<string>) {
    this.parent = Array.from({ length: size }, (_, index) => index);
    this.sides = Array.from({ length: size }, (_, index) => sidesOf(index));
  }

  root(index: number): number {
    let root = index;
    while (this.parent[root] !== root) root = this.parent[root] as number;
    let node = index;
    while (node !== root) {
      const next = this.parent[node] as number;
      this.parent[node] = root;
      node = next;
    }
    return root;
  }

  /** Joins the two groups unless a standing split keeps them apart; whether they are one now. */
  join(a: number, b: number): boolean {
    let x = this.root(a);
    let y = this.root(b);
    if (x === y) return true;
    let sidesX = this.sides[x] as Set<string>;
    let sidesY = this.sides[y] as Set<string>;
    if (sidesX.size > sidesY.size) {
      [x, y] = [y, x];
      [sidesX, sidesY] = [sidesY, sidesX];
    }
    for (const side of sidesX) if (sidesY.has(opposite(side))) return false;
    for (const side of sidesX) sidesY.add(side);
    this.parent[x] = y;
    return true;
  }
}

/** Sides are '<split>:0' and '<split>:1'. */
const opposite = (side: string): string =>
  side.endsWith(':0') ? `${side.slice(0, -1)}1` : `${side.slice(0, -1)}0`;

export interface MemberEvidence {
  readonly number: string;
  /** The joining links that tie it to other members, each with its explanation. */
  readonly links: readonly { readonly with: string; readonly explanation: string }[];
  /** Whether a supervisor's merge put it in. */
  readonly mergedBySupervisor: boolean;
}

export interface CampaignGroup {
  /** Sorted. */
  readonly members: readonly string[];
  readonly evidence: readonly MemberEvidence[];
  /** The joining links between members. */
  readonly links: readonly CampaignLink[];
  readonly firstSeenAt: number;
  readonly lastSeenAt: number;
  readonly distinctReporters: number;
  /** Sorted; numbers of no known carrier left out. */
  readonly carriers: readonly Carrier[];
  readonly severity: Severity;
  readonly severityReason: string;
}

export interface GroupCampaignsResult {
  /** Sorted by first member. */
  readonly campaigns: readonly CampaignGroup[];
  /** Every link found, joining or not (what-if and the analyst's "why not" read them). */
  readonly links: readonly CampaignLink[];
}

/** The campaign's severity: its strongest member's, and high from `highSeverityMembers` members on. */
export function campaignSeverity(
  memberSeverities: readonly Severity[],
  rules: CampaignRules,
): { severity: Severity; reason: string } {
  const strongest = memberSeverities.reduce<Severity>(
    (best, severity) => (severityRank(severity) > severityRank(best) ? severity : best),
    SEVERITIES[0],
  );
  if (memberSeverities.length >= rules.highSeverityMembers && strongest !== 'high') {
    return {
      severity: 'high',
      reason: `${memberSeverities.length} numbers, at least ${rules.highSeverityMembers}: an organised operation`,
    };
  }
  return { severity: strongest, reason: `the highest severity among its members' flags (${strongest})` };
}

/** Finds the links among the flagged numbers and groups them into campaigns, within the overrides. */
export function groupCampaigns(
  evidence: readonly FlaggedNumberEvidence[],
  rules: CampaignRules,
  overrides: readonly CampaignOverride[] = [],
): GroupCampaignsResult {
  const links = findCampaignLinks(evidence, rules);
  return { campaigns: groupLinkedNumbers(evidence, links, rules, resolveOverrides(overrides)), links };
}

/** The grouping step alone, for links found earlier. */
export function groupLinkedNumbers(
  evidence: readonly FlaggedNumberEvidence[],
  links: readonly CampaignLink[],
  rules: CampaignRules,
  overrides: ResolvedOverrides,
): CampaignGroup[] {
  const byNumber = new Map<string, FlaggedNumberEvidence>();
  for (const entry of evidence) if (!byNumber.has(entry.number)) byNumber.set(entry.number, entry);
  const numbers = [...byNumber.keys()].sort();
  const indexOf = new Map(numbers.map((number, index) => [number, index]));

  const sidesByNumber = new Map<string, Set<string>>();
  overrides.apart.forEach((sides, split) =>
    sides.forEach((side, which) => {
      for (const number of side) {
        const set = sidesByNumber.get(number) ?? new Set<string>();
        set.add(`${split}:${which}`);
        sidesByNumber.set(number, set);
      }
    }),
  );
  const groups = new ConstrainedGroups(
    numbers.length,
    (index) => new Set(sidesByNumber.get(numbers[index] as string)),
  );

  const merged = new Set<string>();
  for (const together of overrides.together) {
    const present = together.filter((number) => indexOf.has(number));
    present.forEach((number, position) => {
      const index = indexOf.get(number) as number;
      // Join the first earlier member a standing split allows: a split cuts a merge only where it must.
      for (let earlier = 0; earlier < position; earlier++) {
        if (groups.join(indexOf.get(present[earlier] as string) as number, index)) {
          merged.add(number).add(present[earlier] as string);
          break;
        }
      }
    });
  }

  const joining = links
    .filter((link) => link.joins && indexOf.has(link.a) && indexOf.has(link.b))
    .sort(compareLinkStrength);
  const used: CampaignLink[] = [];
  for (const link of joining) {
    if (groups.join(indexOf.get(link.a) as number, indexOf.get(link.b) as number)) used.push(link);
  }

  const membersByRoot = new Map<number, string[]>();
  numbers.forEach((number, index) => {
    const root = groups.root(index);
    const members = membersByRoot.get(root);
    if (members === undefined) membersByRoot.set(root, [number]);
    else members.push(number);
  });
  // Every joining link inside a campaign is evidence, not only those that first connected it.
  const linksByRoot = new Map<number, CampaignLink[]>();
  for (const link of joining) {
    const root = groups.root(indexOf.get(link.a) as number);
    if (root !== groups.root(indexOf.get(link.b) as number)) continue;
    const inside = linksByRoot.get(root);
    if (inside === undefined) linksByRoot.set(root, [link]);
    else inside.push(link);
  }
  const campaigns: CampaignGroup[] = [];
  for (const [root, members] of membersByRoot) {
    if (members.length < rules.minMembers) continue;
    const inside = (linksByRoot.get(root) ?? []).sort(compareLinkNumbers);
    campaigns.push(summarise(members, inside, merged, byNumber, rules));
  }
  return campaigns.sort((x, y) => ((x.members[0] as string) < (y.members[0] as string) ? -1 : 1));
}

function compareLinkNumbers(x: CampaignLink, y: CampaignLink): number {
  return x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0;
}

function compareLinkStrength(x: CampaignLink, y: CampaignLink): number {
  const similarityOf = (link: CampaignLink) =>
    link.signals.find((signal) => signal.kind === 'content')?.similarity ?? 0;
  return y.score - x.score || similarityOf(y) - similarityOf(x) || compareLinkNumbers(x, y);
}

function summarise(
  members: readonly string[],
  links: readonly CampaignLink[],
  merged: ReadonlySet<string>,
  byNumber: ReadonlyMap<string, FlaggedNumberEvidence>,
  rules: CampaignRules,
): CampaignGroup {
  const entries = members.map((number) => byNumber.get(number) as FlaggedNumberEvidence);
  const reporters = new Set<string>();
  const carriers = new Set<Carrier>();
  for (const entry of entries) {
    for (const report of entry.reports) reporters.add(report.reporter);
    if (entry.carrier !== null) carriers.add(entry.carrier);
  }
  const { severity, reason } = campaignSeverity(
    entries.map((entry) => entry.severity),
    rules,
  );
  const linksOf = new Map<string, { with: string; explanation: string }[]>(
    members.map((number) => [number, []]),
  );
  for (const link of links) {
    linksOf.get(link.a)?.push({ with: link.b, explanation: link.explanation });
    linksOf.get(link.b)?.push({ with: link.a, explanation: link.explanation });
  }
  const evidence = members.map((number) => ({
    number,
    links: linksOf.get(number) ?? [],
    mergedBySupervisor: merged.has(number),
  }));
  return {
    members,
    evidence,
    links,
    // reduce, not Math.min(...): a campaign of many thousand members would overflow the call stack
    firstSeenAt: entries.reduce((earliest, entry) => Math.min(earliest, entry.firstReportAt), Infinity),
    lastSeenAt: entries.reduce((latest, entry) => Math.max(latest, entry.lastReportAt), -Infinity),
    distinctReporters: reporters.size,
    carriers: [...carriers].sort(),
    severity,
    severityReason: reason,
  };
}
