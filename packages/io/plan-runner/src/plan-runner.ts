/**
 * Runs one stored job plan to its end, as the Glue runner does: `planPath` is the plan's URL
 * (`s3://…` or `file://…`), `databaseUrl` the warehouse its JDBC inputs and outputs use. Rejects
 * with a `PlanRunError` carrying the engine's message when the run fails.
 *
 * @example
 * const runner: PlanRunner = new DuckdbPlanRunner({ env: process.env });
 * await runner.run('s3://lake/scripts/glue/runs/streampulse-etl/ab12.json', 'postgres://u:p@db/streampulse');
 */
export interface PlanRunner {
  /** The engine, for logs: `duckdb` or `spark`. */
  readonly engine: 'duckdb' | 'spark';
  run(planPath: string, databaseUrl: string): Promise<void>;
  /** Lets go of what the runner keeps between runs (a resident Spark JVM). */
  close(): Promise<void>;
}
