import { barChart, columnChart, lineChart, pairedBarChart, type Measure } from './charts.js';
import { DASHBOARD_CHARTS, type ChartId, type DashboardData } from './data.js';
import { escapeHtml } from './escape.js';
import { formatNumber } from './format.js';
import { DASHBOARD_CSS } from './styles.js';

/**
 * What the page says about itself.
 *
 * @example
 * const options: RenderOptions = { title: 'StreamPulse engagement', generatedAt: '2025-03-31 02:10 IST' };
 */
export interface RenderOptions {
  /** Page heading and `<title>`. */
  readonly title: string;
  /** When the data was read, as the caller wants it shown (the renderer reads no clock). */
  readonly generatedAt: string;
  /** The zone whose calendar days the aggregates count (default Asia/Kolkata, the contract's). */
  readonly reportingTimeZone?: string;
}

const HOURS: Measure = { axis: 'Watch hours (h)', unit: 'h', decimals: 2 };
const USERS: Measure = { axis: 'Unique viewers (users)', unit: 'users', decimals: 0 };
const AVG_USERS: Measure = { axis: 'Avg daily active users (users)', unit: 'users', decimals: 1 };
const SESSIONS: Measure = { axis: 'Sessions (count)', unit: 'sessions', decimals: 0 };
const DAU: Measure = { axis: 'Daily active users (users)', unit: 'users', decimals: 0 };
const MINUTES: Measure = { axis: 'Average session (min)', unit: 'min', decimals: 1 };

const NOTES: Readonly<Record<ChartId, string>> = {
  'top-titles': 'Watch hours over the period, all regions and devices.',
  'daily-unique-viewers': 'Distinct viewers each day, all regions and devices.',
  'daily-watch-hours': 'Hours watched each day, all regions and devices.',
  'daily-sessions': 'Playback sessions each day, all regions and devices.',
  'avg-session-duration': 'Watch minutes per session each day, all regions and devices.',
  'watch-hours-by-device': 'Watch hours over the period per device type.',
  'regional-engagement': 'Daily active users averaged over the period, and watch hours, per region.',
  'genre-performance': 'Watch hours and sessions over the period per genre.',
  'daily-active-users': 'Distinct viewers per device type and day.',
};

type Cell = { readonly text: string; readonly numeric?: boolean };
const num = (value: number, decimals = 0): Cell => ({ text: formatNumber(value, decimals), numeric: true });
const str = (text: string): Cell => ({ text });

