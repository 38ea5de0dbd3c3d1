import { describeGoldenPlans } from '../suites/golden-plans.js';
import { sparkEngine, sparkS3 } from './engine.js';

describeGoldenPlans('Spark', sparkEngine, sparkS3);
