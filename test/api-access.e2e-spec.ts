import { randomBytes, randomUUID } from 'node:crypto';
import { ROLES, type Role } from '@abuse-monitor/domain';
import { hashToken, reportTextKey } from '@abuse-monitor/persistence';
// Importing the module imports every controller, which fills the endpoint registry.
import '../apps/api/src/api.module';
import { allEndpoints } from '../apps/api/src/http/endpoint';
import {
  ApiClient,
  ApiResponse,
  createToken,
  expectProblem,
  Json,
  RoleTokens,
  startApi,
  tokensForEveryRole,
} from './support/api';
import { runCli } from './support/cli';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { readTopic } from './support/kafka';
import { seedCampaign as seedCampaignOf } from './support/seed';

/**
 * Who may call what, written by hand from the issue (not read from roles.ts): agents submit reports,
 * sign in to the console and record appeals (decision 0064); analysts review and act on flags and read subscribers, rules and the allowlist; supervisors
 * also write rules and the allowlist, reassign flags, manage reporters and read the daily summaries;
 * admins do everything, tokens and the audit log included.
 */
const ALL_ROLES: readonly Role[] = ['agent', 'analyst', 'supervisor', 'admin'];
const PUBLIC = 'public';
const INTAKE: readonly Role[] = ['agent', 'admin'];
const REVIEWERS: readonly Role[] = ['analyst', 'supervisor', 'admin'];
const SUPERVISORS: readonly Role[] = ['supervisor', 'admin'];
const ADMINS: readonly Role[] = ['admin'];

/** Distinct digits per role, so what each role creates or changes is its own. */
const N: Record<Role, number> = { agent: 1, analyst: 2, supervisor: 3, admin: 4 };

/** A number with a flag, counters and two reports, read by the masking checks and never changed. */
const EVIDENCE = '+84987000301';
const NEWEST_REPORTER = '+84912345678';
const OLDER_REPORTER = '+84903111222';
/** A suspicious reporter nobody clears, for the listing. */
const LISTED_REPORTER = '+84912000059';
/** The day of the daily summary the tests store. */
const SUMMARY_DAY = '2026-11-28';

