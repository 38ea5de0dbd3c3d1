import { DuckdbPlanRunner } from '@streampulse/plan-runner';
import { DUCKDB } from '@streampulse/contract-sql';
import { describeDifferentialPlans } from './suites/differential-plans.js';

describeDifferentialPlans('DuckDB', (env) => ({ runner: new DuckdbPlanRunner({ env }), dialect: DUCKDB }));