function table(headers: readonly Cell[], rows: readonly (readonly Cell[])[]): string {
  if (rows.length === 0) return '';
  const cell = (tag: 'th' | 'td', c: Cell) =>
    `<${tag}${c.numeric ? ' class="num"' : ''}>${escapeHtml(c.text)}</${tag}>`;
  return (
    `<details><summary>Data (${rows.length} rows)</summary><table><thead><tr>${headers.map((h) => cell('th', h)).join('')}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${r.map((c) => cell('td', c)).join('')}</tr>`).join('')}</tbody></table></details>`
  );
}

function charts(
  data: DashboardData,
  dayAxis: string,
): Record<ChartId, { svg: string; table: string; rows: number }> {
  const dates = [...new Set(data.dailyActiveUsersByDevice.map((r) => r.date))].sort();
  const devices = [...new Set(data.dailyActiveUsersByDevice.map((r) => r.deviceType))].sort();
  const dauSeries = devices.map((device) => {
    const byDate = new Map(
      data.dailyActiveUsersByDevice
        .filter((r) => r.deviceType === device)
        .map((r) => [r.date, r.activeUsers]),
    );
    return { name: device, values: dates.map((d) => byDate.get(d)) };
  });
  const title = (id: ChartId) => DASHBOARD_CHARTS.find((c) => c.id === id)?.title ?? id;
  const daily = (
    id: ChartId,
    name: string,
    measure: Measure,
    value: (d: DashboardData['dailyViewers'][number]) => number,
    decimals: number,
  ) => ({
    rows: data.dailyViewers.length,
    svg: lineChart(
      title(id),
      data.dailyViewers.map((d) => d.date),
      [{ name, values: data.dailyViewers.map(value) }],
      measure,
      dayAxis,
    ),
    table: table(
      [str('Day'), { text: name, numeric: true }],
      data.dailyViewers.map((d) => [str(d.date), num(value(d), decimals)]),
    ),
  });
  return {
    'top-titles': {
      rows: data.topTitles.length,
      svg: barChart(
        title('top-titles'),
        data.topTitles.map((t) => ({
          label: t.title,
          value: t.watchHours,
          detail: ` · ${formatNumber(t.sessions)} sessions · ${t.genre}`,
        })),
        HOURS,
      ),
      table: table(
        [
          str('Title'),
          str('Genre'),
          { text: 'Watch hours', numeric: true },
          { text: 'Sessions', numeric: true },
        ],
        data.topTitles.map((t) => [str(t.title), str(t.genre), num(t.watchHours, 2), num(t.sessions)]),
      ),
    },
    'daily-unique-viewers': {
      rows: data.dailyViewers.length,
      svg: lineChart(
        title('daily-unique-viewers'),
        data.dailyViewers.map((d) => d.date),
        [{ name: 'Unique viewers', values: data.dailyViewers.map((d) => d.uniqueViewers) }],
        USERS,
        dayAxis,
      ),
      table: table(
        [
          str('Date'),
          { text: 'Unique viewers', numeric: true },
          { text: 'Sessions', numeric: true },
          { text: 'Watch hours', numeric: true },
        ],
        data.dailyViewers.map((d) => [
          str(d.date),
          num(d.uniqueViewers),
          num(d.sessions),
          num(d.watchHours, 2),
        ]),
      ),
    },
    'daily-watch-hours': daily('daily-watch-hours', 'Watch hours', HOURS, (d) => d.watchHours, 2),
    'daily-sessions': daily('daily-sessions', 'Sessions', SESSIONS, (d) => d.sessions, 0),
    'avg-session-duration': daily(
      'avg-session-duration',
      'Average session (min)',
      MINUTES,
      (d) => d.avgSessionMinutes,
      1,
    ),
    'watch-hours-by-device': {
      rows: data.watchHoursByDevice.length,
      svg: columnChart(
        title('watch-hours-by-device'),
        data.watchHoursByDevice.map((d) => ({
          label: d.deviceType,
          value: d.watchHours,
          detail: ` · ${formatNumber(d.sessions)} sessions`,
        })),
        HOURS,
      ),
      table: table(
        [str('Device type'), { text: 'Watch hours', numeric: true }, { text: 'Sessions', numeric: true }],
        data.watchHoursByDevice.map((d) => [str(d.deviceType), num(d.watchHours, 2), num(d.sessions)]),
      ),
    },
    'regional-engagement': {
      rows: data.regionalEngagement.length,
      svg: pairedBarChart(
        title('regional-engagement'),
        data.regionalEngagement.map((r) => ({
          label: r.region,
          first: r.avgDailyActiveUsers,
          second: r.watchHours,
        })),
        AVG_USERS,
        HOURS,
      ),
      table: table(
        [
          str('Region'),
          { text: 'Avg daily active users', numeric: true },
          { text: 'Watch hours', numeric: true },
          { text: 'Sessions', numeric: true },
        ],
        data.regionalEngagement.map((r) => [
          str(r.region),
          num(r.avgDailyActiveUsers, 1),
          num(r.watchHours, 2),
          num(r.sessions),
        ]),
      ),
    },
    'genre-performance': {
      rows: data.genrePerformance.length,
      svg: pairedBarChart(
        title('genre-performance'),
        data.genrePerformance.map((g) => ({ label: g.genre, first: g.watchHours, second: g.sessions })),
        HOURS,
        SESSIONS,
      ),
      table: table(
        [str('Genre'), { text: 'Watch hours', numeric: true }, { text: 'Sessions', numeric: true }],
        data.genrePerformance.map((g) => [str(g.genre), num(g.watchHours, 2), num(g.sessions)]),
      ),
    },
    'daily-active-users': {
      rows: data.dailyActiveUsersByDevice.length,
      svg: lineChart(title('daily-active-users'), dates, dauSeries, DAU, dayAxis),
      table: table(
        [str('Date'), str('Device type'), { text: 'Active users', numeric: true }],
        data.dailyActiveUsersByDevice.map((r) => [str(r.date), str(r.deviceType), num(r.activeUsers)]),
      ),
    },
  };
}

function kpis(data: DashboardData): string {
  const days = data.dailyViewers;
  const sum = (f: (d: (typeof days)[number]) => number) => days.reduce((total, d) => total + f(d), 0);
  const items: [string, string][] = [
    [
      'Watch hours',
      formatNumber(
        sum((d) => d.watchHours),
        0,
      ),
    ],
    ['Sessions', formatNumber(sum((d) => d.sessions))],
    [
      'Avg daily unique viewers',
      days.length ? formatNumber(sum((d) => d.uniqueViewers) / days.length, 0) : '–',
    ],
    ['Days', formatNumber(days.length)],
  ];
  return `<ul class="kpis">${items
    .map(
      ([label, value]) =>
        `<li><span class="kpi-value">${escapeHtml(value)}</span><span class="kpi-label">${escapeHtml(label)}</span></li>`,
    )
    .join('')}</ul>`;
}

function period(data: DashboardData): string {
  const dates = [
    ...data.dailyViewers.map((d) => d.date),
    ...data.dailyActiveUsersByDevice.map((d) => d.date),
  ].sort();
  if (dates.length === 0) return 'No data yet';
  const first = dates[0] as string;
  const last = dates[dates.length - 1] as string;
  return first === last ? `Day ${first}` : `${first} to ${last}`;
}

/**
 * The dashboard as one self-contained HTML page: nine charts drawn as inline SVG, each with its
 * data table, all styles inlined, no scripts, fonts or requests of any kind (a
 * Content-Security-Policy forbids them too), so the file works from `file://` offline. Every
 * chart's root carries `data-chart`, every bar or point `data-value`; all text is escaped.
 *
 * @example
 * const html = renderDashboard(data, { title: 'StreamPulse engagement', generatedAt: '2025-03-31 02:10 IST' });
 * await writeFile('dashboard.html', html);
 */
export function renderDashboard(data: DashboardData, options: RenderOptions): string {
  const zone = options.reportingTimeZone ?? 'Asia/Kolkata';
  const drawn = charts(data, `Day (${zone})`);
  const sections = DASHBOARD_CHARTS.map(({ id, title }) => {
    const chart = drawn[id];
    return (
      `<section class="card" data-chart="${id}"${chart.rows === 0 ? ' data-empty="true"' : ''} aria-labelledby="h-${id}">` +
      `<h2 id="h-${id}">${escapeHtml(title)}</h2><p class="note">${escapeHtml(NOTES[id])}</p>` +
      chart.svg +
      chart.table +
      '</section>'
    );
  }).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(options.title)}</title>
<style>${DASHBOARD_CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(options.title)}</h1>
<p class="meta">${escapeHtml(period(data))} · days are calendar days in the reporting zone, ${escapeHtml(zone)} · generated ${escapeHtml(options.generatedAt)}</p>
${kpis(data)}
</header>
<main>
${sections}
</main>
<footer>StreamPulse · User Engagement 360 · a viewer is counted once a day; across days viewers are shown per day or as a daily average, never added up.</footer>
</body>
</html>
`;
}
