/**
 * The alert rules (ops/prometheus/alerts.yml) and the Grafana dashboards (ops/grafana/dashboards)
 * may only name metrics that exist: the catalogue's series, prom-client's default Node metrics, `up`
 * and `ALERTS`, each with labels it really has. A small PromQL reader extracts metric names, label
 * matchers and grouping labels from every expression; a small YAML reader (the subset these files
 * use) reads the rules. promtool checks syntax and alert behaviour (scripts/check-prometheus.sh).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { DEFAULT_METRIC_PREFIXES, METRICS, MetricDefinition, seriesNames } from './metric-catalog';

const ROOT = join(__dirname, '..', '..', '..');
const ALERTS_FILE = join(ROOT, 'ops/prometheus/alerts.yml');
const ALERT_TESTS_FILE = join(ROOT, 'ops/prometheus/alerts.test.yml');
const PROMETHEUS_FILE = join(ROOT, 'ops/prometheus/prometheus.yml');
const DATASOURCES_FILE = join(ROOT, 'ops/grafana/provisioning/datasources/prometheus.yml');
const DASHBOARD_PROVIDERS_FILE = join(ROOT, 'ops/grafana/provisioning/dashboards/dashboards.yml');
const DASHBOARDS_DIR = join(ROOT, 'ops/grafana/dashboards');
const DASHBOARDS = ['intake.json', 'flags.json', 'jobs.json', 'service-health.json'];

/* ------------------------------------------------------------------------------ YAML (a subset) */

type YamlValue = string | null | YamlValue[] | { [key: string]: YamlValue };

/**
 * Block mappings and sequences, plain and quoted scalars (multi-line too), `|` and `>` block
 * scalars, one-line flow sequences of scalars, `{}`, comments. Everything else (nested flow
 * collections, anchors, tags) throws, so a file outside the subset fails loudly instead of being
 * misread. Scalars stay strings. (The repository has no YAML library, and this is enough for
 * Prometheus and Grafana provisioning files.)
 */
class YamlSubset {
  private readonly lines: string[];
  private i = 0;

  private constructor(text: string) {
    this.lines = text.replace(/\r\n?/g, '\n').split('\n');
  }

  static parse(text: string): YamlValue {
    const reader = new YamlSubset(text);
    reader.skipBlank();
    if (reader.i >= reader.lines.length) return null;
    const value = reader.block(reader.indentAt(reader.i));
    reader.skipBlank();
    if (reader.i < reader.lines.length) throw reader.error('unexpected indentation');
    return value;
  }

