import { ApiError } from './api-client.ts';
import { h, onSubmit, show } from './dom.ts';
import { formatTime, nationalNumber } from './format.ts';
import { t, tn } from './i18n.ts';
import { DEFAULT_CAMPAIGN_FILTER, insightHash } from './insight-routes.ts';
import type {
  CampaignDecisionAnswer,
  CampaignDetail,
  CampaignSplitAnswer,
  CampaignSummary,
} from './insight-types.ts';
import { DEFAULT_FILTER, routeHash } from './routes.ts';
import type { Screen } from './screen.ts';
import { notOursToShow } from './screen.ts';
import type { DecisionReasons, Me } from './types.ts';
import { label, TAKEN_ACTIONS } from './vocabulary.ts';

/**
 * One campaign (decision 0054), like a flag's page: its counters, members with the evidence that
 * ties each in, its timeline, and what the signed-in role may do with it: claim and decide
 * (flags:act); take a member out, merge another campaign in, split members off (flags:reassign).
 * The API checks each of these again.
 */

export interface CampaignActions {
  claim: boolean;
  decide: boolean;
  /** Take out, merge, split: the supervisor's grouping decisions, which the grouping then keeps. */
  regroup: boolean;
}

/** Where a notice goes: above the page, or beside the grouping form it is about. */
export type NoticePlace = 'page' | 'merge' | 'split';

export interface CampaignNotice {
  kind: 'done' | 'error';
  text: string;
  at?: NoticePlace;
  /** A campaign the notice names, linked (the new one after a split). */
  campaign?: number;
}

/** What the page offers `me` on `campaign`: only what the API would accept from that role in that state. */
export function campaignActions(
  me: Pick<Me, 'name' | 'permissions'>,
  campaign: CampaignSummary,
): CampaignActions {
  const acts = me.permissions.includes('flags:act');
  const overrides = me.permissions.includes('flags:reassign');
  const waiting = campaign.status === 'open' || campaign.status === 'in_review';
  const heldByOther =
    campaign.status === 'in_review' && campaign.assignee !== null && campaign.assignee !== me.name;
  return {
    claim: acts && campaign.status === 'open',
    decide: acts && waiting && (!heldByOther || overrides),
    regroup: overrides && campaign.status !== 'merged',
  };
}

/** Everything a decision on a campaign can be: an action on every member, or a dismissal. */
const CAMPAIGN_DECISIONS = [...TAKEN_ACTIONS, 'dismiss'] as const;

