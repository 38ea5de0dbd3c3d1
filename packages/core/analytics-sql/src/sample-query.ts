/**
 * The data contract's sample query, exactly as the contract writes it (with its `;`): the query
 * `npm start` prints, and one the Trino suite runs against DuckDB's answer.
 *
 * @example
 * const { rows } = await local.query(SAMPLE_QUERY);
 */
export const SAMPLE_QUERY = `SELECT title, total_watch_hours, unique_viewers
FROM daily_engagement
ORDER BY total_watch_hours DESC
LIMIT 10;`;
