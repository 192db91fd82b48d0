import { h } from './dom.ts';
import { formatTime } from './format.ts';
import { t } from './i18n.ts';
import type { FlagSummary } from './types.ts';

/** An appealed flag in the queue says so, with the appeal's due date or that it is overdue. */
export function appealBadge(flag: Pick<FlagSummary, 'appeal'>): HTMLSpanElement | null {
  const appeal = flag.appeal;
  if (!appeal || appeal.status !== 'pending') return null;
  return appeal.overdue
    ? h('span', { class: 'badge overdue appeal' }, t('queue.appealOverdue'))
    : h('span', { class: 'badge appeal' }, t('queue.appealed', { due: formatTime(appeal.dueAt) }));
}