export async function renderCampaign(
  screen: Screen,
  id: string,
  notice: CampaignNotice | null = null,
): Promise<void> {
  const { view, session } = screen;
  document.title = t('title.campaign', { id });
  const status = h('p', { class: 'status', attrs: { role: 'status' } }, t('campaigns.loading'));
  const back = h(
    'a',
    {
      attrs: {
        href: insightHash({ page: 'campaigns', campaigns: DEFAULT_CAMPAIGN_FILTER, filter: DEFAULT_FILTER }),
      },
    },
    t('campaign.back'),
  );
  show(
    view,
    h('nav', { class: 'flag-nav', attrs: { 'aria-label': t('campaigns.heading') } }, back),
    h('h1', { attrs: { tabindex: -1 } }, t('campaign.name', { id })),
    status,
  );
  let campaign: CampaignDetail;
  let reasons: DecisionReasons | null = null;
  try {
    [campaign, reasons] = await Promise.all([
      session.api.get<CampaignDetail>(`/api/v1/campaigns/${id}`),
      session.me.permissions.includes('flags:act')
        ? session.api.get<DecisionReasons>('/api/v1/decision-reasons')
        : Promise.resolve(null),
    ]);
  } catch (error) {
    if (notOursToShow(screen, error)) return;
    const missing = error instanceof ApiError && error.status === 404;
    status.textContent = missing
      ? t('campaign.missing', { id })
      : t('campaign.failed', { detail: (error as Error).message });
    status.className = 'notice error';
    status.setAttribute('role', 'alert');
    screen.arrived();
    return;
  }
  if (!screen.current()) return;
  const actions = campaignActions(session.me, campaign);
  const noticeAt = (place: NoticePlace) =>
    notice && (notice.at ?? 'page') === place ? noticeNode(screen, notice) : null;
  const notices = h('div', { class: 'notices' }, noticeAt('page'));
  const again = (text: CampaignNotice) => {
    if (screen.current()) void renderCampaign(screen, id, text);
  };
  const post = async <T>(path: string, body: unknown, done: (answer: T) => string) => {
    try {
      const answer = await session.api.post<T>(path, body, campaign.version);
      again({ kind: 'done', text: done(answer) });
    } catch (error) {
      if (notOursToShow(screen, error)) return;
      again({
        kind: 'error',
        text:
          error instanceof ApiError && error.isVersionConflict
            ? t('campaign.changed')
            : t('campaign.refused', { detail: (error as Error).message }),
      });
    }
  };
  show(
    view,
    h('nav', { class: 'flag-nav', attrs: { 'aria-label': t('campaigns.heading') } }, back),
    h(
      'h1',
      { attrs: { tabindex: -1 } },
      t('campaign.name', { id: campaign.id }),
      ' ',
      h('span', { class: `badge severity-${campaign.severity}` }, label(campaign.severity)),
      ' ',
      h('span', { class: 'badge' }, label(campaign.status)),
    ),
    notices,
    h(
      'div',
      { class: 'flag-layout' },
      h('div', { class: 'evidence' }, facts(campaign), members(screen, campaign, actions, post)),
      h(
        'div',
        { class: 'side' },
        actionPanel(campaign, actions, reasons, post),
        actions.regroup && grouping(screen, campaign, again, noticeAt),
        timeline(campaign),
      ),
    ),
  );
  const shown = view.querySelector<HTMLElement>('.notice');
  if (shown) {
    shown.tabIndex = -1;
    shown.focus();
  } else screen.arrived();
}

type Post = <T>(path: string, body: unknown, done: (answer: T) => string) => Promise<void>;

function noticeNode(screen: Screen, notice: CampaignNotice): HTMLElement {
  return h(
    'p',
    { class: `notice ${notice.kind}`, attrs: { role: notice.kind === 'error' ? 'alert' : 'status' } },
    notice.text,
    notice.campaign !== undefined && ' ',
    notice.campaign !== undefined &&
      h(
        'a',
        {
          attrs: {
            href: insightHash({ page: 'campaign', id: String(notice.campaign), filter: screen.filter }),
          },
        },
        t('campaign.open', { id: notice.campaign }),
      ),
  );
}

/** The split form's id: the member rows' checkboxes belong to it from inside the table. */
const SPLIT_FORM = 'campaign-split';

/**
 * A supervisor's merge and split. A refusal is said beside the form, which keeps what was typed;
 * a stale version draws the page again as it is now, the sentence still beside the form.
 */
