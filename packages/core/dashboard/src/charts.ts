import { compactNumber, formatNumber, niceTicks, shortDate } from './format.js';
import { clip, element, text, tooltip } from './svg.js';

/** Width of every chart's drawing (the page scales it to its card). */
export const CHART_WIDTH = 560;

/**
 * Series colours: mostly the Okabe-Ito set, told apart with the common colour-vision deficiencies and
 * from one another (no two blues or greys), so every device type of a chart has its own.
 */
export const PALETTE = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#d55e00',
  '#8c564b',
  '#000000',
  '#b8a200',
];

/** A measure: how to label its axis and format its values. */
export interface Measure {
  /** Axis title with its unit, e.g. `Watch hours (h)`. */
  readonly axis: string;
  /** Unit after a value in labels and tooltips, e.g. `h`. */
  readonly unit: string;
  readonly decimals: number;
}

const withUnit = (value: number, measure: Measure): string =>
  `${formatNumber(value, measure.decimals)}${measure.unit ? ` ${measure.unit}` : ''}`;

function svg(height: number, title: string, ...body: string[]): string {
  return element(
    'svg',
    {
      viewBox: `0 0 ${CHART_WIDTH} ${height}`,
      width: CHART_WIDTH,
      height,
      role: 'img',
      class: 'chart',
    },
    tooltip(title),
    ...body,
  );
}

/**
 * The placeholder drawn for a chart without data.
 *
 * @example
 * emptyChart('Genre performance'); // '<svg ...><title>Genre performance</title><text ...>No data for this period</text></svg>'
 */
export function emptyChart(title: string): string {
  return svg(
    120,
    title,
    text({ x: CHART_WIDTH / 2, y: 64, 'text-anchor': 'middle', class: 'empty' }, 'No data for this period'),
  );
}

/**
 * A horizontal value axis from `left` to `left + width` at `y`, ticks as grid lines up to `top`,
 * titled below unless the caller titles it elsewhere.
 */
function valueAxisX(
  left: number,
  width: number,
  top: number,
  y: number,
  max: number,
  measure: Measure,
  titled = true,
): string {
  const ticks = niceTicks(max, width < 300 ? 3 : 5);
  const end = ticks[ticks.length - 1] as number;
  const parts = ticks.map((t) => {
    const x = left + (t / end) * width;
    return (
      element('line', { x1: x, x2: x, y1: top, y2: y, class: 'grid' }) +
      text({ x, y: y + 14, 'text-anchor': 'middle', class: 'tick' }, compactNumber(t))
    );
  });
  if (titled) {
    parts.push(
      text({ x: left + width / 2, y: y + 32, 'text-anchor': 'middle', class: 'axis-title' }, measure.axis),
    );
  }
  return parts.join('');
}

/** One horizontal bar with its value label. */
function hbar(
  x: number,
  y: number,
  width: number,
  height: number,
  value: number,
  label: string,
  measure: Measure,
  color: string,
  detail = '',
): string {
  return (
    element(
      'rect',
      {
        x,
        y,
        width: Math.max(width, 1),
        height,
        rx: 2,
        fill: color,
        class: 'mark',
        'data-value': String(value),
        'data-label': label,
      },
      tooltip(`${label}: ${withUnit(value, measure)}${detail}`),
    ) + text({ x: x + Math.max(width, 1) + 4, y: y + height / 2 + 4, class: 'value' }, compactNumber(value))
  );
}

/** A row of a horizontal bar chart. */
export interface BarRow {
  readonly label: string;
  readonly value: number;
  /** Extra tooltip text, e.g. ` · 1,234 sessions`. */
  readonly detail?: string;
}

/**
 * Horizontal bars, one per row, labels on the left (clipped, full text in the tooltip).
 *
 * @example
 * barChart('Top titles', [{ label: 'Chai & "Chaos"', value: 120.5 }], { axis: 'Watch hours (h)', unit: 'h', decimals: 1 });
 */
