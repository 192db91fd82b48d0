import { DataSource } from 'typeorm';
import { compareReports, evaluateNumber, type Rule, type WindowReport } from '@abuse-monitor/domain';
import { createRandom } from './random';

/** What the naive peer did in its time. */
export interface NaiveRun {
  reports: number;
  numbers: number;
  loadSeconds: number;
  replaySeconds: number;
  reportsReplayed: number;
  numbersReplayed: number;
  finished: boolean;
  /** The whole replay at the rate measured, when it was stopped. */
  projectedSeconds: number;
}

/**
 * The what-if engine before decision 0060, for comparison: load every report of the period in one
 * query, group by number, and replay each number through both rule sets with evaluateNumber from
 * no flag (which recounts every window at every report). Stops replaying after `budgetMs`; the
 * numbers go in a shuffled order so that the rate measured until then holds for the rest.
 */
export async function runNaiveWhatIf(
  dataSource: DataSource,
  period: { from: Date; to: Date },
  rules: { current: readonly Rule[]; candidate: readonly Rule[] },
  budgetMs: number,
): Promise<NaiveRun> {
  const loadStarted = Date.now();
  const rows: {
    report_id: string;
    reported_number: string;
    reporter: string;
    agent_id: string | null;
    kind: WindowReport['kind'];
    category: WindowReport['category'];
    number_type: WindowReport['numberType'];
    received_at: Date;
    weighted: boolean;
  }[] = await dataSource.query(
    `SELECT report_id, reported_number, reporter, agent_id, kind, category, number_type, received_at, weighted
       FROM reports WHERE received_at >= $1 AND received_at < $2`,
    [period.from.toISOString(), period.to.toISOString()],
  );
  const byNumber = new Map<string, WindowReport[]>();
  for (const r of rows) {
    let timeline = byNumber.get(r.reported_number);
    if (timeline === undefined) byNumber.set(r.reported_number, (timeline = []));
    timeline.push({
      reportId: r.report_id,
      reporter: r.reporter,
      agentId: r.agent_id,
      kind: r.kind,
      category: r.category,
      numberType: r.number_type,
      receivedAt: r.received_at.getTime(),
      weighted: r.weighted,
    });
  }
  const loadSeconds = (Date.now() - loadStarted) / 1000;
  const numbers = [...byNumber.keys()];
  const random = createRandom(60);
  for (let i = numbers.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [numbers[i], numbers[j]] = [numbers[j], numbers[i]];
  }
  const replayStarted = Date.now();
  let reportsReplayed = 0;
  let numbersReplayed = 0;
  for (const reportedNumber of numbers) {
    if (Date.now() - replayStarted > budgetMs) break;
    const timeline = (byNumber.get(reportedNumber) ?? []).sort(compareReports);
    for (const ruleSet of [rules.current, rules.candidate])
      evaluateNumber({
        reportedNumber,
        allowlisted: false,
        rules: ruleSet,
        history: [],
        newReports: timeline,
        flag: null,
      });
    reportsReplayed += timeline.length;
    numbersReplayed += 1;
  }
  const replaySeconds = (Date.now() - replayStarted) / 1000;
  const finished = numbersReplayed === numbers.length;
  return {
    reports: rows.length,
    numbers: numbers.length,
    loadSeconds,
    replaySeconds,
    reportsReplayed,
    numbersReplayed,
    finished,
    projectedSeconds:
      loadSeconds + (finished ? replaySeconds : (replaySeconds * rows.length) / reportsReplayed),
  };
}
