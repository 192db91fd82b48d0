/**
 * The calls whose statements libs/persistence/sql/ snapshots: each repository's methods with
 * arguments that exist in the seed of bench/support/api-dataset.ts (scripts/sql-docs.ts seeds it
 * with the fixed clock below). The SQL itself stays in the repositories; these only call them.
 */
import { summarizeDay } from '@abuse-monitor/domain';
import {
  AccessRepository,
  AgentSubmissionsRepository,
  AllowlistRepository,
  AppealsRepository,
  AuditLogRepository,
  ProtectedOriginatorsRepository,
  CampaignsRepository,
  CountersRepository,
  DailySummaryRepository,
  FlagAssessmentsRepository,
  FlagChangesRepository,
  FlagDecisionsRepository,
  FlagQueueRepository,
  FlagsRepository,
  JobsRepository,
  MonitoringRepository,
  OutboxRepository,
  RejectionsRepository,
  ReplayRepository,
  ReportersRepository,
  ReportsRepository,
  ReporterActivityRepository,
  RulesRepository,
  RulesInForceRepository,
  SessionsRepository,
  SummariesRepository,
  TeamRepository,
  repositoryStatements,
  RepositoryStatements,
  TokensRepository,
} from '@abuse-monitor/persistence';
import { seededNumber, seededReporter, seededReportId } from '../bench/support/api-dataset';

/** The seed's "now": its reports span the 90 days before it. */
export const SNAPSHOT_CLOCK = new Date('2026-06-01T00:00:00.000Z');

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(SNAPSHOT_CLOCK.getTime() - ms);
const agoIso = (ms: number) => ago(ms).toISOString();
const PAGE = 51;
const RULE = 'distinct-10-24h';
const numbers = [1, 2, 3, 40, 500].map(seededNumber);
const reporters = [5, 60, 700].map(seededReporter);
const reportIds = [1, 2, 29_999].map(seededReportId);
const duePage = { afterId: '0', limit: 100 };
const sla = { high: 4 * HOUR, medium: 24 * HOUR, low: 72 * HOUR };
const REVIEWER_ROLES = ['analyst', 'supervisor', 'admin'] as const;
const queueSla = {
  open: { high: 2 * HOUR, medium: 24 * HOUR, low: 72 * HOUR },
  in_review: { high: 4 * HOUR, medium: 48 * HOUR, low: 168 * HOUR },
};
const WRITE = 'a write by key: one index lookup';
const BATCH_WRITE = "a write of the batch's rows from unnest arrays";

