import { h } from './dom.ts';
import { t } from './i18n.ts';

/**
 * The badge of a probable-spoofing flag (decision 0057), the same in the queue and on the flag's
 * page, so nobody takes a bank's spoofed number for a scammer's; nothing for an abuse flag.
 */
export function flagKindBadge(flag: { readonly kind?: string }): HTMLSpanElement | null {
  if (flag.kind !== 'spoofing') return null;
  return h('span', { class: 'badge spoofing', attrs: { title: t('kind.spoofingHint') } }, t('kind.spoofing'));
}
