import { DuckdbPlanRunner } from '@streampulse/plan-runner';
import { DUCKDB } from '@streampulse/contract-sql';
import { describeGoldenPlans } from './suites/golden-plans.js';

describeGoldenPlans('DuckDB', (env) => ({ runner: new DuckdbPlanRunner({ env }), dialect: DUCKDB }));