  private static readonly KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[A-Za-z0-9_./-]+)[ \t]*:(?:[ \t]+|$)/;

  private error(message: string): Error {
    return new Error(`YAML line ${this.i + 1}: ${message}: ${JSON.stringify(this.lines[this.i] ?? '')}`);
  }

  private indentAt(i: number): number {
    const line = this.lines[i];
    const indent = line.length - line.replace(/^ +/, '').length;
    if (line[indent] === '\t') throw this.error('tab in indentation');
    return indent;
  }

  private skipBlank(): void {
    while (this.i < this.lines.length) {
      const text = this.lines[this.i].trim();
      if (text !== '' && !text.startsWith('#') && text !== '---') return;
      this.i++;
    }
  }

  private static isItem(text: string): boolean {
    return text === '-' || text.startsWith('- ');
  }

  private block(indent: number): YamlValue {
    return YamlSubset.isItem(this.lines[this.i].slice(indent)) ? this.sequence(indent) : this.mapping(indent);
  }

  /** After "key:" or "-" with nothing else on the line: a nested block, or null. */
  private nested(indent: number): YamlValue {
    this.i++;
    this.skipBlank();
    if (this.i >= this.lines.length) return null;
    const next = this.indentAt(this.i);
    if (next > indent) return this.block(next);
    if (next === indent && YamlSubset.isItem(this.lines[this.i].slice(indent))) return this.sequence(indent);
    return null;
  }

  private sequence(indent: number): YamlValue[] {
    const items: YamlValue[] = [];
    for (;;) {
      this.skipBlank();
      if (this.i >= this.lines.length || this.indentAt(this.i) !== indent) return items;
      const text = this.lines[this.i].slice(indent);
      if (!YamlSubset.isItem(text)) return items;
      const content = text.slice(1).trimStart();
      if (content === '' || content.startsWith('#')) {
        items.push(this.nested(indent));
        continue;
      }
      const column = indent + text.length - content.length;
      if (YamlSubset.KEY.test(content) || YamlSubset.isItem(content)) {
        // "- key: value": the item is a block that starts at the content's column.
        this.lines[this.i] = ' '.repeat(column) + content;
        items.push(this.block(column));
      } else {
        items.push(this.inline(content, indent));
      }
    }
  }

  private mapping(indent: number): { [key: string]: YamlValue } {
    const map: { [key: string]: YamlValue } = {};
    for (;;) {
      this.skipBlank();
      if (this.i >= this.lines.length || this.indentAt(this.i) !== indent) return map;
      const text = this.lines[this.i].slice(indent);
      if (YamlSubset.isItem(text)) throw this.error('a sequence item where a key was expected');
      const match = YamlSubset.KEY.exec(text);
      if (!match) throw this.error('expected "key: value"');
      const key = YamlSubset.scalar(match[1]) ?? 'null';
      if (Object.prototype.hasOwnProperty.call(map, key)) throw this.error(`duplicate key ${key}`);
      const rest = text.slice(match[0].length);
      map[key] = rest === '' || rest.startsWith('#') ? this.nested(indent) : this.inline(rest, indent);
    }
  }

  /** A value that starts on the current line, after "key: " or "- "; consumes its lines. */
  private inline(text: string, indent: number): YamlValue {
    const header = /^([|>])([+-]?)[ \t]*(?:#.*)?$/.exec(text);
    if (header) return this.blockScalar(header[1] === '>', header[2], indent);
    if (/^[&*!%@`]/.test(text)) throw this.error('anchors, aliases, tags and directives are not supported');
    if (text.startsWith("'") || text.startsWith('"')) return this.quoted(text);
    if (text.startsWith('{')) {
      if (!/^\{[ \t]*\}[ \t]*(?:#.*)?$/.test(text)) throw this.error('flow mappings are not supported');
      this.i++;
      return {};
    }
    if (text.startsWith('[')) return this.flowSequence(text);
    let plain = text.replace(/[ \t]+#.*$/, '').trim();
    this.i++;
    while (this.i < this.lines.length) {
      const next = this.lines[this.i].trim();
      if (next === '' || next.startsWith('#') || this.indentAt(this.i) <= indent) break;
      plain += ` ${next.replace(/[ \t]+#.*$/, '')}`;
      this.i++;
    }
    return YamlSubset.scalar(plain);
  }

  /** A one-line sequence of scalars: [], [a, 'b', "c"]. */
  private flowSequence(text: string): YamlValue[] {
    const items: YamlValue[] = [];
    let at = 1;
    const skipSpaces = () => {
      while (text[at] === ' ' || text[at] === '\t') at++;
    };
    for (skipSpaces(); text[at] !== ']'; skipSpaces()) {
      let item: string;
      if (text[at] === "'" || text[at] === '"') {
        const end = YamlSubset.closingQuote(text.slice(at), text[at]);
        if (end < 0) throw this.error('unterminated quoted scalar');
        item = text.slice(at, at + end + 1);
      } else {
        item = /^[^,\][{}#]*/.exec(text.slice(at))?.[0].trimEnd() ?? '';
        if (item === '') throw this.error('nested flow collections are not supported');
      }
      items.push(YamlSubset.scalar(item));
      at += item.length;
      skipSpaces();
      if (text[at] === ',') at++;
      else if (text[at] !== ']') throw this.error('expected , or ] in a flow sequence');
    }
    if (!/^\][ \t]*(?:#.*)?$/.test(text.slice(at))) throw this.error('text after a flow sequence');
    this.i++;
    return items;
  }

  private quoted(first: string): string {
    const quote = first[0];
    let text = first;
    for (;;) {
      const end = YamlSubset.closingQuote(text, quote);
      if (end >= 0) {
        const after = text.slice(end + 1).trim();
        if (after !== '' && !after.startsWith('#')) throw this.error('text after a quoted scalar');
        this.i++;
        return YamlSubset.scalar(text.slice(0, end + 1)) ?? '';
      }
      this.i++;
      if (this.i >= this.lines.length) throw this.error('unterminated quoted scalar');
      text += ` ${this.lines[this.i].trim()}`;
    }
  }

  private static closingQuote(text: string, quote: string): number {
    for (let k = 1; k < text.length; k++) {
      if (quote === '"' && text[k] === '\\') k++;
      else if (text[k] === quote) {
        if (quote === "'" && text[k + 1] === "'") k++;
        else return k;
      }
    }
    return -1;
  }

  private blockScalar(folded: boolean, chomping: string, indent: number): string {
    this.i++;
    const raw: string[] = [];
    while (this.i < this.lines.length) {
      const line = this.lines[this.i];
      if (line.trim() !== '' && this.indentAt(this.i) <= indent) break;
      raw.push(line);
      this.i++;
    }
    const first = raw.find((line) => line.trim() !== '');
    const contentIndent = first === undefined ? 0 : first.length - first.trimStart().length;
    const lines = raw.map((line) => line.slice(contentIndent));
    let trailing = 0;
    while (trailing < lines.length && lines[lines.length - 1 - trailing].trim() === '') trailing++;
    const body = lines.slice(0, lines.length - trailing);
    const text = folded ? body.join('\n').replace(/([^\n])\n(?=[^\n])/g, '$1 ') : body.join('\n');
    if (chomping === '-' || body.length === 0) return text;
    return chomping === '+' ? text + '\n'.repeat(trailing + 1) : `${text}\n`;
  }

  private static scalar(text: string): string | null {
    if (text.startsWith("'")) return text.slice(1, -1).replace(/''/g, "'");
    if (text.startsWith('"')) return JSON.parse(text) as string;
    return text === '~' || text === 'null' || text === '' ? null : text;
  }
}

function parseYaml(file: string): YamlValue {
  return YamlSubset.parse(readFileSync(file, 'utf8'));
}

function isMap(value: YamlValue | undefined): value is { [key: string]: YamlValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asList(value: YamlValue | undefined): YamlValue[] {
  return Array.isArray(value) ? value : [];
}

/* ---------------------------------------------------------------------------------- PromQL */

type Token =
  | { kind: 'ident' | 'string' | 'number' | 'duration' | 'range' | 'variable' | 'op'; text: string }
  | { kind: 'punct'; text: '(' | ')' | '{' | '}' | ',' };

const FUNCTIONS = new Set(
  `abs absent absent_over_time acos acosh asin asinh atan atanh avg_over_time ceil changes clamp clamp_max
  clamp_min cos cosh count_over_time day_of_month day_of_week day_of_year days_in_month deg delta deriv
  double_exponential_smoothing exp floor histogram_avg histogram_count histogram_fraction histogram_quantile
  histogram_stddev histogram_stdvar histogram_sum holt_winters hour idelta increase info irate label_join
  label_replace last_over_time ln log10 log2 mad_over_time max_over_time min_over_time minute month pi
  predict_linear present_over_time quantile_over_time rad rate resets round scalar sgn sin sinh sort
  sort_by_label sort_by_label_desc sort_desc sqrt stddev_over_time stdvar_over_time sum_over_time tan tanh
  time timestamp vector year`.split(/\s+/),
);
const AGGREGATIONS = new Set(
  'sum min max avg group stddev stdvar count count_values bottomk topk quantile limitk limit_ratio'.split(
    ' ',
  ),
);
/** Keywords followed by a label list in parentheses (optional for group_left and group_right). */
const LABEL_LIST_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const KEYWORDS = new Set(['bool', 'offset', 'and', 'or', 'unless', 'atan2', 'inf', 'nan']);
/** Functions that add a label, named by their first string argument. */
const LABEL_MAKERS = new Set(['label_replace', 'label_join', 'count_values']);

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  const rest = () => expr.slice(at);
  while (at < expr.length) {
    const c = expr[at];
    let m: RegExpExecArray | null;
    if (/\s/.test(c)) at++;
    else if (c === '#') at = expr.includes('\n', at) ? expr.indexOf('\n', at) : expr.length;
    else if (c === '"' || c === "'" || c === '`') {
      let end = at + 1;
      while (end < expr.length && expr[end] !== c) end += expr[end] === '\\' && c !== '`' ? 2 : 1;
      if (end >= expr.length) throw new Error(`unterminated string in ${expr}`);
      tokens.push({ kind: 'string', text: expr.slice(at + 1, end) });
      at = end + 1;
    } else if (c === '[') {
      // a range or subquery: durations and Grafana variables ([5m], [$__rate_interval], [1h:5m])
      const end = expr.indexOf(']', at);
      if (end < 0) throw new Error(`unterminated [ in ${expr}`);
      tokens.push({ kind: 'range', text: expr.slice(at + 1, end) });
      at = end + 1;
    } else if ((m = /^(?:\$\{[^}]+\}|\$[A-Za-z0-9_]+|\[\[[^\]]+\]\])/.exec(rest()))) {
      tokens.push({ kind: 'variable', text: m[0] });
      at += m[0].length;
    } else if ((m = /^(?:\d+(?:ms|[smhdwy]))+(?![A-Za-z0-9_.])/.exec(rest()))) {
      tokens.push({ kind: 'duration', text: m[0] });
      at += m[0].length;
    } else if ((m = /^(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(rest()))) {
      tokens.push({ kind: 'number', text: m[0] });
      at += m[0].length;
    } else if ((m = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(rest()))) {
      tokens.push({ kind: 'ident', text: m[0] });
      at += m[0].length;
    } else if ((m = /^(?:==|!=|>=|<=|=~|!~|[=<>+\-*/%^@:])/.exec(rest()))) {
      tokens.push({ kind: 'op', text: m[0] });
      at += m[0].length;
    } else if ('(){},'.includes(c)) {
      tokens.push({ kind: 'punct', text: c as '(' | ')' | '{' | '}' | ',' });
      at++;
    } else throw new Error(`unexpected ${JSON.stringify(c)} at ${at} in ${expr}`);
  }
  return tokens;
}

interface Matcher {
  /** The metric the matcher belongs to, or null for a selector without a name. */
  readonly metric: string | null;
  readonly label: string;
  readonly op: string;
  readonly value: string;
}

interface Analysis {
  readonly metrics: string[];
  readonly matchers: Matcher[];
  /** Labels in by, without, on, ignoring, group_left and group_right lists. */
  readonly groupingLabels: string[];
  /** Labels label_replace, label_join or count_values add. */
  readonly madeLabels: string[];
  readonly functions: string[];
}

/** The metric names, label matchers and grouping labels an expression names. */
function analyse(expr: string): Analysis {
  const tokens = tokenize(expr);
  const metrics: string[] = [];
  const matchers: Matcher[] = [];
  const groupingLabels: string[] = [];
  const madeLabels: string[] = [];
  const functions: string[] = [];
  const isPunct = (k: number, text: string) => tokens[k]?.kind === 'punct' && tokens[k].text === text;

  /** Reads `{label op "value", ...}` from the `{` at k; returns the index after `}`. */
  const readMatchers = (k: number, metric: string | null): number => {
    let j = k + 1;
    const found: Omit<Matcher, 'metric'>[] = [];
    while (!isPunct(j, '}')) {
      const [label, op, value] = [tokens[j], tokens[j + 1], tokens[j + 2]];
      if (
        label?.kind !== 'ident' ||
        op?.kind !== 'op' ||
        !['=', '!=', '=~', '!~'].includes(op.text) ||
        value?.kind !== 'string'
      )
        throw new Error(`bad label matcher in ${expr}`);
      found.push({ label: label.text, op: op.text, value: value.text });
      j += 3;
      if (isPunct(j, ',')) j++;
      else if (!isPunct(j, '}')) throw new Error(`expected , or } in ${expr}`);
    }
    const named = found.find((f) => f.label === '__name__' && f.op === '=');
    const name = metric ?? named?.value ?? null;
    if (name && !metric) metrics.push(name);
    for (const f of found) if (f.label !== '__name__') matchers.push({ metric: name, ...f });
    return j + 1;
  };

  for (let k = 0; k < tokens.length;) {
    const token = tokens[k];
    if (token.kind === 'punct' && token.text === '{') {
      k = readMatchers(k, null);
      continue;
    }
    if (token.kind !== 'ident') {
      k++;
      continue;
    }
    const word = token.text;
    const lower = word.toLowerCase();
    if (LABEL_LIST_KEYWORDS.has(lower)) {
      k++;
      if (isPunct(k, '(')) {
        for (k++; !isPunct(k, ')'); k++) {
          if (k >= tokens.length) throw new Error(`unterminated label list in ${expr}`);
          if (tokens[k].kind === 'ident') groupingLabels.push(tokens[k].text);
          else if (!isPunct(k, ',')) throw new Error(`bad label list in ${expr}`);
        }
        k++;
      }
    } else if (KEYWORDS.has(lower)) {
      k++;
    } else if (isPunct(k + 1, '(')) {
      const previous = tokens[k - 1];
      const atModifier =
        previous?.kind === 'op' && previous.text === '@' && (word === 'start' || word === 'end');
      if (!FUNCTIONS.has(word) && !AGGREGATIONS.has(lower) && !atModifier)
        throw new Error(`unknown function ${word} in ${expr}`);
      functions.push(word);
      if (LABEL_MAKERS.has(word)) {
        // the first string directly inside the call's parentheses names the new label
        let depth = 0;
        for (let j = k + 1; j < tokens.length; j++) {
          const t = tokens[j];
          if (t.kind === 'punct' && (t.text === '(' || t.text === '{')) depth++;
          else if (t.kind === 'punct' && (t.text === ')' || t.text === '}')) {
            if (--depth === 0) break;
          } else if (t.kind === 'string' && depth === 1) {
            madeLabels.push(t.text);
            break;
          }
        }
      }
      k++;
    } else if (AGGREGATIONS.has(lower) && tokens[k + 1]?.kind === 'ident') {
      functions.push(word); // `sum by (x) (...)`: the label list follows
      k++;
    } else {
      metrics.push(word);
      k = isPunct(k + 1, '{') ? readMatchers(k + 1, word) : k + 1;
    }
  }
  return { metrics, matchers, groupingLabels, madeLabels, functions };
}

/* ---------------------------------------------------------------------------- known metrics */

/** Labels every series of an app gets besides its own: `app` (default label), `job` and `instance` (scrape). */
const TARGET_LABELS = ['app', 'instance', 'job'];

/** Series names of prom-client's default metrics, with their labels, from a fresh registry. */
function defaultMetricSeries(): Map<string, readonly string[]> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const series = new Map<string, readonly string[]>();
  for (const metric of registry.getMetricsAsArray()) {
    const labelNames = (metric as unknown as { labelNames?: readonly string[] }).labelNames ?? [];
    const histogram = String(metric.type) === 'histogram';
    for (const name of histogram
      ? seriesNames({ name: metric.name, type: 'histogram', help: '', labelNames })
      : [metric.name])
      series.set(name, name.endsWith('_bucket') ? [...labelNames, 'le'] : labelNames);
  }
  registry.clear();
  return series;
}

function catalogueSeries(): Map<string, readonly string[]> {
  const series = new Map<string, readonly string[]>();
  for (const definition of Object.values(METRICS) as MetricDefinition[])
    for (const name of seriesNames(definition))
      series.set(name, name.endsWith('_bucket') ? [...definition.labelNames, 'le'] : definition.labelNames);
  return series;
}

const DEFAULT_SERIES = defaultMetricSeries();
/** Every series a query may name, with the labels it may match on (null: any label). */
const KNOWN_SERIES = new Map<string, readonly string[] | null>([
  ...[...catalogueSeries(), ...DEFAULT_SERIES].map(([name, labels]): [string, readonly string[]] => [
    name,
    [...labels, ...TARGET_LABELS],
  ]),
  ['up', ['job', 'instance']],
  ['ALERTS', null],
]);

/** What is wrong with an expression: unknown metrics, labels a metric does not have. */
function problemsOf(expr: string, where: string): string[] {
  const problems: string[] = [];
  let analysis: Analysis;
  try {
    analysis = analyse(expr);
  } catch (error) {
    return [`${where}: ${(error as Error).message}`];
  }
  if (analysis.metrics.length === 0 && !analysis.functions.includes('time'))
    problems.push(`${where}: names no metric`);
  for (const metric of analysis.metrics)
    if (!KNOWN_SERIES.has(metric)) problems.push(`${where}: unknown metric ${metric}`);
  for (const { metric, label } of analysis.matchers) {
    const labels = metric === null ? undefined : KNOWN_SERIES.get(metric);
    if (metric === null) problems.push(`${where}: selector without a metric name ({${label}...})`);
    else if (labels && !labels.includes(label)) problems.push(`${where}: ${metric} has no label ${label}`);
  }
  const available = new Set<string>([...TARGET_LABELS, ...analysis.madeLabels]);
  for (const metric of analysis.metrics)
    for (const label of KNOWN_SERIES.get(metric) ?? []) available.add(label);
  for (const label of analysis.groupingLabels)
    if (!available.has(label)) problems.push(`${where}: no metric in the expression has the label ${label}`);
  if (analysis.functions.includes('histogram_quantile') && !analysis.groupingLabels.includes('le'))
    problems.push(`${where}: histogram_quantile without "by (le, ...)"`);
  return problems;
}

/* ---------------------------------------------------------------------------- the files */

interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly severity: YamlValue;
  readonly summary: YamlValue;
  readonly runbook: YamlValue;
}

function alertRules(): AlertRule[] {
  const file = parseYaml(ALERTS_FILE);
  if (!isMap(file)) throw new Error('alerts.yml is not a mapping');
  return asList(file.groups).flatMap((group) =>
    asList(isMap(group) ? group.rules : null).map((rule) => {
      if (!isMap(rule)) throw new Error('a rule is not a mapping');
      const labels = isMap(rule.labels) ? rule.labels : {};
      const annotations = isMap(rule.annotations) ? rule.annotations : {};
      return {
        alert: String(rule.alert ?? rule.record),
        expr: String(rule.expr ?? ''),
        severity: labels.severity ?? null,
        summary: annotations.summary ?? null,
        runbook: annotations.runbook ?? null,
      };
    }),
  );
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

interface Panel {
  readonly title: string;
  readonly type: string;
  readonly datasourceUid: Json;
  readonly targets: { expr: string; datasourceUid: Json }[];
}

function dashboard(name: string): { [key: string]: Json } {
  return JSON.parse(readFileSync(join(DASHBOARDS_DIR, name), 'utf8')) as { [key: string]: Json };
}

/** Every panel, rows' nested panels included (collapsed rows keep theirs in `panels`). */
function panelsOf(node: Json): Panel[] {
  if (Array.isArray(node)) return node.flatMap(panelsOf);
  if (typeof node !== 'object' || node === null) return [];
  const uid = (value: Json | undefined): Json =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value.uid ?? null)
      : (value ?? null);
  const own: Panel[] =
    typeof node.type === 'string' && node.type !== 'row' && 'gridPos' in node
      ? [
          {
            title: String(node.title),
            type: node.type,
            datasourceUid: uid(node.datasource),
            targets: (Array.isArray(node.targets) ? node.targets : []).map((target) => {
              const t = typeof target === 'object' && target !== null && !Array.isArray(target) ? target : {};
              return { expr: typeof t.expr === 'string' ? t.expr : '', datasourceUid: uid(t.datasource) };
            }),
          },
        ]
      : [];
  return [...own, ...panelsOf(node.panels ?? null)];
}

/** The Grafana variables every query filters by, and the label each one matches. */
const DASHBOARD_VARIABLES: Record<string, string> = { job: 'job', instance: 'instance', carrier: 'carrier' };
/** `job` lists the apps' scrape jobs only; All means exactly those. */
const APP_JOBS = 'ingest|aggregator|api|scheduler';

/** Selectors of `expr` that do not filter by a variable for one of their labels. */
function unfilteredSelectors(expr: string, where: string): string[] {
  const analysis = analyse(expr);
  const problems: string[] = [];
  for (const metric of new Set(analysis.metrics)) {
    const occurrences = analysis.metrics.filter((m) => m === metric).length;
    const labels = KNOWN_SERIES.get(metric) ?? [];
    for (const [variable, label] of Object.entries(DASHBOARD_VARIABLES)) {
      if (!labels.includes(label)) continue;
      const filtered = analysis.matchers.filter(
        (m) => m.metric === metric && m.label === label && m.op === '=~' && m.value === `$${variable}`,
      ).length;
      if (filtered !== occurrences)
        problems.push(`${where}: ${metric} not filtered by ${label}=~"$${variable}"`);
    }
  }
  return problems;
}

interface Variable {
  readonly name: Json;
  readonly problems: string[];
}

/** The dashboard's template variables, each with what is wrong with it. */
function variablesOf(board: { [key: string]: Json }): Variable[] {
  const templating = board.templating;
  const list =
    typeof templating === 'object' &&
    templating !== null &&
    !Array.isArray(templating) &&
    Array.isArray(templating.list)
      ? templating.list
      : [];
  return list.map((entry) => {
    const v = typeof entry === 'object' && entry !== null && !Array.isArray(entry) ? entry : {};
    const where = `variable ${String(v.name)}`;
    const query =
      typeof v.query === 'object' && v.query !== null && !Array.isArray(v.query) ? v.query.query : v.query;
    const problems: string[] = [];
    const datasource = v.datasource;
    if (
      typeof datasource !== 'object' ||
      datasource === null ||
      Array.isArray(datasource) ||
      datasource.uid !== 'prometheus'
    )
      problems.push(`${where}: datasource is not uid prometheus`);
    if (v.type !== 'query' || v.multi !== true || v.includeAll !== true)
      problems.push(`${where}: not a multi-value query variable with All`);
    if (v.definition !== query) problems.push(`${where}: definition and query differ`);
    const label = DASHBOARD_VARIABLES[String(v.name)];
    // label_values(selector, label): the selector must name a known metric that has the label.
    const match =
      typeof query === 'string' ? /^label_values\((.+),\s*([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(query) : null;
    if (!label || !match || match[2] !== label)
      problems.push(`${where}: expected label_values(<selector>, ${label})`);
    else {
      problems.push(...problemsOf(match[1], where));
      const metrics = analyse(match[1]).metrics;
      if (!metrics.every((metric) => KNOWN_SERIES.get(metric)?.includes(label)))
        problems.push(`${where}: ${metrics.join(', ')} has no label ${label}`);
    }
    if (
      v.name === 'job' &&
      (v.allValue !== APP_JOBS || query !== `label_values(up{job=~"${APP_JOBS}"}, job)`)
    )
      problems.push(`${where}: must list the app jobs, and All must mean exactly them`);
    if (v.name !== 'job' && v.allValue !== '.*') problems.push(`${where}: All must match any value`);
    return { name: v.name ?? null, problems };
  });
}

/* ---------------------------------------------------------------------------- tests */

describe('the PromQL reader', () => {
  it('reads metrics, matchers and grouping labels of a histogram quantile over a Grafana range', () => {
    const a = analyse(
      'histogram_quantile(0.99, sum by (le, stage) (rate(abuse_monitor_report_latency_seconds_bucket{stage="flagged"}[$__rate_interval])))',
    );
    expect(a.metrics).toEqual(['abuse_monitor_report_latency_seconds_bucket']);
    expect(a.matchers).toEqual([
      { metric: 'abuse_monitor_report_latency_seconds_bucket', label: 'stage', op: '=', value: 'flagged' },
    ]);
    expect(a.groupingLabels).toEqual(['le', 'stage']);
    expect(a.functions).toEqual(['histogram_quantile', 'sum', 'rate']);
  });

  it('handles trailing by, offset, bool, set operators, on() and trailing commas in matchers', () => {
    const a = analyse(
      'sum(increase(abuse_monitor_job_runs_total{outcome="failed", job=~"expiry|retention",}[15m] offset 1h)) by (job) > bool 0 and on() up{job="scheduler"} == 1 unless ignoring(job) group_left vector(0)',
    );
    expect(a.metrics).toEqual(['abuse_monitor_job_runs_total', 'up']);
    expect(a.matchers.map((m) => `${m.metric}:${m.label}${m.op}${m.value}`)).toEqual([
      'abuse_monitor_job_runs_total:outcome=failed',
      'abuse_monitor_job_runs_total:job=~expiry|retention',
      'up:job=scheduler',
    ]);
    expect(a.groupingLabels).toEqual(['job', 'job']);
  });

  it('ignores strings, comments, numbers, durations, subqueries and @ modifiers, and reads {__name__=...}', () => {
    const a = analyse(`# abuse_monitor_in_a_comment_total
      label_replace(up, "exported", "abuse_monitor_in_a_string_total", "job", "(.*)")
      + max_over_time(deriv(abuse_monitor_consumer_lag_messages[5m])[1h:1m]) * 1e3 - 0x1F / Inf
      + SUM BY (severity) ({__name__="abuse_monitor_flags", severity!="low"} @ end())
      + count_values("value", abuse_monitor_app_info offset -5m)`);
    expect(a.metrics).toEqual([
      'up',
      'abuse_monitor_consumer_lag_messages',
      'abuse_monitor_flags',
      'abuse_monitor_app_info',
    ]);
    expect(a.matchers).toEqual([
      { metric: 'abuse_monitor_flags', label: 'severity', op: '!=', value: 'low' },
    ]);
    expect(a.madeLabels).toEqual(['exported', 'value']);
  });

  it('catches a misspelt metric, a label the metric lacks, a missing le and an unknown function', () => {
    expect(problemsOf('sum(rate(abuse_monitor_reports_recieved_total[5m]))', 'q')).toEqual([
      'q: unknown metric abuse_monitor_reports_recieved_total',
    ]);
    expect(problemsOf('max(abuse_monitor_flags{severty="high"})', 'q')).toEqual([
      'q: abuse_monitor_flags has no label severty',
    ]);
    expect(problemsOf('sum by (chanel) (rate(abuse_monitor_reports_received_total[5m]))', 'q')).toEqual([
      'q: no metric in the expression has the label chanel',
    ]);
    expect(problemsOf('up{app="api"}', 'q')).toEqual(['q: up has no label app']);
    expect(
      problemsOf(
        'histogram_quantile(0.5, sum by (stage) (rate(abuse_monitor_report_latency_seconds_bucket[5m])))',
        'q',
      ),
    ).toEqual(['q: histogram_quantile without "by (le, ...)"']);
    expect(problemsOf('rate(abuse_monitor_report_latency_seconds[5m])', 'q')).toEqual([
      'q: unknown metric abuse_monitor_report_latency_seconds',
    ]);
    expect(problemsOf('rates(abuse_monitor_reports_received_total[5m])', 'q')).toEqual([
      'q: unknown function rates in rates(abuse_monitor_reports_received_total[5m])',
    ]);
    expect(
      problemsOf(
        'sum by (le, kind) (rate(nodejs_gc_duration_seconds_bucket{app="api"}[5m])) + process_open_fds',
        'q',
      ),
    ).toEqual([]);
  });

  it('knows the real default metrics, all under the catalogue prefixes', () => {
    expect(DEFAULT_SERIES.size).toBeGreaterThan(20);
    for (const name of DEFAULT_SERIES.keys())
      expect(DEFAULT_METRIC_PREFIXES.some((prefix) => name.startsWith(prefix))).toBe(true);
    expect(DEFAULT_SERIES.get('nodejs_gc_duration_seconds_bucket')).toEqual(['kind', 'le']);
  });
});

describe('the YAML reader', () => {
  it('reads block scalars, quotes, comments and sequences of mappings', () => {
    const text = [
      'groups: # comment',
      '  - name: a',
      '    rules:',
      '    - alert: X',
      '      expr: |',
      '        up',
      '          == 0',
      '',
      "      summary: 'it''s # not a comment'",
      '      runbook: "a \\"b\\"',
      '        c"',
      '      plain: one',
      '        two',
      '      empty: []',
      '      flow: [a:1, \'b, c\', "d"] # comment',
    ].join('\n');
    expect(YamlSubset.parse(text)).toEqual({
      groups: [
        {
          name: 'a',
          rules: [
            {
              alert: 'X',
              expr: 'up\n  == 0\n',
              summary: "it's # not a comment",
              runbook: 'a "b" c',
              plain: 'one two',
              empty: [],
              flow: ['a:1', 'b, c', 'd'],
            },
          ],
        },
      ],
    });
    expect(() => YamlSubset.parse('a: &anchor 1')).toThrow(/not supported/);
    expect(() => YamlSubset.parse('a: [b, [c]]')).toThrow(/not supported/);
    expect(() => YamlSubset.parse('a: {b: c}')).toThrow(/not supported/);
    expect(YamlSubset.parse('a: [ ]\nb: {}')).toEqual({ a: [], b: {} });
  });
});

describe('ops/prometheus/alerts.yml', () => {
  const rules = alertRules();

  it('has the alerts', () => {
    expect(rules.length).toBeGreaterThanOrEqual(10);
  });

  it('names only catalogue metrics, default Node metrics and up, with labels they have', () => {
    expect(rules.flatMap((rule) => problemsOf(rule.expr, `alert ${rule.alert}`))).toEqual([]);
  });

  it('gives every alert a severity (page or ticket), a summary and a one-line runbook', () => {
    const problems = rules.flatMap((rule) => [
      ...(rule.severity === 'page' || rule.severity === 'ticket'
        ? []
        : [`${rule.alert}: severity ${rule.severity}`]),
      ...(typeof rule.summary === 'string' && rule.summary.trim() !== ''
        ? []
        : [`${rule.alert}: no summary`]),
      ...(typeof rule.runbook === 'string' &&
      rule.runbook.trim() !== '' &&
      !rule.runbook.trim().includes('\n')
        ? []
        : [`${rule.alert}: no one-line runbook`]),
    ]);
    expect(problems).toEqual([]);
  });

  it('tests every alert in alerts.test.yml', () => {
    const tests = readFileSync(ALERT_TESTS_FILE, 'utf8');
    expect(tests).toMatch(/^rule_files:\s*\n\s*- alerts\.yml\s*$/m);
    const tested = new Set([...tests.matchAll(/^\s*alertname:\s*(\S+)\s*$/gm)].map((m) => m[1]));
    expect([...new Set(rules.map((rule) => rule.alert))].filter((name) => !tested.has(name))).toEqual([]);
  });
});

describe('ops/grafana/dashboards', () => {
  it.each(DASHBOARDS)('%s has panels querying only known metrics and labels', (name) => {
    const board = dashboard(name);
    const panels = panelsOf(board.panels ?? null);
    expect(panels.length).toBeGreaterThan(0);
    const problems = panels.flatMap((panel) => [
      ...(panel.targets.length > 0 && panel.targets.every((t) => t.expr.trim() !== '')
        ? []
        : [`${name} "${panel.title}": a panel without a query`]),
      ...(panel.datasourceUid === 'prometheus' && panel.targets.every((t) => t.datasourceUid === 'prometheus')
        ? []
        : [`${name} "${panel.title}": datasource is not uid prometheus`]),
      ...panel.targets.flatMap((t) => problemsOf(t.expr, `${name} "${panel.title}"`)),
    ]);
    expect(problems).toEqual([]);
  });

  it.each(DASHBOARDS)('%s filters every query by the app, instance and carrier variables', (name) => {
    const board = dashboard(name);
    const variables = variablesOf(board);
    const queries = panelsOf(board.panels ?? null).flatMap((panel) =>
      panel.targets.map((t) => ({ where: `${name} "${panel.title}"`, expr: t.expr })),
    );
    const usesCarrier = queries.some(({ expr }) =>
      analyse(expr).metrics.some((metric) => KNOWN_SERIES.get(metric)?.includes('carrier')),
    );
    expect(variables.map((v) => v.name)).toEqual(['job', 'instance', ...(usesCarrier ? ['carrier'] : [])]);
    expect(variables.map((v) => v.problems).flat()).toEqual([]);
    expect(queries.flatMap(({ where, expr }) => unfilteredSelectors(expr, where))).toEqual([]);
  });

  it('are exactly the four dashboards, with distinct uids and unique panel ids', () => {
    expect(readdirSync(DASHBOARDS_DIR).sort()).toEqual([...DASHBOARDS].sort());
    const uids = DASHBOARDS.map((name) => dashboard(name).uid);
    expect(new Set(uids).size).toBe(DASHBOARDS.length);
    for (const name of DASHBOARDS) {
      const ids: Json[] = [];
      const collect = (node: Json | undefined): void => {
        for (const panel of Array.isArray(node) ? node : []) {
          if (typeof panel !== 'object' || panel === null || Array.isArray(panel)) continue;
          ids.push(panel.id ?? null);
          collect(panel.panels);
        }
      };
      collect(dashboard(name).panels);
      expect({ name, duplicates: ids.filter((id, index) => ids.indexOf(id) !== index) }).toEqual({
        name,
        duplicates: [],
      });
    }
  });
});

describe('coverage', () => {
  it('shows every catalogue metric on a dashboard or in an alert', () => {
    const named = new Set([
      ...alertRules().flatMap((rule) => analyse(rule.expr).metrics),
      ...DASHBOARDS.flatMap((name) =>
        panelsOf(dashboard(name).panels ?? null).flatMap((panel) =>
          panel.targets.flatMap((t) => analyse(t.expr).metrics),
        ),
      ),
    ]);
    const unused = (Object.values(METRICS) as MetricDefinition[])
      .filter((definition) => !seriesNames(definition).some((series) => named.has(series)))
      .map((definition) => definition.name);
    expect(unused).toEqual([]);
  });
});

describe('Prometheus and Grafana provisioning', () => {
  it('scrapes the four apps on their metrics ports and loads alerts.yml', () => {
    const config = parseYaml(PROMETHEUS_FILE);
    if (!isMap(config)) throw new Error('prometheus.yml is not a mapping');
    expect(config.rule_files).toEqual(['alerts.yml']);
    const targets = Object.fromEntries(
      asList(config.scrape_configs).map((job) => {
        const j = isMap(job) ? job : {};
        const statics = asList(j.static_configs).flatMap((s) => asList(isMap(s) ? s.targets : null));
        return [String(j.job_name), statics];
      }),
    );
    expect(targets).toEqual({
      ingest: ['ingest:9101'],
      aggregator: ['aggregator:9102'],
      api: ['api:9103'],
      scheduler: ['scheduler:9104'],
    });
  });

  it('provides the datasource the dashboards name, and loads the dashboards directory', () => {
    const datasources = parseYaml(DATASOURCES_FILE);
    const list = asList(isMap(datasources) ? datasources.datasources : null);
    expect(list).toEqual([
      expect.objectContaining({ uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
    const providers = parseYaml(DASHBOARD_PROVIDERS_FILE);
    const provider = asList(isMap(providers) ? providers.providers : null)[0];
    expect(isMap(provider) && isMap(provider.options) ? provider.options.path : null).toBe(
      '/var/lib/grafana/dashboards',
    );
  });
});
