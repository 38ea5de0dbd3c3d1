/** The page's only style sheet, inlined: system fonts, two columns of cards on a laptop screen. */
export const DASHBOARD_CSS = `
:root { color-scheme: light; --ink: #0f172a; --muted: #475569; --line: #e2e8f0; --card: #ffffff; --page: #f1f5f9; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--page); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header, main, footer { max-width: 1240px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; }
.meta { color: var(--muted); margin: 0 0 16px; }
.kpis { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 12px; margin: 0 0 16px; padding: 0; list-style: none; }
.kpis li { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.kpis .kpi-value { display: block; font-size: 22px; font-weight: 600; }
.kpis .kpi-label { color: var(--muted); font-size: 12px; }
main { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; padding-bottom: 16px; }
@media (max-width: 900px) { main, .kpis { grid-template-columns: minmax(0, 1fr); } }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; min-width: 0; }
.card h2 { font-size: 16px; margin: 0; }
.card .note { color: var(--muted); font-size: 12px; margin: 2px 0 8px; }
svg.chart { display: block; width: 100%; height: auto; font-size: 11px; }
svg .tick { fill: var(--muted); }
svg .label { fill: var(--ink); }
svg .value { fill: var(--muted); font-size: 10px; }
svg .axis-title, svg .panel-title { fill: var(--ink); font-weight: 600; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .empty { fill: var(--muted); font-size: 14px; }
svg .mark:hover { opacity: 0.75; }
details { margin-top: 6px; font-size: 12px; }
summary { cursor: pointer; color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin-top: 6px; }
th, td { text-align: left; padding: 2px 6px; border-bottom: 1px solid var(--line); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
footer { color: var(--muted); font-size: 12px; padding-bottom: 24px; }
@media print { body { background: #fff; } .card { break-inside: avoid; } }
`;