export function barChart(title: string, rows: readonly BarRow[], measure: Measure): string {
  if (rows.length === 0) return emptyChart(title);
  const left = 200;
  const right = 44;
  const top = 8;
  const rowHeight = 26;
  const plotWidth = CHART_WIDTH - left - right;
  const bottom = top + rows.length * rowHeight;
  const end = niceTicks(Math.max(...rows.map((r) => r.value)), 5).at(-1) as number;
  const bars = rows.map((row, i) => {
    const y = top + i * rowHeight + 4;
    return (
      text({ x: left - 8, y: y + 13, 'text-anchor': 'end', class: 'label' }, clip(row.label, 28)) +
      hbar(
        left,
        y,
        (row.value / end) * plotWidth,
        rowHeight - 8,
        row.value,
        row.label,
        measure,
        PALETTE[0] as string,
        row.detail,
      )
    );
  });
  return svg(bottom + 44, title, valueAxisX(left, plotWidth, top, bottom, end, measure), ...bars);
}

/** A row of a paired bar chart: one label, two measures. */
export interface PairedRow {
  readonly label: string;
  readonly first: number;
  readonly second: number;
}

/**
 * Two horizontal bar panels side by side sharing their row labels, for two measures with
 * different units (e.g. active users and watch hours per region).
 *
 * @example
 * pairedBarChart('Regions', [{ label: 'South', first: 812, second: 3400 }], users, hours);
 */
export function pairedBarChart(
  title: string,
  rows: readonly PairedRow[],
  first: Measure,
  second: Measure,
): string {
  if (rows.length === 0) return emptyChart(title);
  const left = 100;
  const gap = 44;
  const panelWidth = (CHART_WIDTH - left - gap - 40) / 2;
  const top = 26;
  const rowHeight = 24;
  const bottom = top + rows.length * rowHeight;
  const panels = [first, second].map((measure, p) => {
    const x0 = left + p * (panelWidth + gap);
    const values = rows.map((r) => (p === 0 ? r.first : r.second));
    const end = niceTicks(Math.max(...values), 3).at(-1) as number;
    const color = PALETTE[p] as string;
    return (
      text({ x: x0, y: 14, class: 'panel-title' }, measure.axis) +
      valueAxisX(x0, panelWidth, top, bottom, end, measure, false) +
      rows
        .map((row, i) =>
          hbar(
            x0,
            top + i * rowHeight + 4,
            ((values[i] as number) / end) * panelWidth,
            rowHeight - 8,
            values[i] as number,
            row.label,
            measure,
            color,
          ),
        )
        .join('')
    );
  });
  const labels = rows.map((row, i) =>
    text(
      { x: left - 8, y: top + i * rowHeight + 16, 'text-anchor': 'end', class: 'label' },
      clip(row.label, 14),
    ),
  );
  return svg(bottom + 24, title, ...labels, ...panels);
}

/**
 * Vertical columns, one per category, value labels on top.
 *
 * @example
 * columnChart('By device', [{ label: 'tv', value: 5400 }], { axis: 'Watch hours (h)', unit: 'h', decimals: 1 });
 */
export function columnChart(title: string, rows: readonly BarRow[], measure: Measure): string {
  if (rows.length === 0) return emptyChart(title);
  const left = 64;
  const top = 18;
  const height = 240;
  const plotWidth = CHART_WIDTH - left - 16;
  const bottom = top + height;
  const ticks = niceTicks(Math.max(...rows.map((r) => r.value)), 5);
  const end = ticks.at(-1) as number;
  const slot = plotWidth / rows.length;
  const barWidth = Math.min(64, slot * 0.6);
  const axis = ticks.map((t) => {
    const y = bottom - (t / end) * height;
    return (
      element('line', { x1: left, x2: left + plotWidth, y1: y, y2: y, class: 'grid' }) +
      text({ x: left - 6, y: y + 4, 'text-anchor': 'end', class: 'tick' }, compactNumber(t))
    );
  });
  const columns = rows.map((row, i) => {
    const h = Math.max((row.value / end) * height, 1);
    const x = left + i * slot + (slot - barWidth) / 2;
    return (
      element(
        'rect',
        {
          x,
          y: bottom - h,
          width: barWidth,
          height: h,
          rx: 2,
          fill: PALETTE[0],
          class: 'mark',
          'data-value': String(row.value),
          'data-label': row.label,
        },
        tooltip(`${row.label}: ${withUnit(row.value, measure)}${row.detail ?? ''}`),
      ) +
      text(
        { x: x + barWidth / 2, y: bottom - h - 5, 'text-anchor': 'middle', class: 'value' },
        compactNumber(row.value),
      ) +
      text(
        { x: x + barWidth / 2, y: bottom + 16, 'text-anchor': 'middle', class: 'label' },
        clip(row.label, 12),
      )
    );
  });
  return svg(
    bottom + 30,
    title,
    ...axis,
    text(
      {
        x: 14,
        y: top + height / 2,
        'text-anchor': 'middle',
        class: 'axis-title',
        transform: `rotate(-90 14 ${top + height / 2})`,
      },
      measure.axis,
    ),
    ...columns,
  );
}

