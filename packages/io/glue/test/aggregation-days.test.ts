import { describe, expect, it } from 'vitest';
import { aggregationDays, RunPlanError } from '../src/index.js';

describe('aggregationDays', () => {
  it('counts the lookback days back across month and leap-year ends', () => {
    expect(aggregationDays('2024-03-01', 2)).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(aggregationDays('2025-03-01', 1)).toEqual(['2025-02-28', '2025-03-01']);
    expect(aggregationDays('2025-03-14', 0)).toEqual(['2025-03-14']);
  });

  it('refuses 2025-02-30 instead of planning 2025-03-02', () => {
    expect(() => aggregationDays('2025-02-30', 0)).toThrow(RunPlanError);
    expect(() => aggregationDays('2025-02-30', 0)).toThrow('the run date must be YYYY-MM-DD, got 2025-02-30');
  });

  it('refuses a run date not written YYYY-MM-DD and a lookback that is not a whole number', () => {
    expect(() => aggregationDays('14/03/2025', 1)).toThrow(RunPlanError);
    expect(() => aggregationDays('2025-03-14', -1)).toThrow(RunPlanError);
    expect(() => aggregationDays('2025-03-14', 1.5)).toThrow(RunPlanError);
  });
});