interface Call {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

interface AccessCase {
  allowed: readonly Role[] | typeof PUBLIC;
  status: 200 | 201 | 202;
  /** A valid request for this role (for refused roles too, so a 403 is about the role only). */
  call: (role: Role) => Call | Promise<Call>;
  /** What a role that may call it gets. */
  check: (response: ApiResponse<Json>, role: Role) => void | Promise<void>;
  /** Once every role has called it. */
  verify?: () => Promise<void>;
}

/** What the tests seed, per role where a role needs its own. */
interface Seeded {
  assignFlag: Record<Role, number>;
  actFlag: Record<Role, number>;
  decideFlag: Record<Role, number>;
  evidenceFlag: number;
  allowlistToUpdate: Record<Role, number>;
  allowlistToDelete: Record<Role, number>;
  protectedToDelete: Record<Role, number>;
  victimTokens: Record<Role, string>;
  /** A token an admin created through the API before the tests, so the audit log has an entry. */
  probeTokenId: string;
  submittedKeys: Record<Role, string>;
  heldToRelease: Record<Role, number>;
  heldToRefuse: Record<Role, number>;
  bulkFlags: Record<Role, number[]>;
  /** Campaigns (issue 20): one to read, and one per role and command, each of two members. */
  campaignToRead: number;
  campaignToClaim: Record<Role, number>;
  campaignToDecide: Record<Role, number>;
  campaignToMergeInto: Record<Role, number>;
  campaignToMerge: Record<Role, number>;
  campaignToSplit: Record<Role, number>;
  campaignToTrim: Record<Role, number>;
  /** Appeals (issue 21): an actioned flag per role to appeal, a pending appeal per role to decide. */
  appealFlag: Record<Role, number>;
  appealToDecide: Record<Role, number>;
  appealToRead: number;
  campaignToReopen: Record<Role, number>;
}

let f: IngestFixture;
let api: ApiClient;
let tokens: RoleTokens;
let s: Seeded;
/** Whether flags have the SLA clock column of the scheduled-jobs migration, which has no default. */
let slaColumn = false;

const get = (path: string): Call => ({ method: 'GET', path });
const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

async function versionOf(
  table: 'rules' | 'allowlist' | 'protected_originators' | 'flags' | 'campaigns',
  id: string | number,
): Promise<number> {
  const column = table === 'flags' ? 'sequence' : 'version';
  const rows = await f.db.query<{ v: number }>(`SELECT ${column} AS v FROM ${table} WHERE id = $1`, [id]);
  if (rows.length !== 1) throw new Error(`no ${table} row ${id}`);
  return rows[0].v;
}

const auditCount = async () =>
  (await f.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'))[0].n;

const lastHistory = (body: Json) => body.history[body.history.length - 1];

const ACCESS: Record<string, AccessCase> = {
  live: {
    allowed: PUBLIC,
    status: 200,
    call: () => get('/health/live'),
    check: (r) => expect(r.body).toEqual({ status: 'ok' }),
  },
  ready: {
    allowed: PUBLIC,
    status: 200,
    call: () => get('/health/ready'),
    check: (r) =>
      expect(r.body).toMatchObject({
        status: 'ready',
        checks: { database: { ok: true }, broker: { ok: true } },
      }),
  },
  openApiDocument: {
    allowed: PUBLIC,
    status: 200,
    call: () => get('/docs-json'),
    check: (r) => {
      expect(r.body.openapi).toMatch(/^3\.1\./);
      expect(Object.keys(r.body.paths)).toEqual(
        expect.arrayContaining(['/api/v1/flags/{id}/actions', '/api/v1/tokens/{id}/revoke', '/health/live']),
      );
    },
  },
  docsPage: {
    allowed: PUBLIC,
    status: 200,
    call: () => get('/docs'),
    check: (r) => {
      expect(r.contentType).toMatch(/^text\/html/);
      expect(r.text).toContain('<div id="swagger-ui">');
      expect(r.text).toContain('/docs/init.js');
    },
  },
  metrics: {
    allowed: PUBLIC,
    status: 200,
    call: () => get('/metrics'),
    check: (r) => {
      expect(r.contentType).toMatch(/^text\/plain/);
      expect(r.text).toContain('abuse_monitor_http_requests_total');
      expect(r.text).toContain('app="api"');
    },
  },
  docsInit: {
    allowed: PUBLIC,
    status: 200,
    call: () => get('/docs/init.js'),
    check: (r) => {
      expect(r.contentType).toMatch(/^text\/javascript/);
      expect(r.text).toContain("url: '/docs-json'");
    },
  },

  submitReport: {
    allowed: INTAKE,
    status: 202,
    call: (role) => ({
      method: 'POST',
      path: '/api/v1/reports',
      headers: { 'idempotency-key': s.submittedKeys[role] },
      body: {
        reporter: '0912 345 678',
        reportedNumber: `0987.000.50${N[role]}`,
        kind: 'scam_call',
        description: 'Gia danh cong an yeu cau chuyen tien',
      },
    }),
    check: (r, role) =>
      expect(r.body).toEqual({
        reportId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        idempotencyKey: s.submittedKeys[role],
        status: 'queued',
      }),
    verify: async () => {
      // On the topic, keys are scoped by the agent (the token's name, here the role).
      const keys = INTAKE.map((role) => `${role}:${s.submittedKeys[role]}`);
      const messages = await readTopic(f.kafka, f.topics.submitted, (received) =>
        keys.every((key) => received.some((m) => m.key === key)),
      );
      const byKey = new Map(messages.map((m) => [m.key, JSON.parse(m.value ?? '{}')]));
      for (const role of INTAKE)
        expect(byKey.get(`${role}:${s.submittedKeys[role]}`)).toMatchObject({
          agentId: role,
          reportedNumber: `0987.000.50${N[role]}`,
          kind: 'scam_call',
        });
      // Refused submissions never reach the broker.
      for (const role of ALL_ROLES.filter((r) => !INTAKE.includes(r)))
        expect(byKey.has(`${role}:${s.submittedKeys[role]}`)).toBe(false);
    },
  },

  getCampaignRules: {
    allowed: REVIEWERS,
    status: 200,
    call: () => get('/api/v1/campaign-rules'),
    check: (r) => {
      expect(r.body.version).toBeGreaterThanOrEqual(1);
      expect(r.body.versions[r.body.versions.length - 1]).toMatchObject({
        version: 1,
        createdBy: 'migration',
      });
    },
  },
  updateCampaignRules: {
    allowed: SUPERVISORS,
    status: 200,
    call: async (role) => {
      const [{ v }] = await f.db.query<{ v: number }>('SELECT max(version) AS v FROM campaign_rule_versions');
      return {
        method: 'PATCH',
        path: '/api/v1/campaign-rules',
        body: { highSeverityMembers: 10 + N[role], version: v },
      };
    },
    check: (r, role) => expect(r.body).toMatchObject({ highSeverityMembers: 10 + N[role], createdBy: role }),
  },
  listCampaigns: {
    allowed: REVIEWERS,
    status: 200,
    call: () => get('/api/v1/campaigns?limit=200&sort=largest'),
    check: (r) => {
      expect(r.body.items.map((c: Json) => c.id)).toContain(s.campaignToRead);
      expect(r.body.sort).toBe('largest');
    },
  },
  getCampaign: {
    allowed: REVIEWERS,
    status: 200,
    call: () => get(`/api/v1/campaigns/${s.campaignToRead}`),
    check: (r) => {
      expect(r.body).toMatchObject({ id: s.campaignToRead, memberCount: 2 });
      expect(r.body.members).toHaveLength(2);
    },
  },
  claimCampaign: {
    allowed: REVIEWERS,
    status: 200,
    call: async (role) => ({
      method: 'POST',
      path: `/api/v1/campaigns/${s.campaignToClaim[role]}/claim`,
      body: { version: await versionOf('campaigns', s.campaignToClaim[role]) },
    }),
    check: (r, role) => expect(r.body).toMatchObject({ status: 'in_review', assignee: role, version: 2 }),
  },
  decideOnCampaign: {
    allowed: REVIEWERS,
    status: 200,
    call: async (role) => ({
      method: 'POST',
      path: `/api/v1/campaigns/${s.campaignToDecide[role]}/decisions`,
      body: {
        decision: 'dismiss',
        reasonCode: 'not_abuse',
        version: await versionOf('campaigns', s.campaignToDecide[role]),
      },
    }),
    check: (r) => {
      expect(r.body.campaign).toMatchObject({ status: 'dismissed', version: 2 });
      expect(r.body.changed).toHaveLength(2);
    },
  },
  reopenCampaign: {
    allowed: REVIEWERS,
    status: 200,
    call: async (role) => ({
      method: 'POST',
      path: `/api/v1/campaigns/${s.campaignToReopen[role]}/reopen`,
      body: {
        reasonCode: 'new_evidence',
        version: await versionOf('campaigns', s.campaignToReopen[role]),
      },
    }),
    // Its members' flags are open: the campaign reopens, they are left as they are.
    check: (r) => {
      expect(r.body.campaign).toMatchObject({ status: 'open', version: 2 });
      expect(r.body.unchanged).toHaveLength(2);
    },
  },
  mergeCampaigns: {
    allowed: SUPERVISORS,
    status: 200,
    call: async (role) => ({
      method: 'POST',
      path: `/api/v1/campaigns/${s.campaignToMergeInto[role]}/merge`,
      body: {
        campaigns: [String(s.campaignToMerge[role])],
        version: await versionOf('campaigns', s.campaignToMergeInto[role]),
      },
    }),
    check: (r) => expect(r.body).toMatchObject({ memberCount: 4, version: 2 }),
  },
  splitCampaign: {
    allowed: SUPERVISORS,
    status: 200,
    call: async (role) => ({
      method: 'POST',
      path: `/api/v1/campaigns/${s.campaignToSplit[role]}/split`,
      body: {
        numbers: [campaignMember(5, role, 1)],
        version: await versionOf('campaigns', s.campaignToSplit[role]),
      },
    }),
    check: (r) => {
      expect(r.body.campaign).toMatchObject({ memberCount: 1, version: 2 });
      expect(r.body.newCampaignId).toBeGreaterThan(s.campaignToSplit.admin);
    },
  },
  removeCampaignMember: {
    allowed: SUPERVISORS,
    status: 200,
    call: async (role) => ({
      method: 'POST',
      path: `/api/v1/campaigns/${s.campaignToTrim[role]}/remove-member`,
      body: {
        number: campaignMember(6, role, 1),
        version: await versionOf('campaigns', s.campaignToTrim[role]),
      },
    }),
    check: (r) => expect(r.body).toMatchObject({ memberCount: 1, version: 2 }),
  },
  listFlags: {
    allowed: REVIEWERS,
    status: 200,
    call: () => get('/api/v1/flags?status=open&limit=200'),
    check: (r) => {
      const numbers = r.body.items.map((i: Json) => i.reportedNumber);
      expect(numbers).toContain(EVIDENCE);
      expect(r.body.items.every((i: Json) => i.status === 'open')).toBe(true);
      expect(r.body.nextCursor).toBeNull();
    },
  },
  whoAmI: {
    allowed: ALL_ROLES,
    status: 200,
    call: () => get('/api/v1/me'),
    // Tokens are named after their role.
    check: (r, role) => {
      expect(r.body).toMatchObject({ name: role, role });
      const may = (permission: string) => r.body.permissions.includes(permission);
      expect([may('flags:act'), may('flags:reassign'), may('tokens:manage')]).toEqual([
        REVIEWERS.includes(role),
        SUPERVISORS.includes(role),
        ADMINS.includes(role),
      ]);
    },
  },
  getFlag: {
    allowed: REVIEWERS,
    status: 200,
    call: () => get(`/api/v1/flags/${s.evidenceFlag}`),
    check: (r) => {
      expect(r.headers.get('etag')).toMatch(/^"1-[0-9a-f]{16}"$/);
      expect(r.body).toMatchObject({
        id: s.evidenceFlag,
        version: 1,
        reportedNumber: EVIDENCE,
        status: 'open',
        rule: { id: 'distinct-3-24h', version: 1, threshold: 3 },
        counters: { totalReports: 2, windows: { '24h': { reports: 2, distinctReporters: 2 } } },
      });
      expect(r.body.recentReports).toHaveLength(2);
      expect(r.body.history.map((h: Json) => [h.change, h.actor])).toEqual([['opened', 'rules']]);
    },
  },
  assignFlag: {
    allowed: REVIEWERS,
    status: 200,
    call: async (role) => ({
      method: 'POST',
      path: `/api/v1/flags/${s.assignFlag[role]}/assign`,
      body: {},
      headers: ifMatch(await versionOf('flags', s.assignFlag[role])),
    }),
    check: (r, role) => {
      expect(r.body).toMatchObject({
        id: s.assignFlag[role],
        status: 'in_review',
        assignee: role,
        version: 2,
      });
      expect(lastHistory(r.body)).toMatchObject({ change: 'claimed', actor: role, toStatus: 'in_review' });
      expect(r.headers.get('etag')).toMatch(/^"2-[0-9a-f]{16}"$/);
    },
  },
  actOnFlag: {
    allowed: REVIEWERS,
    status: 200,
    call: async (role) => ({
      method: 'POST',
      path: `/api/v1/flags/${s.actFlag[role]}/actions`,
      body: {
        action: 'warn',
        note: `canh bao boi ${role}`,
        version: await versionOf('flags', s.actFlag[role]),
      },
    }),
    check: (r, role) => {
      expect(r.body).toMatchObject({
        id: s.actFlag[role],
        status: 'actioned',
        takenAction: 'warn',
        version: 2,
      });
      expect(lastHistory(r.body)).toMatchObject({
        change: 'actioned',
        actor: role,
        note: `canh bao boi ${role}`,
      });
    },
  },
  decideOnFlag: {
    allowed: REVIEWERS,
    status: 200,
    call: async (role) => ({
      method: 'POST',
      path: `/api/v1/flags/${s.decideFlag[role]}/decisions`,
      body: {
        decision: 'watch',
        reasonCode: 'too_few_reports',
        version: await versionOf('flags', s.decideFlag[role]),
      },
    }),
    check: (r, role) => {
      expect(r.body.flag).toMatchObject({ id: s.decideFlag[role], status: 'watched', version: 2 });
      expect(r.body.outcome).toMatchObject({
        decision: 'watch',
        reasonCode: 'too_few_reports',
        decidedBy: role,
        before: { status: 'open', version: 1 },
        after: { status: 'watched', assignee: null, version: 2 },
        events: [],
      });
    },
  },
  listDecisionReasons: {
    allowed: REVIEWERS,
    status: 200,
    call: () => get('/api/v1/decision-reasons'),
    check: (r) =>
      expect(r.body.items.map((i: Json) => i.kind)).toEqual(['act', 'dismiss', 'watch', 'reopen']),
  },
  getFlagHistory: {
    allowed: REVIEWERS,
    status: 200,
    call: () => get(`/api/v1/flags/${s.evidenceFlag}/history`),
    check: (r) => {
      expect(r.body).toMatchObject({ flagId: s.evidenceFlag, status: 'open', watchUntil: null });
      expect(r.body.items).toEqual([
        expect.objectContaining({ change: 'opened', actor: 'rules', reasonCode: null, toAssignee: null }),
      ]);
    },
  },
  listReviewers: {
    allowed: SUPERVISORS,
    status: 200,
    call: () => get('/api/v1/reviewers'),
    check: (r) => {
      const names = r.body.items.map((i: Json) => i.name);
      expect(names).toEqual(expect.arrayContaining(['analyst', 'supervisor', 'admin']));
      expect(names).not.toContain('agent');
    },
  },
  teamView: {
    allowed: SUPERVISORS,
    status: 200,
    call: () => get('/api/v1/team'),
    check: (r) => {
      expect(r.body.listedPerHolder).toBe(50);
      expect(r.body.holders.map((h: Json) => h.name)).toEqual(expect.arrayContaining(['analyst', 'admin']));
      expect(typeof r.body.unassigned.open).toBe('number');
    },
  },
  recordAppeal: {
    allowed: ['agent', 'supervisor', 'admin'],
    status: 201,
    call: (role) => ({
      method: 'POST',
      path: `/api/v1/flags/${s.appealFlag[role]}/appeals`,
      body: { statement: `the subscriber says the block is a mistake (${role})`, channel: 'phone_call' },
    }),
    check: (r, role) =>
      expect(r.body).toMatchObject({ flagId: s.appealFlag[role], status: 'pending', recordedBy: role }),
  },
  findAppealableFlag: {
    allowed: ['agent', 'supervisor', 'admin'],
    status: 200,
    call: () => get('/api/v1/appealable-flags?number=0987000730'),
    check: (r) =>
      expect(r.body).toMatchObject({
        reportedNumber: '+84987000730',
        flag: { takenAction: 'warn', pendingAppeal: { id: s.appealToRead } },
      }),
  },
  listAppeals: {
    allowed: REVIEWERS,
    status: 200,
    call: () => get('/api/v1/appeals?status=pending&limit=200'),
    check: (r) => expect(r.body.items.map((a: Json) => a.id)).toContain(s.appealToRead),
  },
  getAppeal: {
    allowed: REVIEWERS,
    status: 200,
    call: () => get(`/api/v1/appeals/${s.appealToRead}`),
    check: (r) =>
      expect(r.body).toMatchObject({ id: s.appealToRead, status: 'pending', flag: { status: 'actioned' } }),
  },
  decideOnAppeal: {
    allowed: SUPERVISORS,
    status: 200,
    call: (role) => ({
      method: 'POST',
      path: `/api/v1/appeals/${s.appealToDecide[role]}/decisions`,
      body: { decision: 'uphold', note: 'the reports stand', version: 1 },
    }),
    check: (r) => expect(r.body.appeal).toMatchObject({ status: 'upheld' }),
  },
  startSession: {
    allowed: ALL_ROLES,
    status: 201,
    call: () => ({ method: 'POST', path: '/api/v1/session' }),
    check: (r, role) => {
      expect(r.body).toMatchObject({ name: role, role, session: { csrfToken: expect.any(String) } });
      expect(r.headers.get('set-cookie')).toMatch(
        /^__Host-am_session=ams_.+; HttpOnly; Secure; SameSite=Strict$/,
      );
    },
  },
  getSession: {
    allowed: ALL_ROLES,
    status: 200,
    call: () => get('/api/v1/session'),
    // Signed with the bearer token: who it is, and no session.
    check: (r, role) => expect(r.body).toMatchObject({ name: role, role, session: null }),
  },
  endSession: {
    allowed: ALL_ROLES,
    status: 200,
    call: () => ({ method: 'DELETE', path: '/api/v1/session' }),
    check: (r) => expect(r.body).toEqual({ sessionsEnded: 0 }),
  },
  endAllSessions: {
    allowed: ALL_ROLES,
    status: 200,
    call: () => ({ method: 'DELETE', path: '/api/v1/sessions' }),
    // startSession's case ran first and left each role one session.
    check: (r) => expect(r.body.sessionsEnded).toBeGreaterThanOrEqual(0),
    verify: async () => {
      const live = await f.db.query(`SELECT 1 FROM api_sessions WHERE ended_at IS NULL`);
      expect(live).toEqual([]);
    },
  },
  getSubscriber: {
    allowed: REVIEWERS,
    status: 200,
    // Any notation reports use: this one is national, with dots.
    call: () => get('/api/v1/subscribers/0987.000.301'),
    check: (r) => {
      expect(r.body).toMatchObject({
        reportedNumber: EVIDENCE,
        nationalNumber: '0987000301',
        counters: { totalReports: 2 },
        flag: { id: s.evidenceFlag, status: 'open' },
        allowlisted: null,
      });
      expect(r.body.flagHistory.map((h: Json) => h.change)).toEqual(['opened']);
      expect(r.body.recentReports).toHaveLength(2);
    },
  },

  listRules: {
    allowed: REVIEWERS,
    status: 200,
    call: () => get('/api/v1/rules'),
    check: (r) =>
      expect(r.body.items.map((i: Json) => i.id)).toEqual(
        expect.arrayContaining(['distinct-3-24h', 'distinct-10-24h', 'scam-distinct-5-24h']),
      ),
  },
  getRule: {
    allowed: REVIEWERS,
    status: 200,
    call: () => get('/api/v1/rules/distinct-3-24h'),
    check: (r) => {
      expect(r.body).toMatchObject({ id: 'distinct-3-24h', version: 1, threshold: 3, severity: 'low' });
      expect(r.body.versions).toEqual([
        expect.objectContaining({ version: 1, threshold: 3, createdBy: 'migration' }),
      ]);
    },
  },
  createRule: {
    allowed: SUPERVISORS,
    status: 201,
    call: (role) => ({
      method: 'POST',
      path: '/api/v1/rules',
      body: {
        id: `made-by-${role}`,
        name: `Rule made by ${role}`,
        windowSeconds: 3600,
        measure: 'reports',
        threshold: 100,
        severity: 'medium',
        action: 'warn',
        enabled: false,
      },
    }),
    check: (r, role) =>
      expect(r.body).toMatchObject({
        id: `made-by-${role}`,
        version: 1,
        threshold: 100,
        enabled: false,
        updatedBy: role,
      }),
  },
  updateRule: {
    allowed: SUPERVISORS,
    status: 200,
    call: async (role) => ({
      method: 'PATCH',
      path: `/api/v1/rules/update-${role}`,
      body: { threshold: 42 },
      headers: ifMatch(await versionOf('rules', `update-${role}`)),
    }),
    check: (r, role) =>
      expect(r.body).toMatchObject({ id: `update-${role}`, version: 2, threshold: 42, updatedBy: role }),
  },
  previewRules: {
    allowed: SUPERVISORS,
    status: 200,
    call: () => ({
      method: 'POST',
      path: '/api/v1/rules/what-if',
      body: {
        from: new Date(Date.now() - 86_400_000).toISOString(),
        changes: [{ op: 'update', id: 'distinct-3-24h', threshold: 4 }],
      },
    }),
    check: (r) => expect(r.body).toMatchObject({ changes: { opened: 0, raised: 0 } }),
  },
  deleteRule: {
    allowed: SUPERVISORS,
    status: 200,
    call: async (role) => ({
      method: 'DELETE',
      path: `/api/v1/rules/delete-${role}`,
      headers: ifMatch(await versionOf('rules', `delete-${role}`)),
    }),
    check: async (r, role) => {
      expect(r.body).toMatchObject({ id: `delete-${role}`, version: 1 });
      expect(await f.db.query('SELECT id FROM rules WHERE id = $1', [`delete-${role}`])).toEqual([]);
    },
  },

  listAllowlist: {
    allowed: REVIEWERS,
    status: 200,
    call: () => get('/api/v1/allowlist'),
    check: (r) =>
      expect(r.body.items.map((i: Json) => i.pattern)).toEqual(
        expect.arrayContaining(ALL_ROLES.map((role) => `+8490300006${N[role]}`)),
      ),
  },
  createAllowlistEntry: {
    allowed: SUPERVISORS,
    status: 201,
    call: (role) => ({
      method: 'POST',
      path: '/api/v1/allowlist',
      body: { kind: 'number', pattern: `0903 000 08${N[role]}`, reason: 'bank hotline', owner: 'fraud-desk' },
    }),
    check: (r, role) =>
      expect(r.body).toMatchObject({
        kind: 'number',
        pattern: `+8490300008${N[role]}`,
        version: 1,
        createdBy: role,
        updatedBy: role,
      }),
  },
  updateAllowlistEntry: {
    allowed: SUPERVISORS,
    status: 200,
    call: async (role) => ({
      method: 'PATCH',
      path: `/api/v1/allowlist/${s.allowlistToUpdate[role]}`,
      body: { reason: `reviewed by ${role}` },
      headers: ifMatch(await versionOf('allowlist', s.allowlistToUpdate[role])),
    }),
    check: (r, role) =>
      expect(r.body).toMatchObject({
        id: s.allowlistToUpdate[role],
        version: 2,
        reason: `reviewed by ${role}`,
        owner: 'seed',
        updatedBy: role,
      }),
  },
  deleteAllowlistEntry: {
    allowed: SUPERVISORS,
    status: 200,
    call: async (role) => ({
      method: 'DELETE',
      path: `/api/v1/allowlist/${s.allowlistToDelete[role]}`,
      headers: ifMatch(await versionOf('allowlist', s.allowlistToDelete[role])),
    }),
    check: async (r, role) => {
      expect(r.body).toMatchObject({ id: s.allowlistToDelete[role], pattern: `+8490300007${N[role]}` });
      expect(await f.db.query('SELECT id FROM allowlist WHERE id = $1', [s.allowlistToDelete[role]])).toEqual(
        [],
      );
    },
  },

  listProtectedOriginators: {
    allowed: REVIEWERS,
    status: 200,
    call: () => get('/api/v1/protected-originators?limit=200'),
    check: (r) =>
      expect(r.body.items.map((i: Json) => i.number)).toEqual(
        // Those only supervisors could delete, whichever case runs first.
        expect.arrayContaining(
          ALL_ROLES.filter((role) => !SUPERVISORS.includes(role)).map((role) => `+8490300009${N[role]}`),
        ),
      ),
  },
  createProtectedOriginator: {
    allowed: SUPERVISORS,
    status: 201,
    call: (role) => ({
      method: 'POST',
      path: '/api/v1/protected-originators',
      body: {
        number: `0903 000 10${N[role]}`,
        name: 'Bank hotline',
        kind: 'bank',
        reason: 'spoofed in scams',
      },
    }),
    check: (r, role) =>
      expect(r.body).toMatchObject({
        number: `+8490300010${N[role]}`,
        kind: 'bank',
        version: 1,
        createdBy: role,
      }),
  },
  deleteProtectedOriginator: {
    allowed: SUPERVISORS,
    status: 200,
    call: async (role) => ({
      method: 'DELETE',
      path: `/api/v1/protected-originators/${s.protectedToDelete[role]}`,
      headers: ifMatch(await versionOf('protected_originators', s.protectedToDelete[role])),
    }),
    check: async (r, role) => {
      expect(r.body).toMatchObject({ id: s.protectedToDelete[role], number: `+8490300009${N[role]}` });
      expect(
        await f.db.query('SELECT id FROM protected_originators WHERE id = $1', [s.protectedToDelete[role]]),
      ).toEqual([]);
    },
  },

  listHeldSubmissions: {
    allowed: SUPERVISORS,
    status: 200,
    call: () => get('/api/v1/held-submissions?limit=200'),
    check: (r) => {
      const ids = r.body.items.map((item: Json) => item.id);
      for (const id of Object.values(s.heldToRefuse)) expect(ids).toContain(id);
      expect(r.body.items[0]).toMatchObject({
        agentId: 'seeded-agent',
        status: 'held',
        reporter: '0912 345 678',
      });
    },
  },
  releaseHeldSubmission: {
    allowed: SUPERVISORS,
    status: 200,
    call: (role) => ({
      method: 'POST',
      path: `/api/v1/held-submissions/${s.heldToRelease[role]}/release`,
      body: { note: `checked by ${role}` },
    }),
    check: (r, role) =>
      expect(r.body).toMatchObject({ id: s.heldToRelease[role], status: 'released', decidedBy: role }),
    verify: async () => {
      const audited = await f.db.query<{ actor: string }>(
        `SELECT actor FROM audit_log WHERE action = 'submission.release' ORDER BY actor`,
      );
      expect(audited.map((a) => a.actor)).toEqual([...SUPERVISORS].sort());
    },
  },
  refuseHeldSubmission: {
    allowed: SUPERVISORS,
    status: 200,
    call: (role) => ({
      method: 'POST',
      path: `/api/v1/held-submissions/${s.heldToRefuse[role]}/refuse`,
      body: { note: `made up, says ${role}` },
    }),
    check: (r, role) =>
      expect(r.body).toMatchObject({ id: s.heldToRefuse[role], status: 'refused', decidedBy: role }),
  },

  listReporters: {
    allowed: SUPERVISORS,
    status: 200,
    call: () => get('/api/v1/reporters?standing=suspicious&limit=200'),
    check: (r) => {
      expect(r.body.items).toContainEqual(
        expect.objectContaining({ reporter: LISTED_REPORTER, standing: 'suspicious', totalReports: 12 }),
      );
      expect(r.body.items.every((i: Json) => i.standing === 'suspicious')).toBe(true);
    },
  },
  clearReporter: {
    allowed: SUPERVISORS,
    status: 200,
    call: (role) => ({
      method: 'POST',
      path: `/api/v1/reporters/091200005${N[role]}/clear`,
      body: { note: `vouched for by ${role}` },
    }),
    check: (r, role) =>
      expect(r.body).toMatchObject({
        reporter: `+8491200005${N[role]}`,
        standing: 'cleared',
        clearedBy: role,
        clearedAt: expect.any(String),
      }),
  },

  listDailySummaries: {
    allowed: SUPERVISORS,
    status: 200,
    call: () => get(`/api/v1/summaries?from=2026-11-27&to=${SUMMARY_DAY}`),
    check: (r) => {
      expect(r.body.days.map((d: Json) => d.date)).toEqual([SUMMARY_DAY]);
      expect(r.body.missing).toEqual(['2026-11-27']);
    },
  },
  getSubscriberActivity: {
    allowed: REVIEWERS,
    status: 200,
    call: () => get('/api/v1/subscribers/0987.000.301/activity?bucket=day&days=30'),
    check: (r) => {
      expect(r.body).toMatchObject({ reportedNumber: EVIDENCE, bucket: 'day', timeZone: 'Asia/Ho_Chi_Minh' });
      expect(r.body.buckets).toHaveLength(30);
    },
  },
  getReportActivity: {
    allowed: REVIEWERS,
    status: 200,
    call: () => get(`/api/v1/report-activity?numbers=${encodeURIComponent(EVIDENCE)}&bucket=hour&days=1`),
    check: (r) => {
      expect(r.body.numbers.map((n: Json) => n.reportedNumber)).toEqual([EVIDENCE]);
      expect(r.body.numbers[0].buckets).toHaveLength(24);
    },
  },
  getDailySummary: {
    allowed: SUPERVISORS,
    status: 200,
    call: () => get(`/api/v1/summaries/daily?date=${SUMMARY_DAY}`),
    check: (r) =>
      expect(r.body).toMatchObject({
        date: SUMMARY_DAY,
        timeZone: 'Asia/Ho_Chi_Minh',
        reports: { total: 7, byChannel: { sms: 5, hotline: 2 } },
        flags: { opened: 2, actioned: 1 },
      }),
  },

  listAudit: {
    allowed: ADMINS,
    status: 200,
    call: () => get(`/api/v1/audit?action=token.create&targetId=${s.probeTokenId}`),
    check: (r) =>
      expect(r.body.items).toEqual([
        expect.objectContaining({
          action: 'token.create',
          actor: 'admin',
          actorRole: 'admin',
          targetType: 'token',
          targetId: s.probeTokenId,
          method: 'POST',
          path: '/api/v1/tokens',
        }),
      ]),
  },
  listTokens: {
    allowed: ADMINS,
    status: 200,
    call: () => get('/api/v1/tokens'),
    check: (r) => {
      expect(r.body.items.map((t: Json) => t.name)).toEqual(expect.arrayContaining([...ALL_ROLES]));
      for (const token of r.body.items) expect(Object.keys(token).sort()).toEqual(TOKEN_VIEW_KEYS);
    },
  },
  createToken: {
    allowed: ADMINS,
    status: 201,
    call: (role) => ({
      method: 'POST',
      path: '/api/v1/tokens',
      body: { name: `issued-by-${role}`, role: 'agent' },
    }),
    check: (r, role) =>
      expect(r.body).toMatchObject({
        name: `issued-by-${role}`,
        role: 'agent',
        createdBy: role,
        revokedAt: null,
        secret: expect.stringMatching(/^amt_[A-Za-z0-9_-]{43}$/),
      }),
  },
  revokeToken: {
    allowed: ADMINS,
    status: 200,
    call: (role) => ({ method: 'POST', path: `/api/v1/tokens/${s.victimTokens[role]}/revoke` }),
    check: (r, role) =>
      expect(r.body).toMatchObject({
        id: s.victimTokens[role],
        revokedBy: role,
        revokedAt: expect.any(String),
      }),
  },
  flagsDueSoon: {
    allowed: REVIEWERS,
    status: 200,
    call: () => get('/api/v1/flags/due-soon'),
    check: (r) => {
      expect(r.body).toMatchObject({
        at: expect.any(String),
        overdue: expect.any(Number),
        within1h: expect.any(Number),
      });
      expect(r.body.within4h).toBeGreaterThanOrEqual(r.body.within1h);
    },
  },
  claimNextFlag: {
    allowed: REVIEWERS,
    status: 200,
    // Each call first adds a flag overdue for 25 years, more urgent than any other here: a
    // claim never takes a flag another case reads.
    call: async (role) => {
      await seedUrgentFlag(`+8498700047${N[role]}`);
      return { method: 'POST', path: '/api/v1/flags/claim-next' };
    },
    check: (r, role) => {
      expect(r.body).toMatchObject({ status: 'in_review', assignee: role, version: 2 });
      expect(r.body.reportedNumber).toMatch(/^\+8498700047\d$/);
      expect(lastHistory(r.body)).toMatchObject({ change: 'claimed', actor: role });
    },
  },
  relatedFlags: {
    allowed: REVIEWERS,
    status: 200,
    call: () => get(`/api/v1/flags/${s.evidenceFlag}/related`),
    check: (r) => {
      expect(Array.isArray(r.body.items)).toBe(true);
      for (const item of r.body.items) {
        expect(item.flag.id).not.toBe(s.evidenceFlag);
        expect(item.why.length).toBeGreaterThan(0);
      }
    },
  },
  bulkDecisions: {
    allowed: REVIEWERS,
    status: 200,
    call: async (role) => ({
      method: 'POST',
      path: '/api/v1/flags/bulk-decisions',
      body: {
        flags: await Promise.all(
          s.bulkFlags[role].map(async (id) => ({
            flagId: String(id),
            version: await versionOf('flags', id),
          })),
        ),
        action: 'dismiss',
        note: `bo qua boi ${role}`,
      },
    }),
    check: (r, role) => {
      expect(r.body.refused).toEqual([]);
      expect(r.body.done).toEqual(
        s.bulkFlags[role].map((flagId) => ({ flagId, version: 2, status: 'dismissed' })),
      );
    },
  },
};

const TOKEN_VIEW_KEYS = [
  'createdAt',
  'createdBy',
  'expiresAt',
  'id',
  'lastUsedAt',
  'name',
  'revokedAt',
  'revokedBy',
  'role',
].sort();

const send = (client: ApiClient, call: Call, token: string | null) =>
  client.request(call.method, call.path, { token, body: call.body, headers: call.headers });

function expectStatus(response: ApiResponse, status: number, who: string): void {
  if (response.status !== status)
    throw new Error(`${who}: expected ${status}, got ${response.status}: ${response.text.slice(0, 2000)}`);
}

/** Flags as the rules open them: status open, version 1, with their first history row. */
async function seedFlag(number: string): Promise<number> {
  const rows = await f.db.query<{ id: string }>(
    `WITH flag AS (
       INSERT INTO flags (reported_number, status, severity, rule_id, rule_version, recommended_action, opened_at,
                          last_change_at, sequence${slaColumn ? ', sla_started_at' : ''})
       VALUES ($1, 'open', 'low', 'distinct-3-24h', 1, 'watch', now(), now(), 1${slaColumn ? ', now()' : ''})
       RETURNING id, reported_number)
     INSERT INTO flag_history (flag_id, reported_number, sequence, change, from_status, to_status, severity, rule_id,
                               rule_version, recommended_action, possibly_coordinated, actor, event_id, occurred_at)
     SELECT id, reported_number, 1, 'opened', NULL, 'open', 'low', 'distinct-3-24h', 1, 'watch', false, 'rules',
            'flag:' || reported_number || ':1', now()
       FROM flag RETURNING flag_id AS id`,
    [number],
  );
  return Number(rows[0].id);
}

/** An open high flag whose SLA clock started in 2001: the most urgent of the queue. */
async function seedUrgentFlag(number: string): Promise<void> {
  await f.db.query(
    `WITH flag AS (
       INSERT INTO flags (reported_number, status, severity, rule_id, rule_version, recommended_action, opened_at,
                          last_change_at, sequence, sla_started_at)
       VALUES ($1, 'open', 'high', 'distinct-3-24h', 1, 'block_outgoing', now(), now(), 1, '2001-01-01T00:00:00Z')
       RETURNING id, reported_number)
     INSERT INTO flag_history (flag_id, reported_number, sequence, change, from_status, to_status, severity, rule_id,
                               rule_version, recommended_action, possibly_coordinated, actor, occurred_at)
     SELECT id, reported_number, 1, 'opened', NULL, 'open', 'high', 'distinct-3-24h', 1, 'block_outgoing', false,
            'rules', now()
       FROM flag`,
    [number],
  );
}

/** The text of every seeded report, with its key as the aggregator stores it. */
const CONTENT = 'Khuyen mai lon';

async function seedReport(reportedNumber: string, reporter: string, minutesAgo: number): Promise<void> {
  await f.db.query(
    `INSERT INTO reports (report_id, reported_number, reporter, channel, short_code, source_id, kind, category,
                          number_type, carrier, content, weighted, received_at, text_key)
     VALUES ($1, $2, $3, 'sms', '156', $4, 'spam_call', 'advertising', 'mobile', 'viettel', $6,
             true, now() - make_interval(mins => $5), $7)`,
    [randomUUID(), reportedNumber, reporter, randomUUID(), minutesAgo, CONTENT, reportTextKey(CONTENT)],
  );
}

/** A member of a seeded campaign: its own number per campaign kind, role and position. */
const campaignMember = (kind: number, role: Role, position: number) =>
  `+849870${kind}${N[role]}${position}00`;

/** A campaign of two flagged numbers, as the grouping stores it (open unless said). */
async function seedCampaign(kind: number, role: Role, status = 'open'): Promise<number> {
  const members: { number: string; flagId: string }[] = [];
  for (const position of [0, 1]) {
    const number = campaignMember(kind, role, position);
    members.push({ number, flagId: String(await seedFlag(number)) });
  }
  return seedCampaignOf(f.db, members, status);
}

async function seed(): Promise<Seeded> {
  slaColumn =
    (
      await f.db.query(
        `SELECT 1 FROM information_schema.columns WHERE table_name = 'flags' AND column_name = 'sla_started_at'`,
      )
    ).length > 0;
  const perRole = async <T>(make: (role: Role) => Promise<T>) =>
    Object.fromEntries(
      await Promise.all(ALL_ROLES.map(async (role) => [role, await make(role)] as const)),
    ) as Record<Role, T>;

  const evidenceFlag = await seedFlag(EVIDENCE);
  await seedReport(EVIDENCE, OLDER_REPORTER, 30);
  await seedReport(EVIDENCE, NEWEST_REPORTER, 10);
  const counts = JSON.stringify({ spam_call: { reports: 2, distinctReporters: 2 } });
  await f.db.query(
    `INSERT INTO subscriber_counters (reported_number, number_type, carrier, first_seen_at, last_seen_at, total_reports,
       counted_at, reports_1h, distinct_reporters_1h, reports_24h, distinct_reporters_24h, reports_7d,
       distinct_reporters_7d, reports_30d, distinct_reporters_30d, by_kind_30d, by_category_30d)
     VALUES ($1, 'mobile', 'viettel', now() - interval '30 minutes', now() - interval '10 minutes', 2, now(),
             2, 2, 2, 2, 2, 2, 2, 2, $2::jsonb, $3::jsonb)`,
    [EVIDENCE, counts, JSON.stringify({ advertising: { reports: 2, distinctReporters: 2 } })],
  );

  await f.db.query(
    `INSERT INTO reporters (reporter, standing, suspicious_since, first_seen_at, last_seen_at, total_reports)
     SELECT r, 'suspicious', now(), now(), now(), 12 FROM unnest($1::text[]) AS r`,
    [[LISTED_REPORTER, ...ALL_ROLES.map((role) => `+8491200005${N[role]}`)]],
  );
  await f.db.query(
    `INSERT INTO rules (id, name, window_seconds, measure, threshold, severity, action, enabled)
     SELECT id, 'seeded ' || id, 86400, 'reports', 500, 'medium', 'warn', false FROM unnest($1::text[]) AS id`,
    [ALL_ROLES.flatMap((role) => [`update-${role}`, `delete-${role}`])],
  );
  await f.db.query(
    `INSERT INTO daily_summaries (day, time_zone, summary) VALUES ($1, 'Asia/Ho_Chi_Minh', $2::jsonb)`,
    [SUMMARY_DAY, JSON.stringify(storedSummary())],
  );
  const allowlistEntry = async (pattern: string) =>
    Number(
      (
        await f.db.query<{ id: string }>(
          `INSERT INTO allowlist (kind, pattern, reason, owner) VALUES ('number', $1, 'seeded', 'seed') RETURNING id`,
          [pattern],
        )
      )[0].id,
    );
  const protectedOriginator = async (number: string) =>
    Number(
      (
        await f.db.query<{ id: string }>(
          `INSERT INTO protected_originators (number, name, kind, reason, created_by, updated_by)
           VALUES ($1, 'seeded', 'authority', 'seeded', 'seed', 'seed') RETURNING id`,
          [number],
        )
      )[0].id,
    );

  const heldSubmission = async (key: string) =>
    Number(
      (
        await f.db.query<{ id: string }>(
          `INSERT INTO agent_submissions (submission_key, agent_id, report_id, status, submission)
           VALUES ($1, 'seeded-agent', gen_random_uuid(), 'held', $2::jsonb) RETURNING id`,
          [
            key,
            JSON.stringify({
              reporter: '0912 345 678',
              reportedNumber: '0987000601',
              kind: 'spam_call',
              agentId: 'seeded-agent',
              idempotencyKey: key,
            }),
          ],
        )
      )[0].id,
    );

  const probe = await api.post('/api/v1/tokens', tokens.admin, { name: 'audit-probe', role: 'analyst' });
  expectStatus(probe, 201, 'creating the audit probe token');
  const run = randomBytes(3).toString('hex');
  return {
    evidenceFlag,
    assignFlag: await perRole((role) => seedFlag(`+8498700041${N[role]}`)),
    actFlag: await perRole((role) => seedFlag(`+8498700042${N[role]}`)),
    decideFlag: await perRole((role) => seedFlag(`+8498700044${N[role]}`)),
    allowlistToUpdate: await perRole((role) => allowlistEntry(`+8490300006${N[role]}`)),
    allowlistToDelete: await perRole((role) => allowlistEntry(`+8490300007${N[role]}`)),
    protectedToDelete: await perRole((role) => protectedOriginator(`+8490300009${N[role]}`)),
    victimTokens: await perRole(
      async (role) => (await createToken(f.db.url, `victim-of-${role}`, 'analyst')).id,
    ),
    probeTokenId: probe.body.id,
    submittedKeys: await perRole(async (role) => `access-${role}-${run}`),
    heldToRelease: await perRole((role) => heldSubmission(`seeded-agent:release-${role}`)),
    heldToRefuse: await perRole((role) => heldSubmission(`seeded-agent:refuse-${role}`)),
    bulkFlags: await perRole(async (role) => [
      await seedFlag(`+8498700045${N[role]}`),
      await seedFlag(`+8498700046${N[role]}`),
    ]),
    campaignToRead: await seedCampaign(0, 'admin'),
    campaignToClaim: await perRole((role) => seedCampaign(1, role)),
    campaignToDecide: await perRole((role) => seedCampaign(2, role)),
    campaignToMergeInto: await perRole((role) => seedCampaign(3, role)),
    campaignToMerge: await perRole((role) => seedCampaign(4, role)),
    campaignToSplit: await perRole((role) => seedCampaign(5, role)),
    campaignToTrim: await perRole((role) => seedCampaign(6, role)),
    appealFlag: await perRole((role) => seedActionedFlag(`+8498700071${N[role]}`)),
    appealToDecide: await perRole(async (role) =>
      seedAppeal(await seedActionedFlag(`+8498700072${N[role]}`)),
    ),
    appealToRead: await seedAppeal(await seedActionedFlag('+84987000730')),
    campaignToReopen: await perRole((role) => seedCampaign(7, role, 'dismissed')),
  };
}

/** A flag a person acted on (warned), as appeals need. */
async function seedActionedFlag(number: string): Promise<number> {
  const id = await seedFlag(number);
  await f.db.query(
    `UPDATE flags SET status = 'actioned', taken_action = 'warn', counts_reports_after = now() WHERE id = $1`,
    [id],
  );
  return id;
}

/** A pending appeal on the flag, due in two days. */
async function seedAppeal(flagId: number): Promise<number> {
  const [{ id }] = await f.db.query<{ id: string }>(
    `INSERT INTO appeals (flag_id, reported_number, statement, channel, appealed_action, recorded_by, received_at, due_at)
     SELECT id, reported_number, 'seeded', 'phone_call', 'warn', 'seed', now(), now() + interval '2 days'
       FROM flags WHERE id = $1 RETURNING id`,
    [flagId],
  );
  return Number(id);
}

/** A daily summary as the scheduler stores it. */
function storedSummary() {
  const flagCounts = {
    opened: 2,
    reopened: 0,
    raised: 0,
    escalated: 0,
    overdue: 0,
    actioned: 1,
    dismissed: 0,
  };
  return {
    date: SUMMARY_DAY,
    timeZone: 'Asia/Ho_Chi_Minh',
    reports: {
      total: 7,
      byChannel: { sms: 5, hotline: 2 },
      byShortCode: { '156': 5, none: 2 },
      byKind: { spam_call: 7 },
      byCategory: { unknown: 7 },
      byCarrier: { viettel: 7 },
    },
    rejections: { total: 0, byReason: {}, byChannel: {} },
    flags: { ...flagCounts, actionedByAction: { warn: 1 }, expired: 0 },
    timeToActionSeconds: { count: 1, median: 600, p90: 600 },
  };
}

const runAdminCli = (args: string[]) => runCli('admin', args, { DATABASE_URL: f.db.appUrl });

function expectUnauthenticated(response: ApiResponse, what: string): void {
  try {
    expectProblem(response, 401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  } catch (error) {
    throw new Error(`${what}: ${(error as Error).message}`);
  }
}

describe('API access: roles, tokens and rate limits', () => {
  const harness = new Harness();

  beforeAll(async () => {
    f = await harness.fixture('apiaccess');
    api = await startApi(harness, f);
    tokens = await tokensForEveryRole(f.db.url);
    s = await seed();
  });
  afterAll(async () => {
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it('has an access case for every endpoint and knows every role, so a new one without tests fails here', () => {
    const operationIds = allEndpoints().map((e) => e.operationId);
    expect(operationIds.length).toBeGreaterThan(20);
    expect(Object.keys(ACCESS).sort()).toEqual([...operationIds].sort());
    expect([...ROLES].sort()).toEqual([...ALL_ROLES].sort());
    // The hand-written table and the code agree at least on which endpoints are public.
    for (const endpoint of allEndpoints())
      expect([endpoint.operationId, ACCESS[endpoint.operationId].allowed === PUBLIC]).toEqual([
        endpoint.operationId,
        endpoint.permission === null,
      ]);
  });

  for (const [operationId, access] of Object.entries(ACCESS)) {
    if (access.allowed === PUBLIC) {
      it(`${operationId} is public: it answers without a token`, async () => {
        const response = await send(api, await access.call('agent'), null);
        expectStatus(response, access.status, operationId);
        await access.check(response, 'agent');
      });
      continue;
    }
    const allowed = access.allowed;
    const refused = ALL_ROLES.filter((role) => !allowed.includes(role));
    it(`${operationId}: ${allowed.join(', ')} may; ${refused.join(', ') || 'nobody'} get 403`, async () => {
      for (const role of ALL_ROLES) {
        const call = await access.call(role);
        const auditBefore = await auditCount();
        const response = await send(api, call, tokens[role]);
        if (allowed.includes(role)) {
          expectStatus(response, access.status, `${operationId} as ${role}`);
          await access.check(response, role);
        } else {
          expectProblem(response, 403);
          expect(response.body.detail).toContain(role);
          // A refusal changes nothing: every change writes an audit entry in its transaction.
          expect(await auditCount()).toBe(auditBefore);
        }
      }
      await access.verify?.();
    });
  }

  it('answers every protected endpoint with 401 and WWW-Authenticate: Bearer without a live token', async () => {
    const revoked = await createToken(f.db.url, 'soon-revoked', 'admin');
    expectStatus(await api.get('/api/v1/tokens', revoked.secret), 200, 'the token before revocation');
    expectStatus(
      await api.post(`/api/v1/tokens/${revoked.id}/revoke`, tokens.admin),
      200,
      'revoking through the API',
    );
    const unknown = `amt_${randomBytes(32).toString('base64url')}`;
    const attempts: [string, Record<string, string>][] = [
      ['no token', {}],
      ['another scheme', { authorization: 'Basic YWRtaW46c2VjcmV0' }],
      ['Bearer without a token', { authorization: 'Bearer' }],
      ['a malformed token', { authorization: `Bearer ${tokens.admin} extra` }],
      ['an unknown token', { authorization: `Bearer ${unknown}` }],
      ['a revoked token', { authorization: `Bearer ${revoked.secret}` }],
    ];
    const auditBefore = await auditCount();
    const protectedEndpoints = allEndpoints().filter((e) => e.permission !== null);
    for (const endpoint of protectedEndpoints) {
      const path = endpoint.path.replace('{id}', '1').replace('{number}', '0912345678');
      const method = endpoint.method.toUpperCase();
      const body = method === 'POST' || method === 'PATCH' ? {} : undefined;
      for (const [what, headers] of attempts)
        expectUnauthenticated(
          await api.request(method, path, { body, headers }),
          `${endpoint.operationId} with ${what}`,
        );
    }
    expect(await auditCount()).toBe(auditBefore);
  });

  it('masks reporter numbers for analysts and shows them in clear to supervisors and admins', async () => {
    const clear = [NEWEST_REPORTER, OLDER_REPORTER];
    const expected: Partial<Record<Role, string[]>> = {
      analyst: ['091*****78', '090*****22'],
      supervisor: clear,
      admin: clear,
    };
    for (const role of REVIEWERS) {
      const flag = await api.get(`/api/v1/flags/${s.evidenceFlag}`, tokens[role]);
      const subscriber = await api.get(`/api/v1/subscribers/${encodeURIComponent(EVIDENCE)}`, tokens[role]);
      expectStatus(flag, 200, `flag as ${role}`);
      expectStatus(subscriber, 200, `subscriber as ${role}`);
      for (const response of [flag, subscriber]) {
        expect([role, response.body.recentReports.map((r: Json) => r.reporter)]).toEqual([
          role,
          expected[role],
        ]);
        if (role === 'analyst')
          for (const full of [...clear, '0912345678', '0903111222'])
            expect(response.text).not.toContain(full);
      }
    }
  });

  it('lets supervisors assign flags to others and take over reviews, which analysts may not', async () => {
    const flag = await seedFlag('+84987000431');
    const otherAnalyst = (await createToken(f.db.url, 'analyst-b', 'analyst')).secret;
    const assign = (token: string, body: Record<string, unknown>) =>
      api.post(`/api/v1/flags/${flag}/assign`, token, body);

    expectProblem(await assign(tokens.analyst, { assignee: 'analyst-b', version: 1 }), 403);
    const assigned = await assign(tokens.supervisor, { assignee: 'analyst', version: 1 });
    expectStatus(assigned, 200, 'a supervisor assigning');
    expect(assigned.body).toMatchObject({ status: 'in_review', assignee: 'analyst', version: 2 });
    expect(lastHistory(assigned.body)).toMatchObject({ change: 'assigned', actor: 'supervisor' });

    // The review is the assignee's: another analyst can neither take it over nor act on it.
    expectProblem(await assign(otherAnalyst, { version: 2 }), 403);
    expectProblem(
      await api.post(`/api/v1/flags/${flag}/actions`, otherAnalyst, {
        action: 'warn',
        note: 'x',
        version: 2,
      }),
      403,
    );
    expect(await versionOf('flags', flag)).toBe(2);

    const takenOver = await assign(tokens.admin, { version: 2 });
    expectStatus(takenOver, 200, 'an admin taking over');
    expect(takenOver.body).toMatchObject({ assignee: 'admin', version: 3 });
    expect(lastHistory(takenOver.body)).toMatchObject({ change: 'reassigned', actor: 'admin' });
  });

  it('issues a token once through the API, never shows its secret again, revokes it at once and audits both', async () => {
    const created = await api.post('/api/v1/tokens', tokens.admin, { name: 'lan.nguyen', role: 'analyst' });
    expectStatus(created, 201, 'creating a token');
    const { id, secret } = created.body;
    expect(secret).toMatch(/^amt_/);
    expect(created.body).toMatchObject({ name: 'lan.nguyen', role: 'analyst', createdBy: 'admin' });

    expectStatus(await api.get('/api/v1/flags', secret), 200, 'the new token');
    // An analyst token is an analyst: no tokens for it.
    expectProblem(await api.get('/api/v1/tokens', secret), 403);

    const listed = await api.get('/api/v1/tokens', tokens.admin);
    expectStatus(listed, 200, 'listing tokens');
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({ id, name: 'lan.nguyen', lastUsedAt: expect.any(String), revokedAt: null }),
    );
    for (const token of listed.body.items) expect(Object.keys(token).sort()).toEqual(TOKEN_VIEW_KEYS);
    expect(listed.text).not.toContain(secret);
    expect(listed.text).not.toContain(hashToken(secret));

    const revoked = await api.post(`/api/v1/tokens/${id}/revoke`, tokens.admin);
    expectStatus(revoked, 200, 'revoking');
    expect(revoked.body).toMatchObject({ id, revokedBy: 'admin', revokedAt: expect.any(String) });
    expectUnauthenticated(await api.get('/api/v1/flags', secret), 'the revoked token');
    expectProblem(await api.post(`/api/v1/tokens/${id}/revoke`, tokens.admin), 409);

    const audit = await api.get(`/api/v1/audit?targetType=token&targetId=${id}`, tokens.admin);
    expectStatus(audit, 200, 'reading the audit log');
    expect(audit.body.items).toEqual([
      expect.objectContaining({ action: 'token.revoke', actor: 'admin', actorRole: 'admin', targetId: id }),
      expect.objectContaining({ action: 'token.create', actor: 'admin', actorRole: 'admin', targetId: id }),
    ]);
    expect(audit.text).not.toContain(secret);
    expect(audit.text).not.toContain(hashToken(secret));
  });

  it('issues and revokes tokens from the admin CLI, printing only the secret, and refuses a bad role with exit 2', async () => {
    const created = await runAdminCli(['create-token', '--name', 'cli-analyst', '--role', 'analyst']);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^amt_[A-Za-z0-9_-]{43}\n$/);
    const secret = created.stdout.trim();
    const id = /token ([0-9a-f-]{36}) for cli-analyst \(analyst\)/.exec(created.stderr)?.[1];
    expect(id).toBeDefined();

    const flags = await api.get('/api/v1/flags', secret);
    expectStatus(flags, 200, 'the CLI token');
    expectProblem(await api.get('/api/v1/tokens', secret), 403);
    const listed = await api.get('/api/v1/tokens', tokens.admin);
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({
        id,
        name: 'cli-analyst',
        role: 'analyst',
        createdBy: expect.stringMatching(/^cli:/),
      }),
    );

    const revoked = await runAdminCli(['revoke-token', '--id', id as string]);
    expect(revoked).toMatchObject({ code: 0, stdout: `revoked ${id} (cli-analyst)\n` });
    expectUnauthenticated(await api.get('/api/v1/flags', secret), 'the token revoked by the CLI');
    const audit = await api.get(`/api/v1/audit?targetType=token&targetId=${id}`, tokens.admin);
    expect(audit.body.items.map((e: Json) => [e.action, e.actor])).toEqual([
      ['token.revoke', expect.stringMatching(/^cli:/)],
      ['token.create', expect.stringMatching(/^cli:/)],
    ]);

    const badRole = await runAdminCli(['create-token', '--name', 'cli-root', '--role', 'root']);
    expect(badRole.code).toBe(2);
    expect(badRole.stdout).toBe('');
    expect(badRole.stderr).toContain('--role must be one of agent, analyst, supervisor, admin');
    expect(await f.db.query(`SELECT id FROM api_tokens WHERE name = 'cli-root'`)).toEqual([]);
  });

  it('limits each token, across endpoints, to its requests per minute with a 429 problem, other tokens unaffected', async () => {
    const limited = await startApi(harness, f, { API_RATE_LIMIT_PER_MINUTE: '5' });
    try {
      // Five requests spread over three endpoints: the limit is the token's, not each endpoint's.
      const remaining: (string | null)[] = [];
      for (const path of [
        '/api/v1/rules',
        '/api/v1/allowlist',
        '/api/v1/flags',
        '/api/v1/rules',
        '/api/v1/flags',
      ]) {
        const response = await limited.get(path, tokens.analyst);
        expectStatus(response, 200, `${path} within the limit`);
        remaining.push(response.headers.get('x-ratelimit-remaining'));
      }
      expect(remaining).toEqual(['4', '3', '2', '1', '0']);
      const sixth = await limited.get('/api/v1/allowlist', tokens.analyst);
      expectProblem(sixth, 429);
      expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
      expectProblem(await limited.get(`/api/v1/flags/${s.evidenceFlag}`, tokens.analyst), 429);

      const other = await limited.get('/api/v1/allowlist', tokens.supervisor);
      expectStatus(other, 200, 'another token');
      expect(other.body.items.length).toBeGreaterThan(0);
    } finally {
      await limited.process.stop('SIGKILL');
    }
  });
});
