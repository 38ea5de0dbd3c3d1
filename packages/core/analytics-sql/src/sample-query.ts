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

/**
 * The top 10 titles of the whole period, one row per title: what "the top 10" means to a reader
 * (the contract's sample query lists rows of day x region x device x title, so one title can
 * fill it). Runs as written in Athena and locally.
 *
 * @example
 * const { rows } = await local.query(TOP_TITLES_QUERY);
 */
export const TOP_TITLES_QUERY = `SELECT title_rank, title, genre, total_watch_hours, sessions
FROM top_titles
ORDER BY title_rank
LIMIT 10;`;
