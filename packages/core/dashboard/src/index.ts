// The engagement dashboard: its data, the SQL behind each chart, and a pure HTML renderer.
export { DASHBOARD_CHARTS, type ChartId, type DashboardData } from './data.js';
export { escapeHtml } from './escape.js';
export { dashboardDataFromAggregates, type AggregateRows } from './from-aggregates.js';
export {
  DASHBOARD_QUERIES,
  dashboardDataFromQuery,
  dashboardQueries,
  DashboardQueryError,
  type DashboardPeriod,
  type DashboardQueryErrorCode,
  type QueryFunction,
} from './queries.js';
export { renderDashboard, type RenderOptions } from './render.js';
