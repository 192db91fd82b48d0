import { Injectable } from '@nestjs/common';
import {
  isAllowlisted,
  runWhatIf,
  summariseChanges,
  validateRule,
  type ReplayDifference,
  type Rule,
  type WhatIfRun,
} from '@abuse-monitor/domain';
import { ReplayRepository } from '@abuse-monitor/persistence';
import { ApiProblem, invalidRequest } from '../http/problem';

/** How far back a preview may replay: the reports kept in full (the retention period's default). */
export const PREVIEW_MAX_DAYS = 90;
/** Numbers shown per kind of change; the counts are exact. */
export const PREVIEW_EXAMPLES = 10;

export type RuleChange =
  | ({ op: 'update'; id: string } & Partial<Omit<Rule, 'id' | 'version'>>)
  | ({ op: 'create'; id: string } & Omit<Rule, 'id' | 'version' | 'enabled'> & { enabled?: boolean })
  | { op: 'delete'; id: string };

export interface RulePreview extends Omit<WhatIfRun, 'differences'> {
  from: string;
  to: string;
  changes: ReturnType<typeof summariseChanges>['counts'];
  examples: Record<keyof ReturnType<typeof summariseChanges>['examples'], ReplayDifference[]>;
  tookMs: number;
}

/**
 * The current rules with the proposed changes applied, each changed rule checked by the domain as
 * the rules API would check it on saving; a change to a rule that does not exist is refused.
 */
export function candidateRules(current: readonly Rule[], changes: readonly RuleChange[]): Rule[] {
  const byId = new Map(current.map((rule) => [rule.id, rule]));
  const problems: { in: 'body'; field: string; message: string }[] = [];
  changes.forEach((change, index) => {
    const field = (name: string) => `changes.${index}.${name}`;
    const existing = byId.get(change.id);
    if (change.op !== 'create' && existing === undefined) {
      problems.push({ in: 'body', field: field('id'), message: `no rule ${change.id}` });
      return;
    }
    if (change.op === 'create' && existing !== undefined) {
      problems.push({ in: 'body', field: field('id'), message: `rule ${change.id} exists: update it` });
      return;
    }
    if (change.op === 'delete') {
      byId.delete(change.id);
      return;
    }
    const { op: _op, ...fields } = change;
    const rule: Rule =
      change.op === 'create'
        ? ({ kind: null, category: null, numberType: null, enabled: true, ...fields, version: 1 } as Rule)
        : { ...(existing as Rule), ...fields, version: (existing as Rule).version + 1 };
    const checked = validateRule(rule);
    if (!checked.ok)
      for (const e of checked.fieldErrors)
        problems.push({ in: 'body', field: field(e.field), message: e.message });
    byId.set(change.id, rule);
  });
  if (problems.length > 0) throw invalidRequest(problems);
  return [...byId.values()];
}

/**
 * What a rule change would have done over a period of stored reports (decision 0060): the same
 * replay as the what-if CLI, in the API, one at a time per process so that previews cannot
 * crowd out the analysts' reads.
 */
@Injectable()
export class RulePreviewService {
  private running = false;

  constructor(private readonly replay: ReplayRepository) {}

  async preview(period: { from: Date; to: Date }, changes: readonly RuleChange[]): Promise<RulePreview> {
    if (period.to.getTime() <= period.from.getTime())
      throw invalidRequest([{ in: 'body', field: 'to', message: 'must come after from' }]);
    if (period.to.getTime() - period.from.getTime() > PREVIEW_MAX_DAYS * 86_400_000)
      throw invalidRequest([
        { in: 'body', field: 'from', message: `a preview covers ${PREVIEW_MAX_DAYS} days at most` },
      ]);
    const [current, allowlist, protectedNumbers] = [
      await this.replay.rules(),
      await this.replay.allowlist(),
      await this.replay.protectedNumbers(),
    ];
    const candidate = candidateRules(current, changes);
    if (this.running)
      throw new ApiProblem(
        'rate-limited',
        'another rule preview is running on this server: try again in a few seconds',
      );
    this.running = true;
    const started = Date.now();
    try {
      const { differences, ...run } = await runWhatIf(
        {
          numbersIn: (leastWeighted) => this.replay.numbersIn(period, leastWeighted),
          timelines: (numbers) => this.replay.timelines(numbers, period),
        },
        { current, candidate },
        (number) => isAllowlisted(number, allowlist),
        { isProtectedOriginator: (number) => protectedNumbers.has(number) },
      );
      const { counts, examples } = summariseChanges(differences, PREVIEW_EXAMPLES);
      return {
        from: period.from.toISOString(),
        to: period.to.toISOString(),
        ...run,
        changes: counts,
        examples,
        tookMs: Date.now() - started,
      };
    } finally {
      this.running = false;
    }
  }
}
