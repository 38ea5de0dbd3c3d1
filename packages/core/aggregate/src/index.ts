export { activeUsersCsv, engagementCsv } from './csv.js';
export { aggregateByDay, DailyAggregator, type DailyAggregates } from './daily-aggregator.js';
