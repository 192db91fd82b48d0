import { barBoxes, labelledBars, niceTicks, sparkPoints } from './chart-scale.ts';
import { h } from './dom.ts';
import { markInvisibleCharacters } from './invisible-characters.ts';

/**
 * Charts as SVG built node by node (decision 0067): no library and no markup parsed from strings,
 * so the page's CSP stays as strict as it is and no text can become markup. Every chart has a
 * name and a description for screen readers, and the figures themselves in a table they read
 * (visually hidden); colours come from console.css, chosen for contrast on the page's background.
 */

const SVG = 'http://www.w3.org/2000/svg';

type SvgAttrs = Record<string, string | number>;

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: SvgAttrs = {},
  ...children: (Node | string)[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  for (const child of children)
    element.appendChild(
      typeof child === 'string' ? document.createTextNode(markInvisibleCharacters(child)) : child,
    );
  return element;
}

let ids = 0;
const nextId = (what: string) => `chart-${what}-${(ids += 1)}`;

export interface Bar {
  /** Short, under the axis ("14:00", "3 Dec"). */
  label: string;
  /** Whole, for the table and the bar's tooltip ("3 Dec 2026, 14:00–15:00"). */
  longLabel: string;
  value: number;
}

/** A moment marked on a time axis: a line through the bar it falls in. */
export interface Marker {
  bar: number;
  label: string;
}

export interface ChartText {
  title: string;
  /** One sentence of what the chart shows, with its total: what a screen reader says first. */
  description: string;
  /** The table's column headers. */
  barHeader: string;
  valueHeader: string;
}

const WIDTH = 720;
const HEIGHT = 180;
const LEFT = 40;
const BOTTOM = 22;
const TOP = 8;
const RIGHT = 8;

function figureOf(
  text: ChartText,
  className: string,
  drawing: SVGSVGElement,
  table: HTMLElement,
  ...rest: (HTMLElement | null)[]
): HTMLElement {
  const titleId = nextId('title');
  const descId = nextId('desc');
  drawing.setAttribute('role', 'img');
  drawing.setAttribute('aria-labelledby', `${titleId} ${descId}`);
  drawing.prepend(svg('title', { id: titleId }, text.title), svg('desc', { id: descId }, text.description));
  return h(
    'figure',
    { class: `chart ${className}` },
    h(
      'figcaption',
      null,
      h('strong', null, text.title),
      ' ',
      h('span', { class: 'muted' }, text.description),
    ),
    drawing,
    ...rest,
    table,
  );
}

/**
 * The figures for screen readers. Hidden by a box around it: a table grows to its content whatever
 * its width, and would make a narrow page scroll sideways (at 400 % zoom).
 */
function dataTable(text: ChartText, rows: readonly Bar[]): HTMLElement {
  return h(
    'div',
    { class: 'visually-hidden' },
    h(
      'table',
      { class: 'chart-data' },
      h('caption', null, text.title),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { attrs: { scope: 'col' } }, text.barHeader),
          h('th', { attrs: { scope: 'col' } }, text.valueHeader),
        ),
      ),
      h(
        'tbody',
        null,
        ...rows.map((row) =>
          h('tr', null, h('th', { attrs: { scope: 'row' } }, row.longLabel), h('td', null, row.value)),
        ),
      ),
    ),
  );
}

/**
 * Bars over time (or any ordered buckets), with the count axis on the left, a label under every
 * few bars and `markers` drawn across the bars they fall in, named in a list under the chart.
 */
export function barChart(
  text: ChartText,
  bars: readonly Bar[],
  markers: readonly Marker[] = [],
): HTMLElement {
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const ticks = niceTicks(Math.max(0, ...bars.map((b) => b.value)));
  const top = ticks[ticks.length - 1];
  const boxes = barBoxes(
    bars.map((b) => b.value),
    plotWidth,
    plotHeight,
    top,
  );
  const plot = svg('g', { transform: `translate(${LEFT},${TOP})` });
  for (const tick of ticks) {
    const y = plotHeight - (tick / top) * plotHeight;
    plot.append(
      svg('line', { class: 'grid', x1: 0, x2: plotWidth, y1: y, y2: y }),
      svg('text', { class: 'tick', x: -6, y: y + 4, 'text-anchor': 'end' }, String(tick)),
    );
  }
  boxes.forEach((box, i) => {
    const bar = bars[i];
    plot.append(
      svg(
        'rect',
        {
          class: 'bar',
          x: box.x,
          y: box.y,
          width: Math.max(box.width, 0.5),
          height: box.height,
          'data-value': bar.value,
        },
        svg('title', {}, `${bar.longLabel}: ${bar.value}`),
      ),
    );
  });
  const slot = plotWidth / Math.max(1, bars.length);
  for (const i of labelledBars(bars.length, 8))
    plot.append(
      svg(
        'text',
        { class: 'tick', x: i * slot + slot / 2, y: plotHeight + 15, 'text-anchor': 'middle' },
        bars[i].label,
      ),
    );
  markers.forEach((marker, n) => {
    const x = marker.bar * slot + slot / 2;
    plot.append(
      svg(
        'line',
        { class: 'marker', x1: x, x2: x, y1: 0, y2: plotHeight, 'data-bar': marker.bar },
        svg('title', {}, marker.label),
      ),
      svg('text', { class: 'marker-label', x: x + 3, y: 10 + (n % 3) * 12 }, String(n + 1)),
    );
  });
  const drawing = svg(
    'svg',
    { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chart-svg', preserveAspectRatio: 'xMinYMin meet' },
    plot,
  );
  const legend =
    markers.length > 0
      ? h('ol', { class: 'chart-markers' }, ...markers.map((m) => h('li', null, m.label)))
      : null;
  return figureOf(text, 'bar-chart', drawing, dataTable(text, bars), legend);
}

/** Counts by category, one horizontal bar each with its name and figure written beside it. */
export function categoryChart(text: ChartText, bars: readonly Bar[]): HTMLElement {
  const row = 22;
  const labelWidth = 200;
  const valueWidth = 60;
  const height = Math.max(1, bars.length) * row + 4;
  const plotWidth = WIDTH - labelWidth - valueWidth;
  const max = Math.max(0, ...bars.map((b) => b.value));
  const drawing = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${height}`,
    class: 'chart-svg',
    preserveAspectRatio: 'xMinYMin meet',
  });
  bars.forEach((bar, i) => {
    const y = i * row + 2;
    const width = max > 0 ? (bar.value / max) * plotWidth : 0;
    drawing.append(
      svg('text', { class: 'tick', x: labelWidth - 8, y: y + 15, 'text-anchor': 'end' }, bar.label),
      svg(
        'rect',
        {
          class: 'bar',
          x: labelWidth,
          y: y + 3,
          width: Math.max(width, 0.5),
          height: row - 6,
          'data-value': bar.value,
        },
        svg('title', {}, `${bar.longLabel}: ${bar.value}`),
      ),
      svg('text', { class: 'value', x: labelWidth + width + 6, y: y + 15 }, String(bar.value)),
    );
  });
  return figureOf(text, 'category-chart', drawing, dataTable(text, bars));
}

/** A small line of counts for a table cell: its name says the figures, so it needs no table of its own. */
export function sparkline(values: readonly number[], name: string): SVGSVGElement {
  const width = 80;
  const height = 20;
  return svg(
    'svg',
    {
      class: 'sparkline',
      viewBox: `0 0 ${width} ${height + 2}`,
      width,
      height: height + 2,
      role: 'img',
      'aria-label': name,
    },
    svg('polyline', { points: sparkPoints(values, width, height), transform: 'translate(0,1)' }),
  );
}