function grouping(
  screen: Screen,
  c: CampaignDetail,
  again: (notice: CampaignNotice) => void,
  noticeAt: (place: NoticePlace) => HTMLElement | null,
): HTMLElement {
  const send = async <T>(
    place: NoticePlace,
    said: HTMLElement,
    path: string,
    body: unknown,
    done: (answer: T) => CampaignNotice,
  ) => {
    try {
      const answer = await screen.session.api.post<T>(path, body, c.version);
      again(done(answer));
    } catch (error) {
      if (notOursToShow(screen, error)) return;
      if (error instanceof ApiError && error.isVersionConflict) {
        again({ kind: 'error', text: t('campaign.changedRegroup'), at: place });
        return;
      }
      const refused = noticeNode(screen, { kind: 'error', text: refusalOf(error) });
      refused.tabIndex = -1;
      said.replaceChildren(refused);
      refused.focus();
    }
  };
  const mergeSaid = h('div', { class: 'said' }, noticeAt('merge'));
  const merge = onSubmit(
    h(
      'form',
      { class: 'campaign-merge', attrs: { 'aria-labelledby': 'campaign-merge' } },
      h('h3', { attrs: { id: 'campaign-merge' } }, t('campaign.merge')),
      h('label', { class: 'block', attrs: { for: 'campaign-merge-id' } }, t('campaign.mergeId')),
      h('input', {
        attrs: {
          id: 'campaign-merge-id',
          name: 'campaign',
          required: true,
          inputmode: 'numeric',
          autocomplete: 'off',
          maxlength: 18,
          'aria-describedby': 'campaign-merge-hint',
        },
      }),
      h('p', { class: 'muted', attrs: { id: 'campaign-merge-hint' } }, t('campaign.mergeHint')),
      h('button', { attrs: { type: 'submit' } }, t('campaign.mergeButton')),
      mergeSaid,
    ),
    (data) => {
      const other = String(data.get('campaign') ?? '').trim();
      void send<CampaignSummary>(
        'merge',
        mergeSaid,
        `/api/v1/campaigns/${c.id}/merge`,
        { campaigns: [other] },
        (answer) => ({
          kind: 'done',
          text: tn('campaign.merged', answer.memberCount, { other, id: c.id }),
        }),
      );
    },
  );
  const splitSaid = h('div', { class: 'said' }, noticeAt('split'));
  const split =
    c.members.length > 1 &&
    onSubmit(
      h(
        'form',
        { class: 'campaign-split', attrs: { id: SPLIT_FORM, 'aria-labelledby': 'campaign-split-heading' } },
        h('h3', { attrs: { id: 'campaign-split-heading' } }, t('campaign.split')),
        h('p', { class: 'muted' }, t('campaign.splitHint')),
        h('button', { attrs: { type: 'submit' } }, t('campaign.splitButton')),
        splitSaid,
      ),
      (data) => {
        const numbers = data.getAll('number').map(String);
        if (numbers.length === 0) {
          const nothing = noticeNode(screen, { kind: 'error', text: t('campaign.splitNone') });
          nothing.tabIndex = -1;
          splitSaid.replaceChildren(nothing);
          nothing.focus();
          return;
        }
        void send<CampaignSplitAnswer>(
          'split',
          splitSaid,
          `/api/v1/campaigns/${c.id}/split`,
          { numbers },
          (answer) => ({
            kind: 'done',
            text: tn('campaign.splitDone', numbers.length, { id: answer.newCampaignId }),
            campaign: answer.newCampaignId,
          }),
        );
      },
    );
  return h(
    'section',
    { class: 'panel', attrs: { 'aria-labelledby': 'campaign-grouping' } },
    h('h2', { attrs: { id: 'campaign-grouping' } }, t('campaign.grouping')),
    merge,
    split,
  );
}

/** The API's refusal in words: an unknown campaign, a field it would not take, or its own sentence. */
function refusalOf(error: unknown): string {
  if (error instanceof ApiError && error.status === 404)
    return t('campaign.refused404', { detail: error.message });
  if (error instanceof ApiError && error.status === 400)
    return t('campaign.refused400', { detail: error.message });
  return t('campaign.refused', { detail: (error as Error).message });
}

