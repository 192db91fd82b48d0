import fc from 'fast-check';
import * as domain from '@abuse-monitor/domain';
import { refusal } from './admin-page.ts';
import {
  adminHash,
  ADMIN_PAGES,
  auditRequest,
  EMPTY_AUDIT_FILTER,
  endOfDay,
  pageRequest,
  pagesFor,
  parseAdminRoute,
  REPORTER_STANDINGS,
  startOfDay,
} from './admin-routes.ts';
import type { AdminRoute, AuditFilter } from './admin-routes.ts';
import * as admin from './admin-types.ts';
import { ApiError } from './api-client.ts';
import { useLanguage } from './i18n.ts';
import { parseRoute } from './routes.ts';

const cursor = fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/), { nil: null });
const day = fc
  .date({ min: new Date('2020-01-01T12:00:00Z'), max: new Date('2030-12-31T12:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const filters: fc.Arbitrary<AuditFilter> = fc.record({
  actor: fc.constantFrom('', 'sup', 'cli:ops', 'analyst a'),
  action: fc.constantFrom('', 'rule.update', 'flag.warn', 'allowlist.create'),
  targetType: fc.constantFrom('', ...admin.AUDIT_TARGET_TYPES),
  targetId: fc.constantFrom('', '42', 'distinct-3-24h', '+84912345678'),
  since: fc.oneof(fc.constant(''), day),
  until: fc.oneof(fc.constant(''), day),
});
const routes: fc.Arbitrary<AdminRoute> = fc.oneof(
  fc.constant({ page: 'rules' as const }),
  fc.constant({ page: 'tokens' as const }),
  fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/).map((id) => ({ page: 'rule' as const, id })),
  cursor.map((c) => ({ page: 'allowlist' as const, cursor: c })),
  cursor.map((c) => ({ page: 'protected' as const, cursor: c })),
  fc.record({
    page: fc.constant('reporters' as const),
    standing: fc.constantFrom(...REPORTER_STANDINGS),
    cursor,
  }),
  fc.record({ page: fc.constant('audit' as const), filter: filters, cursor }),
);

