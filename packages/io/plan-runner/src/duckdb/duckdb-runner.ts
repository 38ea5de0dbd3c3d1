import type { PlanRunner } from '../plan-runner.js';
import { readStoredPlan, runPlanWithDuckdb } from './run-plan.js';

/**
 * Runs stored job plans compiled for DUCKDB in this process (see `runPlanWithDuckdb`): the
 * compiled plan on one machine, with no Spark to install.
 *
 * @example
 * const runner = new DuckdbPlanRunner({ env: process.env });
 * await runner.run('file:///tmp/lake/scripts/glue/runs/streampulse-etl/ab12.json', databaseUrl);
 */
export class DuckdbPlanRunner implements PlanRunner {
  readonly engine = 'duckdb';

  constructor(private readonly options: { env: Record<string, string | undefined> }) {}

  async run(planPath: string, databaseUrl: string): Promise<void> {
    const plan = await readStoredPlan(planPath, this.options.env);
    await runPlanWithDuckdb(plan, { env: this.options.env, databaseUrl });
  }

  async close(): Promise<void> {}
}
