import {
  add,
  dayFromToday,
  field,
  guardedSubmit,
  input,
  load,
  notice,
  refusal,
  row,
  select,
  startPage,
  table,
  named,
} from './admin-page.ts';
import { adminHash, endOfDay, startOfDay } from './admin-routes.ts';
import {
  CHANGE_KINDS,
  RULE_ACTIONS,
  RULE_CATEGORIES,
  RULE_KINDS,
  RULE_MEASURES,
  RULE_NUMBER_TYPES,
  RULE_SEVERITIES,
  RULE_WINDOWS,
} from './admin-types.ts';
import type { ChangeKind, ReplayedFlag, RuleDetail, RulePreview, RuleView } from './admin-types.ts';
import { h } from './dom.ts';
import { setFlash } from './flash.ts';
import { formatTime, nationalNumber, ruleSentence, windowText } from './format.ts';
import { t } from './i18n.ts';
import type { MessageKey } from './i18n.ts';
import { changedFields, changesKey, ruleFromForm } from './rule-edit.ts';
import type { Screen } from './screen.ts';
import { label } from './vocabulary.ts';

/** The flagging rules, each with its versions; a supervisor edits one after previewing what it would change. */

export function mayEditRules(permissions: readonly string[]): boolean {
  return permissions.includes('rules:write');
}

export async function renderRules(screen: Screen): Promise<void> {
  const body = startPage(
    screen,
    'adm.title.rules',
    'adm.rules.heading',
    screen.session.me.permissions.includes('rules:read'),
  );
  if (!body) return;
  const rules = await load(screen, body, 'adm.rules.reading', () =>
    screen.session.api.get<{ items: RuleView[] }>('/api/v1/rules'),
  );
  if (!rules) return;
  add(
    body,
    h(
      'p',
      { class: 'muted' },
      t(mayEditRules(screen.session.me.permissions) ? 'adm.rules.explainEdit' : 'adm.rules.explainRead'),
    ),
    table(
      t('adm.rules.table'),
      [
        'adm.col.rule',
        'adm.col.counts',
        'adm.col.severity',
        'adm.col.action',
        'adm.col.enabled',
        'adm.col.version',
        'adm.col.changed',
      ].map((key) => t(key as MessageKey)),
      rules.items.map((rule) =>
        row(
          h(
            'th',
            { attrs: { scope: 'row' } },
            h('a', { attrs: { href: adminHash({ page: 'rule', id: rule.id }) } }, rule.name),
            h('span', { class: 'muted rule-id' }, ` ${rule.id}`),
          ),
          ruleSentence(rule),
          label(rule.severity),
          label(rule.action),
          rule.enabled ? t('adm.yes') : t('adm.no'),
          rule.version,
          t('adm.changedBy', { time: formatTime(rule.updatedAt), actor: rule.updatedBy }),
        ),
      ),
    ),
  );
}

export async function renderRule(screen: Screen, id: string): Promise<void> {
  const body = startPage(
    screen,
    'adm.title.rules',
    'adm.rules.heading',
    screen.session.me.permissions.includes('rules:read'),
  );
  if (!body) return;
  const rule = await load(screen, body, 'adm.rules.reading', () =>
    screen.session.api.get<RuleDetail>(`/api/v1/rules/${encodeURIComponent(id)}`),
  );
  if (!rule) return;
  const heading = screen.view.querySelector('h1');
  if (heading) heading.textContent = t('adm.rule.heading', { name: rule.name });
  document.title = t('adm.title.rule', { name: rule.name });
  add(
    body,
    h('p', null, h('a', { attrs: { href: adminHash({ page: 'rules' }) } }, t('adm.rule.back'))),
    h(
      'dl',
      { class: 'summary' },
      h('dt', null, t('adm.col.rule')),
      h('dd', null, rule.id),
      h('dt', null, t('adm.col.counts')),
      h('dd', null, ruleSentence(rule)),
      h('dt', null, t('adm.col.outcome')),
      h('dd', null, t('adm.rule.outcome', { severity: label(rule.severity), action: label(rule.action) })),
      h('dt', null, t('adm.col.enabled')),
      h('dd', null, rule.enabled ? t('adm.yes') : t('adm.no')),
      h('dt', null, t('adm.col.version')),
      h(
        'dd',
        null,
        t('adm.rule.version', {
          version: rule.version,
          time: formatTime(rule.updatedAt),
          actor: rule.updatedBy,
        }),
      ),
    ),
    mayEditRules(screen.session.me.permissions) ? editForm(screen, rule) : null,
    h('h2', null, t('adm.rule.history')),
    table(
      t('adm.rule.history'),
      [
        'adm.col.version',
        'adm.col.changed',
        'adm.col.name',
        'adm.col.counts',
        'adm.col.outcome',
        'adm.col.enabled',
      ].map((key) => t(key as MessageKey)),
      [...rule.versions]
        .sort((a, b) => b.version - a.version)
        .map((v) =>
          row(
            v.version,
            t('adm.changedBy', { time: formatTime(v.createdAt), actor: v.createdBy }),
            v.name,
            ruleSentence(v),
            t('adm.rule.outcome', { severity: label(v.severity), action: label(v.action) }),
            v.enabled ? t('adm.yes') : t('adm.no'),
          ),
        ),
    ),
  );
}