/** One line of a line chart: a value per date (missing dates leave a gap). */
export interface Series {
  readonly name: string;
  readonly values: readonly (number | undefined)[];
}

/**
 * Lines over days with a point per value; a legend when there are several series. Dates are
 * evenly spaced; at most about eight are labelled.
 *
 * @example
 * lineChart('Daily unique viewers', ['2025-03-01', '2025-03-02'], [{ name: 'viewers', values: [812, 790] }], users);
 */
export function lineChart(
  title: string,
  dates: readonly string[],
  series: readonly Series[],
  measure: Measure,
  /** The x axis title, e.g. `Day (Asia/Kolkata)`. */
  dayAxis = 'Day',
): string {
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== undefined));
  if (dates.length === 0 || all.length === 0) return emptyChart(title);
  const legend = series.length > 1;
  const left = 64;
  const right = legend ? 96 : 20;
  const top = 16;
  const height = 240;
  const plotWidth = CHART_WIDTH - left - right;
  const bottom = top + height;
  const ticks = niceTicks(Math.max(...all), 5);
  const end = ticks.at(-1) as number;
  const xOf = (i: number) =>
    left + (dates.length === 1 ? plotWidth / 2 : (i / (dates.length - 1)) * plotWidth);
  const yOf = (v: number) => bottom - (v / end) * height;
  const every = Math.max(1, Math.ceil(dates.length / 8));
  const radius = dates.length > 45 ? 2 : 3;

  const axis = ticks.map(
    (t) =>
      element('line', { x1: left, x2: left + plotWidth, y1: yOf(t), y2: yOf(t), class: 'grid' }) +
      text({ x: left - 6, y: yOf(t) + 4, 'text-anchor': 'end', class: 'tick' }, compactNumber(t)),
  );
  const xLabels = dates
    .map((d, i) =>
      i % every === 0
        ? text({ x: xOf(i), y: bottom + 16, 'text-anchor': 'middle', class: 'tick' }, shortDate(d))
        : '',
    )
    .join('');
  const lines = series.map((s, k) => {
    const color = PALETTE[k % PALETTE.length] as string;
    let path = '';
    s.values.forEach((v, i) => {
      if (v === undefined) return;
      const joined = i > 0 && s.values[i - 1] !== undefined;
      path += `${joined ? 'L' : 'M'}${Math.round(xOf(i) * 10) / 10} ${Math.round(yOf(v) * 10) / 10}`;
    });
    const points = s.values
      .map((v, i) =>
        v === undefined
          ? ''
          : element(
              'circle',
              {
                cx: xOf(i),
                cy: yOf(v),
                r: radius,
                fill: color,
                class: 'mark',
                'data-value': String(v),
                'data-label': `${s.name} ${dates[i]}`,
              },
              tooltip(`${legend ? `${s.name}, ` : ''}${dates[i]}: ${withUnit(v, measure)}`),
            ),
      )
      .join('');
    const key = legend
      ? element('rect', {
          x: CHART_WIDTH - right + 12,
          y: top + k * 18,
          width: 10,
          height: 10,
          fill: color,
        }) + text({ x: CHART_WIDTH - right + 28, y: top + k * 18 + 9, class: 'label' }, clip(s.name, 12))
      : '';
    return (
      element('path', { d: path, fill: 'none', stroke: color, 'stroke-width': 2, class: 'line' }) +
      points +
      key
    );
  });
  return svg(
    bottom + 40,
    title,
    ...axis,
    xLabels,
    text({ x: left + plotWidth / 2, y: bottom + 34, 'text-anchor': 'middle', class: 'axis-title' }, dayAxis),
    text(
      {
        x: 14,
        y: top + height / 2,
        'text-anchor': 'middle',
        class: 'axis-title',
        transform: `rotate(-90 14 ${top + height / 2})`,
      },
      measure.axis,
    ),
    ...lines,
  );
}
