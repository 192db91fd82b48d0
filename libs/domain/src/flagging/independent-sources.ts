/**
 * Who vouches for a report. An SMS reporter vouches for their own message; a hotline report is
 * only as independent as the agent who typed it in, whatever reporter number the agent entered.
 * So thirty hotline reports from thirty "reporters" entered by one agent are one source: a single
 * insider must not be able to get a subscriber blocked on their own word.
 */
import type { Rule, Severity } from './rules';
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

/**
 * The cap on what a rule may do when the reports that make it fire all come from one agent; null
 * when the rule may do all it says (a second source, or a rule no stronger than the ceiling).
 */
export function severityCapFor(rule: Rule, reportsBehindRule: readonly WindowReport[]): SeverityCap | null {
  if (rule.severity === SINGLE_SOURCE_CEILING) return null;
  const agentId = soleAgentOf(reportsBehindRule);
  if (agentId === null) return null;
  return {
    severity: SINGLE_SOURCE_CEILING,
    reason: 'single_agent',
    agentId,
    explanation: singleAgentExplanation(agentId),
  };
}

export function singleAgentExplanation(agentId: string): string {
  return `capped at ${SINGLE_SOURCE_CEILING}: all reports entered by one agent (${agentId})`;
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

/** The rule as it may act under the cap: the ceiling's severity, and only watching. */
export function cappedRule(rule: Rule, cap: SeverityCap | null): Rule {
  return cap === null ? rule : { ...rule, severity: cap.severity, action: 'watch' };
}
