import { join } from 'node:path';
import * as ts from 'typescript';
import type { z } from 'zod';
import type {
  decideOnCampaign,
  getCampaign,
  listCampaigns,
  splitCampaign,
} from '../../src/campaigns/campaigns.controller';
import type { getReportActivity, getSubscriberActivity } from '../../src/subscribers/activity.controller';
import type { getDailySummary, listDailySummaries } from '../../src/summaries/summaries.controller';
import type {
  ActivitySeries,
  CampaignDecisionAnswer,
  CampaignDetail,
  CampaignMember,
  CampaignPage,
  CampaignSplitAnswer,
  CampaignSummary,
  CampaignTimelineEntry,
  DailySummary,
  ReportActivity,
  SubscriberActivity,
  SummaryRange,
} from './insight-types';

/**
 * insight-types.ts against the zod contracts, as api-types.spec.ts does for types.ts: a field
 * renamed, added or retyped on either side makes `true` unassignable below, and the test compiles
 * this file to say so.
 */
type Fits<Server, Console> = [Server] extends [Console] ? true : false;
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
type Agrees<Server, Console> = Fits<Server, Console> extends true ? SameKeys<Server, Console> : false;

type SentCampaign = z.input<typeof getCampaign.response>;

export const CONTRACT: Record<string, true> = {
  subscriberActivity: true satisfies Agrees<
    z.input<typeof getSubscriberActivity.response>,
    SubscriberActivity
  >,
  reportActivity: true satisfies Agrees<z.input<typeof getReportActivity.response>, ReportActivity>,
  series: true satisfies Agrees<
    z.input<typeof getReportActivity.response>['numbers'][number],
    ActivitySeries
  >,
  daily: true satisfies Agrees<z.input<typeof getDailySummary.response>, DailySummary>,
  range: true satisfies Agrees<z.input<typeof listDailySummaries.response>, SummaryRange>,
  campaignPage: true satisfies Agrees<z.input<typeof listCampaigns.response>, CampaignPage>,
  campaignSummary: true satisfies Agrees<
    z.input<typeof listCampaigns.response>['items'][number],
    CampaignSummary
  >,
  campaign: true satisfies Agrees<SentCampaign, CampaignDetail>,
  member: true satisfies Agrees<SentCampaign['members'][number], CampaignMember>,
  timeline: true satisfies Agrees<SentCampaign['timeline'][number], CampaignTimelineEntry>,
  decision: true satisfies Agrees<z.input<typeof decideOnCampaign.response>, CampaignDecisionAnswer>,
  split: true satisfies Agrees<z.input<typeof splitCampaign.response>, CampaignSplitAnswer>,
};

/** This file's own type errors, compiled with the server's options (the contracts are server code). */
function typeErrors(file: string): string[] {
  const root = join(__dirname, '..', '..', '..', '..');
  const { config } = ts.readConfigFile(join(root, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root);
  const program = ts.createProgram([file], {
    ...parsed.options,
    noEmit: true,
    allowImportingTsExtensions: true,
  });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error && d.file?.fileName === file)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

describe("the charts' and campaigns' API types", () => {
  it('agree with the zod contracts the API answers with', () => {
    expect(Object.keys(CONTRACT)).toHaveLength(12);
    expect(typeErrors(__filename)).toEqual([]);
  }, 120_000);
});