function facts(c: CampaignDetail): HTMLElement {
  const item = (term: string, value: string | number) => [h('dt', null, term), h('dd', null, value)];
  return h(
    'section',
    { attrs: { 'aria-labelledby': 'campaign-facts' } },
    h('h2', { attrs: { id: 'campaign-facts' } }, t('campaign.facts')),
    h(
      'dl',
      { class: 'summary' },
      ...item(t('campaigns.col.status'), label(c.status)),
      ...item(t('campaigns.col.severity'), `${label(c.severity)}: ${c.severityReason}`),
      ...item(t('campaigns.col.members'), c.memberCount),
      ...item(t('campaigns.col.reporters'), c.distinctReporters),
      ...item(t('campaigns.col.carriers'), c.carriers.map(label).join(', ') || '—'),
      ...item(t('campaign.firstSeen'), formatTime(c.firstSeenAt)),
      ...item(t('campaigns.col.lastSeen'), formatTime(c.lastSeenAt)),
      ...item(t('campaigns.col.assignee'), c.assignee ?? '—'),
      ...item(t('campaign.takenAction'), c.takenAction ? label(c.takenAction) : '—'),
      ...(c.mergedInto !== null
        ? item(t('campaign.mergedInto'), t('campaign.name', { id: c.mergedInto }))
        : []),
      ...item(t('campaign.rulesVersion'), c.rulesVersion),
      ...item(t('fact.version'), c.version),
    ),
  );
}

function members(screen: Screen, c: CampaignDetail, actions: CampaignActions, post: Post): HTMLElement {
  const columns = [
    'campaign.col.number',
    'campaign.col.flag',
    'campaign.col.evidence',
    'campaign.col.joined',
  ] as const;
  return h(
    'section',
    { attrs: { 'aria-labelledby': 'campaign-members' } },
    h('h2', { attrs: { id: 'campaign-members' } }, tn('campaign.members', c.members.length)),
    h(
      'div',
      { class: 'scroll', attrs: { tabindex: 0, role: 'group', 'aria-label': t('campaign.membersTable') } },
      h(
        'table',
        { class: 'campaign-members', attrs: { 'aria-label': t('campaign.membersTable') } },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            ...columns.map((col) => h('th', { attrs: { scope: 'col' } }, t(col))),
            actions.regroup && h('th', { attrs: { scope: 'col' } }, t('campaign.col.actions')),
          ),
        ),
        h(
          'tbody',
          null,
          ...c.members.map((m) =>
            h(
              'tr',
              null,
              h(
                'td',
                null,
                h(
                  'a',
                  {
                    attrs: {
                      href: routeHash({ page: 'number', number: m.reportedNumber, filter: screen.filter }),
                    },
                  },
                  nationalNumber(m.reportedNumber),
                ),
              ),
              h(
                'td',
                null,
                h(
                  'a',
                  {
                    attrs: { href: routeHash({ page: 'flag', id: String(m.flagId), filter: screen.filter }) },
                  },
                  t('campaign.flagLink', { id: m.flagId }),
                ),
                ' ',
                label(m.flagStatus),
                ', ',
                label(m.flagSeverity),
              ),
              h(
                'td',
                null,
                m.links.length > 0
                  ? h('ul', { class: 'plain' }, ...m.links.map((link) => h('li', null, link.explanation)))
                  : '—',
                m.nextSim && h('p', { class: 'warning' }, m.nextSim),
                m.mergedBySupervisor && h('p', { class: 'muted' }, t('campaign.mergedBySupervisor')),
              ),
              h('td', null, formatTime(m.joinedAt), h('br'), m.joinedBy),
              actions.regroup &&
                h(
                  'td',
                  null,
                  c.members.length > 1 &&
                    h('input', {
                      attrs: {
                        type: 'checkbox',
                        name: 'number',
                        value: m.reportedNumber,
                        form: SPLIT_FORM,
                        'aria-label': t('campaign.chooseLabel', { number: nationalNumber(m.reportedNumber) }),
                      },
                    }),
                  ' ',
                  h(
                    'button',
                    {
                      attrs: {
                        type: 'button',
                        'aria-label': t('campaign.removeLabel', { number: nationalNumber(m.reportedNumber) }),
                      },
                      on: {
                        click: () =>
                          void post<CampaignSummary>(
                            `/api/v1/campaigns/${c.id}/remove-member`,
                            { number: m.reportedNumber },
                            () => t('campaign.removed', { number: nationalNumber(m.reportedNumber) }),
                          ),
                      },
                    },
                    t('campaign.remove'),
                  ),
                ),
            ),
          ),
        ),
      ),
    ),
  );
}

