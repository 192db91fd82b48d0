import { appealPath } from './appeal-routes.ts';
import { h } from './dom.ts';
import { formatTime } from './format.ts';
import { t } from './i18n.ts';
import { label } from './vocabulary.ts';
import type { Screen } from './screen.ts';
import type { FlagSummary } from './types.ts';

/** An appealed flag in the queue says so, with the appeal's due date or that it is overdue. */
export function appealBadge(flag: Pick<FlagSummary, 'appeal'>): HTMLSpanElement | null {
  const appeal = flag.appeal;
  if (!appeal || appeal.status !== 'pending') return null;
  return appeal.overdue
    ? h('span', { class: 'badge overdue appeal' }, t('queue.appealOverdue'))
    : h('span', { class: 'badge appeal' }, t('queue.appealed', { due: formatTime(appeal.dueAt) }));
}

/**
 * On a flag's page: its latest appeal, linked, or (for an actioned flag nobody has appealed yet,
 * and a role that records appeals) the way to record one; null when there is nothing to say.
 */
export function appealFact(
  flag: Pick<FlagSummary, 'appeal' | 'status' | 'reportedNumber'>,
  screen: Pick<Screen, 'session' | 'filter'>,
): HTMLElement | null {
  const { appeal } = flag;
  const permissions = screen.session.me.permissions;
  if (appeal && permissions.includes('appeals:read'))
    return h(
      'a',
      { attrs: { href: appealPath({ page: 'appeal', id: String(appeal.id), filter: screen.filter }) } },
      t('flag.appealLink', { id: appeal.id, status: label(appeal.status) }),
      appeal.overdue ? ` (${t('queue.appealOverdue')})` : '',
    );
  if (flag.status === 'actioned' && appeal?.status !== 'pending' && permissions.includes('appeals:record'))
    return h(
      'a',
      {
        attrs: {
          href: appealPath({ page: 'record-appeal', number: flag.reportedNumber, filter: screen.filter }),
        },
      },
      t('header.recordAppeal'),
    );
  return null;
}
