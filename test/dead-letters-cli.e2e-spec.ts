import { acceptedReport, asMessage, reporterNumber } from './support/accepted-report';
import { eventually } from './support/app-process';
import { runCli } from './support/cli';
import { Harness, IngestFixture } from './support/ingest-fixture';
import { produce, readTopic } from './support/kafka';

/**
 * The SRE's way back from a dead letter: a report the database refused is set aside, the cause is
 * fixed, and `npm run -s deadletters -- redrive` sends it back, once or twice, and it counts once.
 */

const SPAMMER = '+84987000501';

const deadletters = (f: IngestFixture, args: string[]) =>
  runCli('deadletters', args, {
    KAFKA_BROKERS: f.env.KAFKA_BROKERS,
    KAFKA_TOPIC_PREFIX: f.env.KAFKA_TOPIC_PREFIX,
  });

async function topicEnd(f: IngestFixture, topic: string): Promise<number> {
  const admin = f.kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

const storedReports = (f: IngestFixture) =>
  f.db.query<{ report_id: string }>('SELECT report_id FROM reports ORDER BY received_at');

describe('dead letters: list and redrive', () => {
  const harness = new Harness();
  afterAll(async () => {
    await harness.stopApps();
    await harness.dropDatabases();
  });

  it('lists what was set aside, sends back only what it is told to, and a report sent back twice counts once', async () => {
    const f = await harness.fixture('redrive');
    await f.db.query(
      "ALTER TABLE reports ADD CONSTRAINT e2e_refused CHECK (content IS DISTINCT FROM 'refuse me')",
    );
    const reports = [1, 2, 3].map((i) =>
      acceptedReport(SPAMMER, reporterNumber(i), i, i === 2 ? { content: 'refuse me' } : {}),
    );
    await produce(f.kafka, f.topics.accepted, reports.map(asMessage));
    harness.start('aggregator', f.env);
    await eventually(
      () => storedReports(f),
      (rows) => rows.length === 2,
    );
    const [setAside] = await readTopic(f.kafka, f.topics.deadLetter, 1);
    const record = JSON.parse(setAside.value ?? '{}');
    // Beside it on the topic: something that is no dead-letter record, and a record whose
    // original was too long to keep whole.
    await produce(f.kafka, f.topics.deadLetter, [
      { key: 'x', value: 'not a record {' },
      {
        key: 'y',
        value: JSON.stringify({
          ...record,
          source: { ...record.source, offset: '999' },
          valueTruncated: true,
          valueBytes: 400_000,
        }),
      },
    ]);

    const listed = await deadletters(f, ['list', '--reason', 'unstorable']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${f.topics.deadLetter}: 3 read, 2 selected, 1 unreadable`);
    expect(listed.stdout).toContain(`unstorable from ${f.topics.accepted}: 2`);
    expect(listed.stdout).toMatch(/unreadable at \d+\/\d+: not JSON/);
    expect(listed.stdout).toContain(
      'PostgreSQL refused it (SQLSTATE 23514), table reports, constraint e2e_refused',
    );
    const asJson = await deadletters(f, ['list', '--json', '--topic', 'reports.accepted']);
    const lines = asJson.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(
      lines.map((l) => (l.unreadable ? ['unreadable'] : [l.reason, l.source.offset, l.valueTruncated])),
    ).toEqual([['unstorable', record.source.offset, false], ['unstorable', '999', true], ['unreadable']]);

    // A dry run sends nothing.
    const acceptedEnd = await topicEnd(f, f.topics.accepted);
    const dry = await deadletters(f, ['redrive', '--reason', 'unstorable']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('would send 1 back to their source topics; add --apply to send them:');
    expect(dry.stdout).toContain(
      `  ${f.topics.accepted}[${record.source.partition}]@${record.source.offset} (at ${setAside.partition}/${setAside.offset}): PostgreSQL refused it`,
    );
    expect(dry.stdout).toContain(`${f.topics.accepted}[${record.source.partition}]@999`);
    expect(dry.stdout).toContain('only the first 256 KiB were kept');
    expect(await topicEnd(f, f.topics.accepted)).toBe(acceptedEnd);

    // The cause is fixed; the refused report goes back, and goes back again by mistake.
    await f.db.query('ALTER TABLE reports DROP CONSTRAINT e2e_refused');
    for (const attempt of [1, 2]) {
      const sent = await deadletters(f, ['redrive', '--reason', 'unstorable', '--apply']);
      expect([attempt, sent.code, sent.stderr]).toEqual([attempt, 0, '']);
      expect(sent.stdout).toContain('sent 1 back to their source topics');
    }
    expect(await topicEnd(f, f.topics.accepted)).toBe(acceptedEnd + 2);
    const stored = await eventually(
      () => storedReports(f),
      (rows) => rows.length === 3,
    );
    expect(stored.map((r) => r.report_id)).toEqual(reports.map((r) => r.reportId));
    // Both copies read: the aggregator's committed offsets reached the end of the topic.
    await eventually(
      async () => {
        const admin = f.kafka.admin();
        await admin.connect();
        try {
          const [committed] = await admin.fetchOffsets({
            groupId: f.aggregatorGroupId,
            topics: [f.topics.accepted],
          });
          return committed.partitions.reduce((sum, p) => sum + Math.max(Number(p.offset), 0), 0);
        } finally {
          await admin.disconnect();
        }
      },
      (committed) => committed === acceptedEnd + 2,
    );
    expect(
      await f.db.query(
        'SELECT distinct_reporters_24h, total_reports FROM subscriber_counters WHERE reported_number = $1',
        [SPAMMER],
      ),
    ).toEqual([{ distinct_reporters_24h: 3, total_reports: '3' }]);
    // Three distinct reporters: the flag the refused report had held back opens now.
    expect(
      await f.db.query('SELECT status, sequence FROM flags WHERE reported_number = $1', [SPAMMER]),
    ).toEqual([{ status: 'open', sequence: 1 }]);
  });

  it('refuses to send back without being told which reasons, and unknown reasons', async () => {
    const f = await harness.fixture('redriveusage');
    const noReason = await deadletters(f, ['redrive', '--apply']);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('redrive needs --reason');
    const unknown = await deadletters(f, ['list', '--reason', 'unstorable,bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown reason bogus');
    for (const since of ['yesterday', '2026-02-31', '2026-11-29T10:00:00']) {
      const badTime = await deadletters(f, ['list', '--since', since]);
      expect([since, badTime.code]).toEqual([since, 2]);
    }
    const notOurs = await deadletters(f, ['list', '--topic', 'payments']);
    expect([notOurs.code, notOurs.stderr.split('\n')[0]]).toEqual([
      2,
      'deadletters: --topic payments: not a topic the service reads',
    ]);
    // Nothing dead-lettered yet in this deployment: an empty answer, not an error.
    const empty = await deadletters(f, ['list']);
    expect([empty.code, empty.stdout.trim()]).toEqual([
      0,
      `${f.topics.deadLetter}: 0 read, 0 selected, 0 unreadable`,
    ]);
  });
});
