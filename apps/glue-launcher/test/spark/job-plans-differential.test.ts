import { describeDifferentialPlans } from '../suites/differential-plans.js';
import { sparkEngine, sparkS3 } from './engine.js';

// Found by this suite on Spark 3.5.4 and not diagnosed yet (the closing notes name them): on these
// seeds' mutated JSON files the Spark rendering's table differs from the default engine's.
const KNOWN = new Map([
  [101, 'a record the default engine loads (session 101) is missing'],
  [113, 'the table or quarantine differs (not diagnosed yet)'],
  [307, 'the table or quarantine differs (not diagnosed yet)'],
]);

describeDifferentialPlans('Spark', sparkEngine, sparkS3, KNOWN);
