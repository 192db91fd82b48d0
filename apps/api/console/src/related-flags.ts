import { h } from './dom.ts';
import { nationalNumber } from './format.ts';
import { t, tn } from './i18n.ts';
import type { RelatedFlags } from './types.ts';
import { label } from './vocabulary.ts';

/**
 * Other flags of the same reporters, number block or text, each a link to the flag and a line
 * saying why it is related: an analyst judging one number of a campaign sees the others.
 */
export function relatedList(
  answer: RelatedFlags | null,
  problem: string | null,
  linkTo: (flagId: number) => string,
): HTMLElement {
  if (answer === null)
    return h('p', { class: 'notice error' }, t('related.failed', { detail: problem ?? '' }));
  if (answer.items.length === 0) return h('p', { class: 'muted' }, t('related.none'));
  return h(
    'ul',
    null,
    ...answer.items.map((item) => {
      const why = item.why.map((reason) => {
        if (reason === 'shared_reporters' && item.sharedReporters > 0)
          return `${label(reason)} (${tn('related.sharedReporters', item.sharedReporters)})`;
        if (reason === 'same_text' && item.sharedTexts > 0)
          return `${label(reason)} (${tn('related.sharedTexts', item.sharedTexts)})`;
        return label(reason);
      });
      return h(
        'li',
        null,
        h(
          'a',
          { attrs: { href: linkTo(item.flag.id) } },
          t('related.link', {
            id: item.flag.id,
            number: nationalNumber(item.flag.reportedNumber),
            status: label(item.flag.status),
            severity: label(item.flag.severity),
          }),
        ),
        h('span', { class: 'why' }, `: ${why.join('; ')}`),
      );
    }),
  );
}
