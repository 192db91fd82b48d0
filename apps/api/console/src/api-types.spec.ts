import { join } from 'node:path';
import * as ts from 'typescript';
import type { z } from 'zod';
import type { listFlags, getFlag } from '../../src/flags/flags.controller';
import type { decideOnFlag, getFlagHistory, listDecisionReasons } from '../../src/flags/decisions.controller';
import type { whoAmI } from '../../src/me/me.controller';
import type { getSubscriber } from '../../src/subscribers/subscribers.controller';
import type { bulkDecisions, flagsDueSoon, relatedFlags } from '../../src/flags/flag-queue.controller';
import type { getSession } from '../../src/session/session.controller';
import type { listReviewers, teamView } from '../../src/team/team.controller';
import type {
  BulkResult,
  Counters,
  DecisionReasons,
  DueSoon,
  SessionView,
  TeamView,
  DecisionAnswer,
  DecisionOutcome,
  Evidence,
  FlagHistory,
  FlagDetail,
  FlagPage,
  FlagSummary,
  HistoryEntry,
  HistoryItem,
  Me,
  RelatedFlags,
  Report,
  Reviewers,
  RuleDefinition,
  Sources,
  Subscriber,
} from './types';

/**
 * The console's types (./types.ts) are written by hand for the browser build, which cannot import
 * the server's zod contracts. These assertions tie them to the contracts: what the server sends
 * must fit what the console expects, with the same fields, at every level the console reads. A
 * field renamed, added or retyped on either side makes `true` unassignable below, and the test
 * compiles this file to say so.
 */
type Fits<Server, Console> = [Server] extends [Console] ? true : false;
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
type Agrees<Server, Console> = Fits<Server, Console> extends true ? SameKeys<Server, Console> : false;

type SentMe = z.input<typeof whoAmI.response>;
type SentPage = z.input<typeof listFlags.response>;
type SentSummary = SentPage['items'][number];
type SentDetail = z.input<typeof getFlag.response>;
type SentSubscriber = z.input<typeof getSubscriber.response>;
type SentDecision = z.input<typeof decideOnFlag.response>;
type SentHistory = z.input<typeof getFlagHistory.response>;

export const CONTRACT: Record<string, true> = {
  me: true satisfies Agrees<SentMe, Me>,
  page: true satisfies Agrees<SentPage, FlagPage>,
  flagSummary: true satisfies Agrees<SentSummary, FlagSummary>,
  flagDetail: true satisfies Agrees<SentDetail, FlagDetail>,
  counters: true satisfies Agrees<NonNullable<SentDetail['counters']>, Counters>,
  report: true satisfies Agrees<SentDetail['recentReports'][number], Report>,
  history: true satisfies Agrees<SentDetail['history'][number], HistoryEntry>,
  rule: true satisfies Agrees<NonNullable<SentDetail['rule']>, RuleDefinition>,
  evidence: true satisfies Agrees<NonNullable<SentDetail['evidence']>, Evidence>,
  sources: true satisfies Agrees<SentDetail['sources'], Sources>,
  subscriber: true satisfies Agrees<SentSubscriber, Subscriber>,
  session: true satisfies Agrees<z.input<typeof getSession.response>, SessionView>,
  dueSoon: true satisfies Agrees<z.input<typeof flagsDueSoon.response>, DueSoon>,
  decisionReasons: true satisfies Agrees<z.input<typeof listDecisionReasons.response>, DecisionReasons>,
  bulk: true satisfies Agrees<z.input<typeof bulkDecisions.response>, BulkResult>,
  team: true satisfies Agrees<z.input<typeof teamView.response>, TeamView>,
  teamHolder: true satisfies Agrees<
    z.input<typeof teamView.response>['holders'][number],
    TeamView['holders'][number]
  >,
  decisionAnswer: true satisfies Agrees<SentDecision, DecisionAnswer>,
  decisionOutcome: true satisfies Agrees<SentDecision['outcome'], DecisionOutcome>,
  flagHistory: true satisfies Agrees<SentHistory, FlagHistory>,
  historyItem: true satisfies Agrees<SentHistory['items'][number], HistoryItem>,
  reviewers: true satisfies Agrees<z.input<typeof listReviewers.response>, Reviewers>,
  related: true satisfies Agrees<z.input<typeof relatedFlags.response>, RelatedFlags>,
};

/**
 * Type-checks `files` with the server's compiler options (the contracts are server code), allowing
 * the console's `.ts` import extensions; returns the errors, one line each.
 */
function typeErrors(files: string[]): string[] {
  const root = join(__dirname, '..', '..', '..', '..');
  const { config } = ts.readConfigFile(join(root, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root);
  const program = ts.createProgram(files, {
    ...parsed.options,
    noEmit: true,
    allowImportingTsExtensions: true,
  });
  // Only these files' own errors: the server's files are checked by their own build.
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error && d.file && files.includes(d.file.fileName))
    .map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${d.file!.fileName.split('/').pop()}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
    });
}

describe("the console's API types", () => {
  it('agree with the zod contracts the API answers with', () => {
    expect(Object.keys(CONTRACT)).toHaveLength(23);
    expect(typeErrors([__filename])).toEqual([]);
  }, 120_000);
});
