import { describeDifferentialPlans } from '../suites/differential-plans.js';
import { sparkEngine, sparkS3 } from './engine.js';

describeDifferentialPlans('Spark', sparkEngine, sparkS3);
