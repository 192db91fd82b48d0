import type { ApiError } from './api-client.ts';
import { h, onSubmit, show } from './dom.ts';
import { formatTime } from './format.ts';
import { t, tn } from './i18n.ts';
import {
  CAMPAIGN_SORTS,
  CAMPAIGN_STATUSES,
  CARRIER_CODES,
  campaignsRequest,
  DEFAULT_CAMPAIGN_FILTER,
  insightHash,
} from './insight-routes.ts';
import type { CampaignFilter } from './insight-routes.ts';
import type { CampaignPage, CampaignSummary } from './insight-types.ts';
import { DEFAULT_FILTER } from './routes.ts';
import type { Screen } from './screen.ts';
import { notOursToShow } from './screen.ts';
import type { Me } from './types.ts';
import { label, SEVERITIES } from './vocabulary.ts';

/** Campaigns (decision 0054), listed like the queue: filtered and sorted in the address, a page at a time. */

const PAGE_SIZE = 50;

/** GET /api/v1/campaigns needs flags:read, as the queue does. */
export function mayReadCampaigns(me: Pick<Me, 'permissions'>): boolean {
  return me.permissions.includes('flags:read');
}

export const campaignHash = (id: number | string) =>
  insightHash({ page: 'campaign', id: String(id), filter: DEFAULT_FILTER });

function checkboxes(name: string, values: readonly string[], chosen: readonly string[]): HTMLElement[] {
  return values.map((value) =>
    h(
      'label',
      { class: 'check' },
      h('input', { attrs: { type: 'checkbox', name, value, checked: chosen.includes(value) } }),
      ' ',
      label(value),
    ),
  );
}

function filterForm(filter: CampaignFilter): HTMLFormElement {
  const form = h(
    'form',
    { class: 'queue-tools campaign-filter', attrs: { 'aria-label': t('campaigns.filter') } },
    h(
      'fieldset',
      null,
      h('legend', null, t('campaigns.status')),
      ...checkboxes('status', CAMPAIGN_STATUSES, filter.statuses),
    ),
    h(
      'fieldset',
      null,
      h('legend', null, t('campaigns.severity')),
      ...checkboxes('severity', SEVERITIES, filter.severities),
    ),
    h(
      'label',
      null,
      t('campaigns.carrier'),
      ' ',
      h(
        'select',
        { attrs: { name: 'carrier' } },
        h('option', { attrs: { value: '' } }, t('campaigns.anyCarrier')),
        ...CARRIER_CODES.map((c) =>
          h('option', { attrs: { value: c, selected: filter.carrier === c } }, label(c)),
        ),
      ),
    ),
    h(
      'label',
      null,
      t('campaigns.sort'),
      ' ',
      h(
        'select',
        { attrs: { name: 'sort' } },
        ...CAMPAIGN_SORTS.map((s) =>
          h('option', { attrs: { value: s, selected: filter.sort === s } }, t(`campaigns.sort.${s}`)),
        ),
      ),
    ),
    h('button', { attrs: { type: 'submit' } }, t('campaigns.apply')),
  );
  return onSubmit(form, (data) => {
    const carrier = String(data.get('carrier') ?? '');
    const sort = String(data.get('sort') ?? '');
    const next: CampaignFilter = {
      statuses: CAMPAIGN_STATUSES.filter((s) => data.getAll('status').includes(s)),
      severities: SEVERITIES.filter((s) => data.getAll('severity').includes(s)),
      carrier: CARRIER_CODES.find((c) => c === carrier) ?? null,
      sort: CAMPAIGN_SORTS.find((s) => s === sort) ?? DEFAULT_CAMPAIGN_FILTER.sort,
    };
    location.hash = insightHash({ page: 'campaigns', campaigns: next, filter: DEFAULT_FILTER });
  });
}

function row(campaign: CampaignSummary): HTMLTableRowElement {
  return h(
    'tr',
    { attrs: { 'data-campaign': campaign.id } },
    h(
      'td',
      null,
      h('a', { attrs: { href: campaignHash(campaign.id) } }, t('campaign.name', { id: campaign.id })),
    ),
    h('td', null, label(campaign.status)),
    h('td', null, h('span', { class: `badge severity-${campaign.severity}` }, label(campaign.severity))),
    h('td', { class: 'number' }, campaign.memberCount),
    h('td', { class: 'number' }, campaign.distinctReporters),
    h('td', null, campaign.carriers.map(label).join(', ')),
    h('td', null, formatTime(campaign.lastSeenAt)),
    h('td', null, campaign.assignee ?? '—'),
  );
}

export async function renderCampaigns(screen: Screen, filter: CampaignFilter): Promise<void> {
  const { view, session } = screen;
  document.title = t('title.campaigns');
  const status = h('p', { class: 'status', attrs: { role: 'status' } }, t('campaigns.loading'));
  const body = h('tbody');
  const more = h('button', { attrs: { type: 'button', hidden: true } }, t('campaigns.more'));
  const columns = [
    'campaigns.col.id',
    'campaigns.col.status',
    'campaigns.col.severity',
    'campaigns.col.members',
    'campaigns.col.reporters',
    'campaigns.col.carriers',
    'campaigns.col.lastSeen',
    'campaigns.col.assignee',
  ] as const;
  const table = h(
    'table',
    { class: 'campaigns', attrs: { 'aria-label': t('campaigns.heading') } },
    h('thead', null, h('tr', null, ...columns.map((c) => h('th', { attrs: { scope: 'col' } }, t(c))))),
    body,
  );
  show(
    view,
    h('h1', { attrs: { tabindex: -1 } }, t('campaigns.heading')),
    filterForm(filter),
    status,
    h(
      'div',
      { class: 'scroll', attrs: { tabindex: 0, role: 'group', 'aria-label': t('campaigns.heading') } },
      table,
    ),
    more,
  );
  screen.arrived();
  let shown = 0;
  const load = async (cursor: string | null) => {
    more.hidden = true;
    let page: CampaignPage;
    try {
      page = await session.api.get<CampaignPage>(campaignsRequest(filter, cursor, PAGE_SIZE));
    } catch (error) {
      if (notOursToShow(screen, error)) return;
      status.textContent = t('campaigns.failed', { detail: (error as ApiError).message });
      status.className = 'notice error';
      status.setAttribute('role', 'alert');
      return;
    }
    if (!screen.current()) return;
    body.append(...page.items.map(row));
    shown += page.items.length;
    status.textContent = shown === 0 ? t('campaigns.none') : tn('campaigns.shown', shown);
    if (page.nextCursor) {
      const next = page.nextCursor;
      more.hidden = false;
      more.onclick = () => void load(next);
    }
  };
  await load(null);
}