const anyOf = (values: readonly string[]) =>
  [['', t('adm.any')] as const, ...values.map((v) => [v, label(v)] as const)] as const;

function editForm(screen: Screen, rule: RuleDetail): HTMLElement {
  const enabled = input({ type: 'checkbox', name: 'enabled', checked: rule.enabled });
  const form = h(
    'form',
    { class: 'rule-edit', attrs: { 'aria-labelledby': 'rule-edit-heading', novalidate: false } },
    h('h2', { attrs: { id: 'rule-edit-heading' } }, t('adm.rule.edit')),
    h('p', { class: 'muted' }, t('adm.rule.editExplain')),
    h(
      'div',
      { class: 'form-grid' },
      field(t('adm.col.name'), input({ name: 'name', required: true, maxlength: 200, value: rule.name })),
      field(
        t('adm.rule.threshold'),
        input({
          name: 'threshold',
          type: 'number',
          required: true,
          min: 1,
          max: 1_000_000,
          step: 1,
          value: rule.threshold,
        }),
      ),
      field(
        t('adm.rule.measure'),
        select(
          'measure',
          RULE_MEASURES.map((m) => [m, named('adm.measure', m)] as const),
          rule.measure,
          true,
        ),
      ),
      field(
        t('adm.rule.window'),
        select(
          'windowSeconds',
          RULE_WINDOWS.map((w) => [String(w), windowText(w)] as const),
          String(rule.windowSeconds),
          true,
        ),
      ),
      field(t('adm.rule.kind'), select('kind', anyOf(RULE_KINDS), rule.kind ?? '')),
      field(t('adm.rule.category'), select('category', anyOf(RULE_CATEGORIES), rule.category ?? '')),
      field(t('adm.rule.numberType'), select('numberType', anyOf(RULE_NUMBER_TYPES), rule.numberType ?? '')),
      field(
        t('adm.col.severity'),
        select(
          'severity',
          RULE_SEVERITIES.map((s) => [s, label(s)] as const),
          rule.severity,
          true,
        ),
      ),
      field(
        t('adm.col.action'),
        select(
          'action',
          RULE_ACTIONS.map((a) => [a, label(a)] as const),
          rule.action,
          true,
        ),
      ),
    ),
    h('div', { class: 'field' }, h('label', null, enabled, ' ', t('adm.rule.enabled'))),
    h(
      'fieldset',
      null,
      h('legend', null, t('adm.rule.period')),
      h(
        'div',
        { class: 'form-grid' },
        field(
          t('adm.rule.from'),
          input({ name: 'from', type: 'date', required: true, value: dayFromToday(-30) }),
        ),
        field(t('adm.rule.to'), input({ name: 'to', type: 'date', required: true, value: dayFromToday(0) })),
      ),
    ),
    h(
      'div',
      { class: 'buttons' },
      h('button', { attrs: { type: 'submit', name: 'preview' } }, t('adm.rule.preview')),
    ),
  );
  const result = h('section', {
    class: 'preview',
    attrs: { 'aria-labelledby': 'preview-heading', hidden: true },
  });
  const save = h('button', { attrs: { type: 'button', disabled: true } }, t('adm.rule.save'));
  const saveSaid = h('p', { attrs: { 'aria-live': 'polite' } });
  let previewed: string | null = null;

  const current = () => ruleFromForm(new FormData(form));
  // Saving is offered only for the change the supervisor has just seen previewed.
  form.addEventListener('input', () => {
    if (previewed === null) return;
    const still = changesKey(changedFields(rule, current())) === previewed;
    save.disabled = !still;
    saveSaid.replaceChildren(still ? '' : notice('error', t('adm.rule.changedSincePreview')));
  });

  const said = guardedSubmit(
    form,
    'adm.rule.previewing',
    async (data) => {
      const changes = changedFields(rule, ruleFromForm(data));
      previewed = null;
      save.disabled = true;
      saveSaid.replaceChildren();
      if (Object.keys(changes).length === 0) {
        result.hidden = true;
        return t('adm.rule.nothingChanged');
      }
      const from = startOfDay(String(data.get('from') ?? ''));
      const to = endOfDay(String(data.get('to') ?? ''));
      if (!from || !to) throw new Error(t('adm.rule.periodNeeded'));
      const working = notice('done', t('adm.rule.previewRunning'));
      result.hidden = false;
      result.replaceChildren(working);
      let preview: RulePreview;
      try {
        preview = await screen.session.api.post<RulePreview>('/api/v1/rules/what-if', {
          from,
          to,
          changes: [{ op: 'update', id: rule.id, ...changes }],
        });
      } catch (error) {
        result.hidden = true;
        throw error;
      }
      if (!screen.current()) return null;
      drawPreview(result, preview);
      previewed = changesKey(changes);
      save.disabled = false;
      return null;
    },
    screen,
  );

  save.addEventListener('click', () => {
    const changes = changedFields(rule, current());
    if (save.disabled || changesKey(changes) !== previewed) return;
    save.disabled = true;
    screen.session.api
      .patch<RuleView>(`/api/v1/rules/${encodeURIComponent(rule.id)}`, changes, rule.version)
      .then(
        (saved) => {
          if (!screen.current()) return;
          setFlash({ kind: 'done', text: t('adm.rule.saved', { id: saved.id, version: saved.version }) });
          void renderRule(screen, rule.id);
        },
        (error: unknown) => {
          if (!screen.current()) return;
          save.disabled = false;
          const refused = notice('error', refusal('adm.rule.saving', error));
          saveSaid.replaceChildren(refused);
          refused.focus();
        },
      );
  });

  return h(
    'section',
    { class: 'commands' },
    form,
    said,
    result,
    h('div', { class: 'buttons' }, save),
    saveSaid,
  );
}

