import { createTestDatabase, migrate, TestDatabase } from './support/test-database';

const MIGRATION_AT = 1765350000000;
const RLO = '\u202e';
const PDF = '\u202c';

/**
 * Texts stored before intake and the API stripped invisible format characters lose them when the
 * database is migrated: the same texts as a report or a note stored today.
 */
describe('the migration that strips format characters from stored texts', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('stripcf', { migrate: false });
    await migrate(db.url, { before: MIGRATION_AT });
  });
  afterAll(() => db.drop());

  it('cleans report texts, notes, allowlist entries and rule names, and leaves reporters and the audit log', async () => {
    const reportIds = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];
    await db.query(
      `INSERT INTO reports (report_id, reported_number, reporter, channel, short_code, source_id, kind, category,
                            category_keyword, number_type, carrier, content, weighted, received_at)
       VALUES ($1, '+84987000901', $3, 'sms', $4, 'gw-1', 'spam_call', 'impersonation', $5, 'mobile', 'viettel',
               $6, true, '2026-11-20T08:00:00Z'),
              ($2, '+84987000901', '+84912000902', 'sms', '156', 'gw-2', 'spam_call', 'unknown', NULL, 'mobile',
               'viettel', NULL, true, '2026-11-20T08:01:00Z')`,
      [
        ...reportIds,
        `+8491200\u200b0901`,
        `${RLO}651`,
        `cong\u2060 an`,
        `tai file ${RLO}gnp.exe${PDF} roi goi 0912\u200b345678 \u{E0041}😡 lừa đảo`,
      ],
    );
    const [flag] = await db.query<{ id: string }>(
      `INSERT INTO flags (reported_number, status, severity, rule_id, rule_version, recommended_action, opened_at,
                          last_change_at, sequence, sla_started_at)
       VALUES ('+84987000901', 'actioned', 'low', 'distinct-3-24h', 1, 'watch', now(), now(), 1, now())
       RETURNING id`,
    );
    await db.query(
      `INSERT INTO flag_history (flag_id, reported_number, sequence, change, to_status, severity, rule_id,
                                 rule_version, recommended_action, possibly_coordinated, actor, note, occurred_at)
       VALUES ($1, '+84987000901', 1, 'actioned', 'actioned', 'low', 'distinct-3-24h', 1, 'watch', false,
               'analyst', $2, now())`,
      [flag.id, `goi lai ${RLO}8765 4321 090`],
    );
    await db.query(
      `INSERT INTO allowlist (kind, pattern, reason, owner) VALUES ('number', '+8418001090', $1, $2)`,
      [`bank\u200b hotline`, `\u2067fraud-team\u2069`],
    );
    await db.query(
      `INSERT INTO agent_submissions (submission_key, agent_id, report_id, status, submission, note)
       VALUES ('key:agent-17:a', 'agent-17', $1, 'refused', '{}', $2)`,
      [reportIds[0], `trung\u00ad lap`],
    );
    await db.query(
      `INSERT INTO rules (id, name, window_seconds, measure, threshold, severity, action, updated_by)
       VALUES ('night-calls', $1, 3600, 'reports', 40, 'medium', 'warn', 'supervisor')`,
      [`Night ${RLO}calls`],
    );
    await db.query(
      `INSERT INTO audit_log (actor, action, target_type, target_id, after)
       VALUES ('analyst', 'flag.action', 'flag', $1, $2)`,
      [flag.id, { note: `goi lai ${RLO}8765 4321 090` }],
    );

    await migrate(db.url);

    expect(
      await db.query(
        'SELECT reporter, short_code, category_keyword, content FROM reports ORDER BY report_id',
      ),
    ).toEqual([
      {
        reporter: `+8491200\u200b0901`,
        short_code: '651',
        category_keyword: 'cong an',
        content: 'tai file gnp.exe roi goi 0912345678 😡 lừa đảo',
      },
      { reporter: '+84912000902', short_code: '156', category_keyword: null, content: null },
    ]);
    expect(await db.query('SELECT note FROM flag_history')).toEqual([{ note: 'goi lai 8765 4321 090' }]);
    expect(await db.query('SELECT reason, owner FROM allowlist')).toEqual([
      { reason: 'bank hotline', owner: 'fraud-team' },
    ]);
    expect(await db.query('SELECT note FROM agent_submissions')).toEqual([{ note: 'trung lap' }]);
    expect(await db.query(`SELECT name, version, updated_by FROM rules WHERE id = 'night-calls'`)).toEqual([
      { name: 'Night calls', version: 2, updated_by: 'migration' },
    ]);
    expect(await db.query(`SELECT after FROM audit_log`)).toEqual([
      { after: { note: `goi lai ${RLO}8765 4321 090` } },
    ]);
  });
});