describe("the team pages' addresses", () => {
  it('gives back every page, filter and list page it writes', () => {
    fc.assert(
      fc.property(routes, (route) => {
        expect(parseAdminRoute(adminHash(route))).toEqual(route);
      }),
    );
  });

  it('writes short addresses for first pages, and leaves the queue, flags and numbers to the shell', () => {
    expect(adminHash({ page: 'reporters', standing: 'suspicious', cursor: null })).toBe('#/reporters');
    expect(adminHash({ page: 'audit', filter: EMPTY_AUDIT_FILTER, cursor: null })).toBe('#/audit');
    expect(
      adminHash({
        page: 'audit',
        filter: { ...EMPTY_AUDIT_FILTER, action: 'rule.update', since: '2026-12-01' },
        cursor: 'abc',
      }),
    ).toBe('#/audit?action=rule.update&since=2026-12-01&cursor=abc');
    for (const hash of ['', '#/queue?status=open', '#/flags/42', '#/numbers/0912345678', '#/team'])
      expect(parseAdminRoute(hash)).toBeNull();
    // The shell's own router still reads a team page's query as no queue filter at all.
    expect(parseRoute('#/audit?action=rule.update').page).toBe('queue');
  });

  it('drops what the API would refuse instead of sending it: a hand-edited link still opens', () => {
    expect(parseAdminRoute('#/rules/Not%20An%20Id')).toEqual({ page: 'rules' });
    expect(parseAdminRoute('#/allowlist?cursor=<script>')).toEqual({ page: 'allowlist', cursor: null });
    expect(parseAdminRoute('#/reporters?standing=banned')).toEqual({
      page: 'reporters',
      standing: 'suspicious',
      cursor: null,
    });
    expect(parseAdminRoute('#/audit?action=DROP TABLE&since=yesterday&type=rule&actor=sup')).toEqual({
      page: 'audit',
      filter: { ...EMPTY_AUDIT_FILTER, actor: 'sup', targetType: 'rule' },
      cursor: null,
    });
  });

  it('asks the API for the days of the filter, whole days in the reader’s zone', () => {
    const url = new URL(
      auditRequest(
        {
          ...EMPTY_AUDIT_FILTER,
          actor: 'sup',
          action: 'rule.update',
          targetType: 'rule',
          since: '2026-12-01',
          until: '2026-12-03',
        },
        'c1',
        50,
      ),
      'http://x',
    );
    expect(url.pathname).toBe('/api/v1/audit');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      actor: 'sup',
      action: 'rule.update',
      targetType: 'rule',
      since: new Date(2026, 11, 1).toISOString(),
      until: new Date(2026, 11, 4).toISOString(),
      limit: '50',
      cursor: 'c1',
    });
    expect(auditRequest(EMPTY_AUDIT_FILTER, null, 50)).toBe('/api/v1/audit?limit=50');
    expect(startOfDay('2026-02-30')).toBeNull();
    expect(endOfDay('')).toBeNull();
    expect(endOfDay('2026-12-31')).toBe(new Date(2027, 0, 1).toISOString());
    expect(pageRequest('/api/v1/reporters', 'c2', 50, { standing: 'cleared' })).toBe(
      '/api/v1/reporters?standing=cleared&limit=50&cursor=c2',
    );
  });

  it('offers each role exactly the pages its permissions open', () => {
    const pages = (role: domain.Role) => pagesFor(domain.ROLE_PERMISSIONS[role]);
    expect(pages('agent')).toEqual([]);
    expect(pages('analyst')).toEqual(['rules', 'allowlist', 'protected']);
    expect(pages('supervisor')).toEqual(['rules', 'allowlist', 'protected', 'reporters']);
    expect(pages('admin')).toEqual([...ADMIN_PAGES]);
  });

  it('mirrors the lists of the domain and the API', () => {
    expect(admin.RULE_WINDOWS).toEqual(domain.WINDOWS);
    expect(admin.RULE_MEASURES).toEqual(domain.MEASURES);
    expect(admin.RULE_KINDS).toEqual(domain.REPORT_KINDS);
    expect(admin.RULE_CATEGORIES).toEqual(domain.CATEGORIES);
    expect(admin.RULE_NUMBER_TYPES).toEqual(domain.NUMBER_TYPES);
    expect(admin.RULE_ACTIONS).toEqual(domain.RECOMMENDED_ACTIONS);
    expect(admin.RULE_SEVERITIES).toEqual(domain.SEVERITIES);
    expect(admin.CHANGE_KINDS).toEqual(domain.CHANGE_KINDS);
    expect(admin.ALLOWLIST_KINDS).toEqual(domain.ALLOWLIST_ENTRY_KINDS);
    expect(admin.PROTECTED_KINDS).toEqual(domain.PROTECTED_ORIGINATOR_KINDS);
    expect(admin.TOKEN_ROLES).toEqual(domain.ROLES);
    expect([...REPORTER_STANDINGS].sort()).toEqual([...domain.REPORTER_STANDINGS].sort());
    // Required, not imported: the repository's decorators would pull the server's compiler options in.
    const { AUDIT_TARGET_TYPES } = jest.requireActual<{ AUDIT_TARGET_TYPES: readonly string[] }>(
      '../../../../libs/persistence/src/access/audit-log.repository',
    );
    expect(admin.AUDIT_TARGET_TYPES).toEqual(AUDIT_TARGET_TYPES);
  });

  it('says in words what went wrong when the API refuses', () => {
    useLanguage('en');
    const forbidden = new ApiError(403, { title: 'Forbidden', detail: 'needs rules:write' });
    expect(refusal('adm.rule.saving', forbidden)).toBe(
      'Could not save the rule: your role may not do this. Forbidden: needs rules:write',
    );
    const stale = new ApiError(409, {
      type: 'urn:abuse-monitor:problem:version-conflict',
      title: 'Conflict',
    });
    expect(refusal('adm.allowlist.removing', stale)).toBe(
      'Could not remove the entry: someone changed it since this page was loaded. Reload the page and try again.',
    );
    useLanguage('vi');
    expect(refusal('adm.tokens.revoking', new ApiError(500, null))).toBe(
      'Không thể thu hồi mã. Máy chủ trả lời 500 mà không giải thích.',
    );
    useLanguage('en');
  });
});
