/**
 * Who vouches for a report. An SMS reporter vouches for their own message; a hotline report is
 * only as independent as the agent who typed it in, whatever reporter number the agent entered.
 * So thirty hotline reports from thirty "reporters" entered by one agent are one source: a single
 * insider must not be able to get a subscriber blocked on their own word.
 */
import { SEVERITIES, severityRank, type Rule, type Severity } from './rules';
import type { WindowReport } from './window-counts';

/** The highest severity reports of a single source can reach without a second source. */
export const SINGLE_SOURCE_CEILING: Severity = 'low';

/** Why a firing rule gave the flag less than the rule's severity. */
export interface SeverityCap {
  readonly severity: Severity;
  readonly reason: 'single_agent';
  /** The one agent who entered every report behind the rule. */
  readonly agentId: string;
  readonly explanation: string;
}

/** 'agent:alice' for a report an agent entered, 'reporter:+8491…' for one its reporter sent. */
export function sourceOf(report: Pick<WindowReport, 'agentId' | 'reporter'>): string {
  return report.agentId === null ? `reporter:${report.reporter}` : `agent:${report.agentId}`;
}

/** The agent who entered all of these reports; null when any came from elsewhere or there are none. */
export function soleAgentOf(reports: readonly Pick<WindowReport, 'agentId'>[]): string | null {
  const agent = reports[0]?.agentId ?? null;
  if (agent === null) return null;
  return reports.every((report) => report.agentId === agent) ? agent : null;
}

/** The agents who entered any of these reports, in the order first seen. */
function agentsOf(reports: readonly Pick<WindowReport, 'agentId'>[]): string[] {
  const agents = new Set<string>();
  for (const report of reports) if (report.agentId !== null) agents.add(report.agentId);
  return [...agents];
}

/** The rule's measure over these reports when everything one agent entered counts as one source. */
export function measureWithAgentAsOne(
  rule: Pick<Rule, 'measure'>,
  reports: readonly WindowReport[],
  agentId: string,
): number {
  if (rule.measure === 'reports') {
    const others = reports.filter((report) => report.agentId !== agentId).length;
    return others + (others < reports.length ? 1 : 0);
  }
  return new Set(reports.map((report) => (report.agentId === agentId ? sourceOf(report) : report.reporter)))
    .size;
}

/**
 * The cap on what a rule may do when it fires only by trusting one agent: that agent entered every
 * report behind it, or its measure, with all that agent's reports counted as one source, would
 * fall short of the threshold. Null when the
 * rule may do all it says (no agent it leans on, or a rule no stronger than the ceiling).
 *
 * Counting each agent as one source in turn, rather than asking for "some other source", is what
 * keeps one insider from flagging alone: an SMS from the agent's own phone, or a colleague's one
 * report, is a second source but not the many reporters a strong rule asks for.
 */
export function severityCapFor(rule: Rule, reportsBehindRule: readonly WindowReport[]): SeverityCap | null {
  if (severityRank(rule.severity) <= severityRank(SINGLE_SOURCE_CEILING)) return null;
  for (const agentId of agentsOf(reportsBehindRule)) {
    // A rule that one source meets (a threshold of 1) is still no reason to trust one agent alone.
    const sole = soleAgentOf(reportsBehindRule) === agentId;
    if (!sole && measureWithAgentAsOne(rule, reportsBehindRule, agentId) >= rule.threshold) continue;
    return {
      severity: SINGLE_SOURCE_CEILING,
      reason: 'single_agent',
      agentId,
      explanation: sole ? singleAgentExplanation(agentId) : leaningOnAgentExplanation(agentId),
    };
  }
  return null;
}

export function singleAgentExplanation(agentId: string): string {
  return `capped at ${SINGLE_SOURCE_CEILING}: all reports entered by one agent (${agentId})`;
}

export function leaningOnAgentExplanation(agentId: string): string {
  return (
    `capped at ${SINGLE_SOURCE_CEILING}: the rule is met only while the reports one agent entered ` +
    `(${agentId}) count as more than one source`
  );
}

/** Who stands behind a flag's reports: distinct SMS reporters, and each agent with their reports. */
export interface FlagSources {
  readonly smsReporters: number;
  readonly agents: readonly { readonly agentId: string; readonly reports: number }[];
}

/**
 * Why the flag cannot rise above the ceiling whatever rule fires next; null when a second source
 * stands behind its reports (or there are none).
 */
export function singleSourceExplanation(sources: FlagSources): string | null {
  if (sources.smsReporters > 0 || sources.agents.length !== 1) return null;
  return singleAgentExplanation(sources.agents[0].agentId);
}

/** The severity a flag's evidence caps it at, read from stored evidence; undefined when none. */
export function severityCeilingOf(evidence: unknown): Severity | undefined {
  const cap = (evidence as { cap?: { severity?: unknown } } | null | undefined)?.cap;
  const severity = cap?.severity;
  return typeof severity === 'string' && (SEVERITIES as readonly string[]).includes(severity)
    ? (severity as Severity)
    : undefined;
}

/** The rule as it may act under the cap: the ceiling's severity, and only watching. */
export function cappedRule(rule: Rule, cap: SeverityCap | null): Rule {
  return cap === null ? rule : { ...rule, severity: cap.severity, action: 'watch' };
}