function actionPanel(
  c: CampaignDetail,
  actions: CampaignActions,
  reasons: DecisionReasons | null,
  post: Post,
): HTMLElement | null {
  if (!actions.claim && !actions.decide) return null;
  const reasonFor = (decision: string) =>
    reasons?.items.find((item) => item.decisions.some((d) => d === decision))?.reasons ?? [];
  const reasonSelect = h(
    'select',
    { attrs: { name: 'reasonCode', required: true, id: 'campaign-reason' } },
    h('option', { attrs: { value: '' } }, t('campaign.chooseDecisionFirst')),
  );
  const decisionSelect = h(
    'select',
    {
      attrs: { name: 'decision', required: true, id: 'campaign-decision' },
      on: {
        change: () => {
          const offered = reasonFor(decisionSelect.value);
          show(
            reasonSelect,
            h(
              'option',
              { attrs: { value: '' } },
              offered.length ? t('campaign.chooseReason') : t('campaign.chooseDecisionFirst'),
            ),
            ...offered.map((r) => h('option', { attrs: { value: r } }, label(r))),
          );
        },
      },
    },
    h('option', { attrs: { value: '' } }, t('campaign.chooseDecision')),
    ...CAMPAIGN_DECISIONS.map((d) => h('option', { attrs: { value: d } }, label(d))),
  );
  const decide =
    actions.decide &&
    onSubmit(
      h(
        'form',
        { class: 'decision campaign-decision', attrs: { 'aria-labelledby': 'campaign-decide' } },
        h('h3', { attrs: { id: 'campaign-decide' } }, t('campaign.decide')),
        h('p', { class: 'muted' }, tn('campaign.decideExplain', c.memberCount)),
        h('label', { class: 'block', attrs: { for: 'campaign-decision' } }, t('campaign.decision')),
        decisionSelect,
        h('label', { class: 'block', attrs: { for: 'campaign-reason' } }, t('campaign.reason')),
        reasonSelect,
        h('label', { class: 'block', attrs: { for: 'campaign-note' } }, t('campaign.note')),
        h('textarea', { attrs: { name: 'note', id: 'campaign-note', maxlength: 2000, rows: 3 } }),
        h('button', { attrs: { type: 'submit' } }, t('campaign.record')),
      ),
      (data) => {
        const note = String(data.get('note') ?? '').trim();
        void post<CampaignDecisionAnswer>(
          `/api/v1/campaigns/${c.id}/decisions`,
          {
            decision: String(data.get('decision')),
            reasonCode: String(data.get('reasonCode')),
            ...(note ? { note } : {}),
          },
          (answer) =>
            t('campaign.decided', { changed: answer.changed.length, unchanged: answer.unchanged.length }),
        );
      },
    );
  return h(
    'section',
    { class: 'panel', attrs: { 'aria-labelledby': 'campaign-actions' } },
    h('h2', { attrs: { id: 'campaign-actions' } }, t('campaign.actions')),
    actions.claim &&
      h(
        'button',
        {
          attrs: { type: 'button' },
          on: {
            click: () =>
              void post<CampaignSummary>(`/api/v1/campaigns/${c.id}/claim`, {}, () =>
                t('campaign.claimed', { id: c.id }),
              ),
          },
        },
        t('campaign.claim'),
      ),
    decide,
  );
}

function timeline(c: CampaignDetail): HTMLElement {
  return h(
    'section',
    { class: 'history', attrs: { 'aria-labelledby': 'campaign-timeline' } },
    h('h2', { attrs: { id: 'campaign-timeline' } }, t('campaign.timeline')),
    h(
      'ol',
      null,
      ...c.timeline.map((entry) =>
        h(
          'li',
          null,
          h('strong', null, label(entry.change)),
          ` ${t('campaign.by', { actor: entry.actor })} · ${formatTime(entry.occurredAt)}`,
          entry.note && h('p', null, entry.note),
        ),
      ),
    ),
  );
}