export const STATEMENT_CALLS: readonly RepositoryStatements[] = [
  repositoryStatements<FlagsRepository>({
    name: 'FlagsRepository',
    prototype: FlagsRepository.prototype,
    make: (db) => new FlagsRepository(db),
    calls: [
      {
        method: 'list',
        case: 'every flag, most severe first',
        call: (r) => r.list({}, 'severity', undefined, PAGE),
      },
      {
        method: 'list',
        case: "the console's queue, most severe first",
        call: (r) => r.list({ status: ['open', 'in_review'] }, 'severity', undefined, PAGE),
      },
      {
        method: 'list',
        case: 'probable spoofing flags in the queue (decision 0057)',
        call: (r) =>
          r.list({ kind: ['spoofing'], status: ['open', 'in_review'] }, 'severity', undefined, PAGE),
      },
      {
        method: 'list',
        case: 'open flags, most severe first, after a cursor',
        call: (r) =>
          r.list(
            { status: ['open'] },
            'severity',
            { sort: 'severity', rank: 2, openedAt: agoIso(7 * DAY), id: '700' },
            PAGE,
          ),
      },
      {
        method: 'list',
        case: 'open flags, oldest first, after a cursor',
        call: (r) =>
          r.list(
            { status: ['open'] },
            'oldest',
            { sort: 'oldest', rank: 1, openedAt: agoIso(10 * DAY), id: '9' },
            PAGE,
          ),
      },
      {
        method: 'list',
        case: 'every flag, newest first',
        call: (r) => r.list({}, 'newest', undefined, PAGE),
      },
      {
        method: 'list',
        case: 'overdue flags in the queue or in review',
        call: (r) => r.list({ status: ['open', 'in_review'], overdue: true }, 'severity', undefined, PAGE),
      },
      {
        method: 'list',
        case: "one reviewer's flags",
        call: (r) => r.list({ status: ['in_review'], assignee: 'analyst-3' }, 'severity', undefined, PAGE),
      },
      {
        method: 'list',
        case: 'open high flags of one carrier opened in a week',
        call: (r) =>
          r.list(
            {
              status: ['open'],
              severity: ['high'],
              carrier: ['mobifone'],
              numberType: ['mobile'],
              openedSince: agoIso(7 * DAY),
              openedUntil: agoIso(0),
            },
            'newest',
            undefined,
            PAGE,
          ),
      },
      { method: 'byId', call: (r) => r.byId('42') },
      { method: 'byNumber', call: (r) => r.byNumber(numbers[0]) },
      { method: 'history', call: (r) => r.history('42') },
      { method: 'counters', call: (r) => r.counters(numbers[0]) },
      { method: 'recentReports', call: (r) => r.recentReports(numbers[0], 50) },
      { method: 'sources', call: (r) => r.sources(numbers[0], ago(20 * DAY)) },
      { method: 'ruleVersion', call: (r) => r.ruleVersion(RULE, 1) },
      { method: 'lockById', call: (r, m) => r.lockById(m, '42') },
      { method: 'enteredQueueBefore', call: (r, m) => r.enteredQueueBefore(m, '1600', 2) },
    ],
    leftOut: { saveTransitions: 'writes the flags, their history and outbox rows of a command (by key)' },
  }),
  repositoryStatements<AllowlistRepository>({
    name: 'AllowlistRepository',
    prototype: AllowlistRepository.prototype,
    make: (db) => new AllowlistRepository(db),
    calls: [
      { method: 'entries', call: (r) => r.entries() },
      { method: 'page', case: 'the first page', call: (r) => r.page(null, PAGE) },
      {
        method: 'page',
        case: 'a later page',
        call: (r) => r.page({ pattern: '+84920000020', kind: 'number' }, PAGE),
      },
      { method: 'lock', call: (r, m) => r.lock(m, '7') },
      { method: 'find', call: (r, m) => r.find(m, 'number', '+84920000020') },
    ],
    leftOut: { insert: WRITE, update: WRITE, remove: WRITE },
  }),
  repositoryStatements<ProtectedOriginatorsRepository>({
    name: 'ProtectedOriginatorsRepository',
    prototype: ProtectedOriginatorsRepository.prototype,
    make: (db) => new ProtectedOriginatorsRepository(db),
    calls: [
      { method: 'find', call: (r, m) => r.find(numbers[0], m) },
      { method: 'page', case: 'the first page', call: (r) => r.page(null, PAGE) },
      { method: 'page', case: 'a later page', call: (r) => r.page('+84920000020', PAGE) },
      { method: 'lock', call: (r, m) => r.lock(m, '7') },
    ],
    leftOut: { insert: WRITE, remove: WRITE },
  }),
  repositoryStatements<ReportersRepository>({
    name: 'ReportersRepository',
    prototype: ReportersRepository.prototype,
    make: (db) => new ReportersRepository(db),
    calls: [
      {
        method: 'page',
        case: 'the first page of suspicious reporters',
        call: (r) => r.page('suspicious', '', PAGE),
      },
      {
        method: 'page',
        case: 'a later page of normal reporters',
        call: (r) => r.page('normal', reporters[2], PAGE),
      },
      { method: 'lock', call: (r, m) => r.lock(m, reporters[1]) },
    ],
    leftOut: { clear: WRITE },
  }),
  repositoryStatements<RulesRepository>({
    name: 'RulesRepository',
    prototype: RulesRepository.prototype,
    make: (db) => new RulesRepository(db),
    calls: [
      { method: 'list', call: (r) => r.list() },
      { method: 'byId', call: (r) => r.byId(RULE) },
      { method: 'lock', call: (r, m) => r.lock(m, RULE) },
      { method: 'versions', call: (r) => r.versions(RULE) },
      { method: 'idEverUsed', call: (r, m) => r.idEverUsed(m, RULE) },
    ],
    leftOut: { insert: WRITE, update: WRITE, remove: WRITE },
  }),
  repositoryStatements<SummariesRepository>({
    name: 'SummariesRepository',
    prototype: SummariesRepository.prototype,
    make: (db) => new SummariesRepository(db),
    calls: [
      { method: 'daily', call: (r) => r.daily('2026-05-20') },
      { method: 'range', call: (r) => r.range('2026-05-01', '2026-05-31') },
      {
        method: 'activity',
        case: "one number's 168 hours",
        call: (r) => r.activity([numbers[0]], 'hour', 168, SNAPSHOT_CLOCK, 'Asia/Ho_Chi_Minh'),
      },
      {
        method: 'activity',
        case: "a queue page's numbers over 7 days",
        call: (r) => r.activity(numbers, 'day', 7, SNAPSHOT_CLOCK, 'Asia/Ho_Chi_Minh'),
      },
    ],
    leftOut: {},
  }),
  repositoryStatements<DailySummaryRepository>({
    name: 'DailySummaryRepository',
    prototype: DailySummaryRepository.prototype,
    make: (db) => new DailySummaryRepository(db),
    calls: [
      { method: 'lastDayBefore', call: (r) => r.lastDayBefore('2026-05-31') },
      {
        method: 'regenerate',
        call: (r) =>
          r.regenerate('2026-05-30', 'Asia/Ho_Chi_Minh', (activity) =>
            summarizeDay({ ...activity, date: '2026-05-30', timeZone: 'Asia/Ho_Chi_Minh' }),
          ),
      },
    ],
    leftOut: {},
  }),
  repositoryStatements<JobsRepository>({
    name: 'JobsRepository',
    prototype: JobsRepository.prototype,
    make: (db) => new JobsRepository(db),
    calls: [
      {
        method: 'dueForEscalation',
        case: 'the queue',
        call: (r, m) => r.dueForEscalation(m, duePage, 'open', SNAPSHOT_CLOCK, sla),
      },
      {
        method: 'dueForEscalation',
        case: 'reviews',
        call: (r, m) => r.dueForEscalation(m, duePage, 'in_review', SNAPSHOT_CLOCK, sla),
      },
      { method: 'dueForExpiry', call: (r, m) => r.dueForExpiry(m, duePage, SNAPSHOT_CLOCK, 7 * DAY) },
      { method: 'watchesEnded', call: (r, m) => r.watchesEnded(m, duePage, SNAPSHOT_CLOCK) },
      {
        method: 'repeatOffenders',
        call: (r, m) => r.repeatOffenders(m, duePage, SNAPSHOT_CLOCK, 30 * DAY, 3),
      },
      {
        method: 'compactQuietCounters',
        call: (r) => r.compactQuietCounters(SNAPSHOT_CLOCK, 1000, '+84900000000'),
      },
      { method: 'anonymiseReportsBefore', call: (r) => r.anonymiseReportsBefore(ago(60 * DAY), 1000) },
      { method: 'anonymiseRejectionsBefore', call: (r) => r.anonymiseRejectionsBefore(ago(60 * DAY), 1000) },
      { method: 'anonymiseRawSmsBefore', call: (r) => r.anonymiseRawSmsBefore(ago(60 * DAY), 1000) },
      {
        method: 'anonymiseSubmissionsBefore',
        call: (r) => r.anonymiseSubmissionsBefore(ago(60 * DAY), 1000),
      },
      {
        method: 'anonymiseAgentSubmissionsBefore',
        call: (r) => r.anonymiseAgentSubmissionsBefore(ago(20 * DAY), 1000),
      },
      {
        method: 'forgetReportersSilentSince',
        call: (r) => r.forgetReportersSilentSince(ago(5 * DAY), 1000, '+84900000000'),
      },
    ],
    leftOut: {
      whileLocked: "a job's advisory lock and its job_runs row (by key), on a connection of its own",
      saveTransitions: 'writes the flags, their history and outbox rows of a job (by key)',
    },
  }),
  repositoryStatements<MonitoringRepository>({
    name: 'MonitoringRepository',
    prototype: MonitoringRepository.prototype,
    make: (db) => new MonitoringRepository(db),
    calls: [
      { method: 'ping', call: (r) => r.ping() },
      { method: 'outboxBacklog', call: (r) => r.outboxBacklog() },
      { method: 'waitingFlags', call: (r) => r.waitingFlags() },
      { method: 'waitingCampaigns', call: (r) => r.waitingCampaigns() },
      { method: 'waitingAppeals', call: (r) => r.waitingAppeals() },
      { method: 'topReportedCounts', call: (r) => r.topReportedCounts(10) },
      { method: 'lastJobSuccesses', call: (r) => r.lastJobSuccesses() },
    ],
    leftOut: {},
  }),
  repositoryStatements<ReplayRepository>({
    name: 'ReplayRepository',
    prototype: ReplayRepository.prototype,
    make: (db) => new ReplayRepository(db),
    calls: [
      { method: 'rules', call: (r) => r.rules() },
      { method: 'allowlist', call: (r) => r.allowlist() },
      { method: 'numbersIn', call: (r) => r.numbersIn({ from: ago(30 * DAY), to: SNAPSHOT_CLOCK }, 3) },
      {
        method: 'timelines',
        call: (r) =>
          r.timelines([seededNumber(1), seededNumber(2)], { from: ago(30 * DAY), to: SNAPSHOT_CLOCK }),
      },
      { method: 'protectedNumbers', call: (r) => r.protectedNumbers() },
      { method: 'campaignRules', call: (r) => r.campaignRules() },
      { method: 'actionedCampaigns', call: (r) => r.actionedCampaigns() },
      {
        method: 'texts',
        call: (r) => r.texts([seededNumber(1), seededNumber(2)], { from: ago(30 * DAY), to: SNAPSHOT_CLOCK }),
      },
    ],
    leftOut: {},
  }),
  repositoryStatements<FlagAssessmentsRepository>({
    name: 'FlagAssessmentsRepository',
    prototype: FlagAssessmentsRepository.prototype,
    make: () => new FlagAssessmentsRepository(),
    calls: [
      { method: 'pending', call: (r, m) => r.pending(m, 6 * HOUR, 100) },
      { method: 'weightedReporters', call: (r, m) => r.weightedReporters(m, [{ id: '1', reportIds }]) },
      {
        method: 'reportedSince',
        call: (r, m) => r.reportedSince(m, new Map(reporters.map((reporter) => [reporter, ago(7 * DAY)]))),
      },
    ],
    leftOut: { save: BATCH_WRITE },
  }),
  repositoryStatements<OutboxRepository>({
    name: 'OutboxRepository',
    prototype: OutboxRepository.prototype,
    make: (db) => new OutboxRepository(db),
    calls: [
      { method: 'publishPending', call: (r) => r.publishPending(100, async () => undefined) },
      { method: 'prunePublished', call: (r) => r.prunePublished(86_400, 1000) },
      { method: 'pendingCount', call: (r) => r.pendingCount() },
    ],
    leftOut: { enqueue: BATCH_WRITE },
  }),
  repositoryStatements<AccessRepository>({
    name: 'AccessRepository',
    prototype: AccessRepository.prototype,
    make: () => new AccessRepository(new TokensRepository(), new AuditLogRepository()),
    calls: [],
    leftOut: {
      issue: 'TokensRepository.create and AuditLogRepository.append in one transaction',
      revoke: 'TokensRepository.revoke and AuditLogRepository.append in one transaction',
    },
  }),
  repositoryStatements<TokensRepository>({
    name: 'TokensRepository',
    prototype: TokensRepository.prototype,
    make: () => new TokensRepository(),
    calls: [
      { method: 'authenticate', call: (r, m) => r.authenticate('amt_not-a-live-secret', m) },
      { method: 'list', call: (r, m) => r.list(m) },
      { method: 'liveHashes', call: (r, m) => r.liveHashes(m) },
      { method: 'liveByName', call: (r, m) => r.liveByName('analyst-3', m) },
      { method: 'find', call: (r, m) => r.find('8d4f6d1e-4ad2-4c5c-9a86-0d1a0b8f2d6e', m) },
      { method: 'byName', call: (r, m) => r.byName('analyst-3', m) },
    ],
    leftOut: { create: WRITE, revoke: WRITE },
  }),
  repositoryStatements<SessionsRepository>({
    name: 'SessionsRepository',
    prototype: SessionsRepository.prototype,
    make: () => new SessionsRepository(),
    calls: [
      { method: 'authenticate', call: (r, m) => r.authenticate(`ams_${'A'.repeat(43)}`, 30 * 60_000, m) },
      { method: 'liveHashes', call: (r, m) => r.liveHashes(10_000, m) },
    ],
    leftOut: {
      create: WRITE,
      end: WRITE,
      endAllOf: "a write of one token's sessions: one index range",
      forgetEndedBefore: 'a batched delete of dead sessions by the end index (retention job)',
    },
  }),
  repositoryStatements<FlagQueueRepository>({
    name: 'FlagQueueRepository',
    prototype: FlagQueueRepository.prototype,
    make: (db) => new FlagQueueRepository(db),
    calls: [
      {
        method: 'page',
        case: 'the console queue, most urgent first',
        call: (r) => r.page({ status: ['open', 'in_review'] }, queueSla, undefined, PAGE),
      },
      { method: 'count', call: (r) => r.count({ status: ['open', 'in_review'] }) },
      { method: 'dueSoon', call: (r) => r.dueSoon(queueSla, SNAPSHOT_CLOCK, [HOUR, 4 * HOUR]) },
      { method: 'related', call: (r) => r.related('42', 20) },
    ],
    leftOut: { lockFirstClaimable: 'locks the first of a few candidates by key (FOR UPDATE SKIP LOCKED)' },
  }),
  repositoryStatements<TeamRepository>({
    name: 'TeamRepository',
    prototype: TeamRepository.prototype,
    make: (db) => new TeamRepository(db),
    calls: [
      { method: 'reviewers', call: (r) => r.reviewers(REVIEWER_ROLES) },
      { method: 'held', call: (r) => r.held(50) },
      {
        method: 'liveReviewerNames',
        call: (r) => r.liveReviewerNames(['analyst-3', 'nobody'], REVIEWER_ROLES),
      },
      { method: 'unassigned', call: (r) => r.unassigned() },
    ],
    leftOut: {},
  }),
  repositoryStatements<AppealsRepository>({
    name: 'AppealsRepository',
    prototype: AppealsRepository.prototype,
    make: (db) => new AppealsRepository(db),
    calls: [
      { method: 'byId', call: (r, m) => r.byId('1', m) },
      { method: 'lockById', call: (r, m) => r.lockById(m, '1') },
      {
        method: 'list',
        case: 'pending, in SLA order',
        call: (r) => r.list({ status: 'pending', now: SNAPSHOT_CLOCK }, null, PAGE),
      },
      {
        method: 'list',
        case: 'overdue, after a cursor',
        call: (r) => r.list({ overdue: true, now: SNAPSHOT_CLOCK }, { dueAt: agoIso(DAY), id: '10' }, PAGE),
      },
      { method: 'forFlag', call: (r) => r.forFlag('42') },
      { method: 'latestForFlags', call: (r) => r.latestForFlags(['1', '2', '42']) },
    ],
    leftOut: { insert: WRITE, decide: WRITE },
  }),
  repositoryStatements<FlagDecisionsRepository>({
    name: 'FlagDecisionsRepository',
    prototype: FlagDecisionsRepository.prototype,
    make: (db) => new FlagDecisionsRepository(db),
    calls: [{ method: 'watchUntil', call: (r) => r.watchUntil('42') }],
    leftOut: { setWatchUntil: WRITE },
  }),
  repositoryStatements<AuditLogRepository>({
    name: 'AuditLogRepository',
    prototype: AuditLogRepository.prototype,
    make: () => new AuditLogRepository(),
    calls: [
      { method: 'search', case: 'the newest entries', call: (r, m) => r.search({ limit: PAGE }, m) },
      {
        method: 'search',
        case: "one actor's, before an id",
        call: (r, m) => r.search({ actor: 'analyst-3', beforeId: '5000', limit: PAGE }, m),
      },
      {
        method: 'search',
        case: "one flag's",
        call: (r, m) => r.search({ targetType: 'flag', targetId: '42', limit: PAGE }, m),
      },
      {
        method: 'search',
        case: 'one action in a day',
        call: (r, m) =>
          r.search(
            { action: 'flag.dismiss', since: agoIso(8 * DAY), until: agoIso(7 * DAY), limit: PAGE },
            m,
          ),
      },
      {
        method: 'latestActorOf',
        call: (r, m) =>
          r.latestActorOf({ type: 'flag', id: '42', actions: ['flag.claim', 'flag.assign'] }, m),
      },
    ],
    leftOut: { append: 'an insert' },
  }),
  repositoryStatements<AgentSubmissionsRepository>({
    name: 'AgentSubmissionsRepository',
    prototype: AgentSubmissionsRepository.prototype,
    make: () => new AgentSubmissionsRepository(),
    calls: [
      {
        method: 'admit',
        call: (r, m) =>
          r.admit(
            {
              submissionKey: 'snapshot-key',
              agentId: 'agent-3',
              reportId: seededReportId(0),
              submission: {},
            },
            20,
            m,
          ),
      },
      { method: 'held', case: 'the first page', call: (r, m) => r.held(null, PAGE, m) },
      { method: 'held', case: 'after an id', call: (r, m) => r.held('300', PAGE, m) },
      { method: 'lock', call: (r, m) => r.lock('20', m) },
    ],
    leftOut: { decide: WRITE },
  }),
  repositoryStatements<FlagChangesRepository>({
    name: 'FlagChangesRepository',
    prototype: FlagChangesRepository.prototype,
    make: () => new FlagChangesRepository(),
    calls: [{ method: 'forUpdate', call: (r, m) => r.forUpdate(numbers, m) }],
    leftOut: { save: BATCH_WRITE },
  }),
  repositoryStatements<CountersRepository>({
    name: 'CountersRepository',
    prototype: CountersRepository.prototype,
    make: () => new CountersRepository(),
    calls: [{ method: 'storedReportCounts', call: (r, m) => r.storedReportCounts(numbers, m) }],
    leftOut: { save: BATCH_WRITE, insertFirst: BATCH_WRITE },
  }),
  repositoryStatements<ReporterActivityRepository>({
    name: 'ReporterActivityRepository',
    prototype: ReporterActivityRepository.prototype,
    make: () => new ReporterActivityRepository(),
    calls: [
      {
        method: 'addNewAndLockKnown',
        call: (r, m) =>
          r.addNewAndLockKnown(
            reporters.map((reporter) => ({
              reporter,
              firstSeenAt: ago(HOUR),
              lastSeenAt: ago(0),
              reports: 1,
            })),
            m,
          ),
      },
    ],
    leftOut: { save: BATCH_WRITE },
  }),
  repositoryStatements<ReportsRepository>({
    name: 'ReportsRepository',
    prototype: ReportsRepository.prototype,
    make: () => new ReportsRepository(),
    calls: [
      { method: 'reporterDailyCounts', call: (r, m) => r.reporterDailyCounts(reportIds, m) },
      {
        method: 'historyOf',
        call: (r, m) => r.historyOf(new Map(numbers.map((n) => [n, ago(HOUR)])), 30 * DAY, [], m),
      },
      { method: 'everyReportOf', call: (r, m) => r.everyReportOf(numbers, m) },
    ],
    leftOut: { insertAll: BATCH_WRITE, insertNew: BATCH_WRITE, markUnweighted: WRITE },
  }),
  repositoryStatements<RejectionsRepository>({
    name: 'RejectionsRepository',
    prototype: RejectionsRepository.prototype,
    make: () => new RejectionsRepository(),
    calls: [],
    leftOut: { insertNew: BATCH_WRITE },
  }),
  repositoryStatements<CampaignsRepository>({
    name: 'CampaignsRepository',
    prototype: CampaignsRepository.prototype,
    make: (db) => new CampaignsRepository(db),
    calls: [
      { method: 'currentRules', call: (r, m) => r.currentRules(m) },
      { method: 'rulesVersions', call: (r, m) => r.rulesVersions(m) },
      { method: 'groupingState', call: (r, m) => r.groupingState(m) },
      {
        method: 'changedFlaggedNumbers',
        call: (r, m) => r.changedFlaggedNumbers(m, ago(HOUR), '', 500),
      },
      { method: 'nextSimCandidates', call: (r, m) => r.nextSimCandidates(m, ago(HOUR), 20_000) },
      { method: 'reportsWithText', call: (r, m) => r.reportsWithText(m, numbers, ago(30 * DAY), 200) },
      {
        method: 'neighbours',
        call: (r, m) => r.neighbours(m, numbers, [{ lo: '+849100000', hi: '+849100001' }], ago(DAY), 50),
      },
      { method: 'campaignsHolding', call: (r, m) => r.campaignsHolding(m, numbers) },
      { method: 'evidenceOf', call: (r, m) => r.evidenceOf(m, numbers, ago(30 * DAY), 200) },
      { method: 'overrides', call: (r, m) => r.overrides(m) },
      { method: 'actionedCampaigns', call: (r, m) => r.actionedCampaigns(m) },
      { method: 'flagIds', call: (r, m) => r.flagIds(m, numbers) },
      { method: 'lastSequences', call: (r, m) => r.lastSequences(m, ['1', '2']) },
      {
        method: 'list',
        case: 'open campaigns, newest first',
        call: (r) => r.list({ status: ['open'] }, 'newest', undefined, PAGE),
      },
      {
        method: 'list',
        case: 'most severe first, of a carrier, after a cursor',
        call: (r) =>
          r.list(
            { carrier: 'viettel' },
            'severity',
            { id: '10', lastSeenAt: agoIso(DAY), rank: 3, members: 30 },
            PAGE,
          ),
      },
      {
        method: 'list',
        case: 'largest first, after a cursor',
        call: (r) => r.list({}, 'largest', { id: '10', lastSeenAt: agoIso(DAY), rank: 3, members: 30 }, PAGE),
      },
      { method: 'byId', call: (r) => r.byId('1') },
      { method: 'members', call: (r) => r.members('1') },
      { method: 'history', call: (r) => r.history('1') },
      { method: 'ofFlag', call: (r) => r.ofFlag('1') },
      { method: 'lockById', call: (r, m) => r.lockById(m, '1') },
      { method: 'lockMany', call: (r, m) => r.lockMany(m, ['1', '2']) },
      { method: 'lockMemberFlags', call: (r, m) => r.lockMemberFlags(m, '1') },
    ],
    leftOut: {
      saveGroupingState: WRITE,
      addRulesVersion: 'an insert',
      saveFingerprints: BATCH_WRITE,
      create: 'an insert',
      updateSummary: WRITE,
      setStatus: WRITE,
      putMembers: BATCH_WRITE,
      refreshFingerprints: "a write by key of each campaign, from its members' rows (one index range each)",
      removeMembers: 'a delete by key',
      appendHistory: BATCH_WRITE,
      recordOverride: 'an insert',
    },
  }),
  repositoryStatements<RulesInForceRepository>({
    name: 'RulesInForceRepository',
    prototype: RulesInForceRepository.prototype,
    make: () => new RulesInForceRepository(),
    calls: [
      {
        method: 'read',
        case: 'the rules, the allowlist and the protected originators',
        call: (r, m) => r.read(m),
      },
    ],
    leftOut: {},
  }),
];