function flagText(flag: ReplayedFlag | null): string {
  if (flag === null) return t('adm.preview.noFlag');
  return t('adm.preview.flag', {
    severity: label(flag.severity),
    action: label(flag.recommendedAction),
    rule: flag.ruleId,
    version: flag.ruleVersion,
  });
}

const CHANGE_HEADINGS: Readonly<Record<ChangeKind, MessageKey>> = {
  opened: 'adm.preview.opened',
  closed: 'adm.preview.closed',
  raised: 'adm.preview.raised',
  lowered: 'adm.preview.lowered',
  actionChanged: 'adm.preview.actionChanged',
};

function drawPreview(result: HTMLElement, preview: RulePreview): void {
  const { changes } = preview;
  const summary = h(
    'p',
    {
      class: 'preview-summary',
      attrs: {
        role: 'status',
        tabindex: -1,
        ...Object.fromEntries(CHANGE_KINDS.map((k) => [`data-${k}`, changes[k]])),
      },
    },
    t('adm.preview.summary', {
      opened: changes.opened,
      closed: changes.closed,
      raised: changes.raised,
      lowered: changes.lowered,
      actionChanged: changes.actionChanged,
    }),
  );
  result.replaceChildren(
    h(
      'h3',
      { attrs: { id: 'preview-heading' } },
      t('adm.preview.heading', { from: formatTime(preview.from), to: formatTime(preview.to) }),
    ),
    summary,
    h(
      'p',
      { class: 'muted' },
      t('adm.preview.replayed', { reports: preview.reports, numbers: preview.numbers, ms: preview.tookMs }),
      preview.anonymisedReports > 0 &&
        ` ${t('adm.preview.anonymised', { count: preview.anonymisedReports })}`,
    ),
    ...CHANGE_KINDS.filter((kind) => preview.examples[kind].length > 0).map((kind) =>
      h(
        'div',
        { class: 'preview-examples', attrs: { 'data-kind': kind } },
        h('h4', null, t(CHANGE_HEADINGS[kind], { count: changes[kind] })),
        h(
          'ul',
          null,
          ...preview.examples[kind].map((example) =>
            h(
              'li',
              null,
              h('strong', null, nationalNumber(example.reportedNumber)),
              `: ${flagText(example.before)} → ${flagText(example.after)}`,
            ),
          ),
        ),
        changes[kind] > preview.examples[kind].length &&
          h(
            'p',
            { class: 'muted' },
            t('adm.preview.more', { count: changes[kind] - preview.examples[kind].length }),
          ),
      ),
    ),
  );
  summary.focus();
}
