import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseEnvironment } from '../src/index.js';

const schema = z.object({
  JOB_NAME: z.string({ error: 'is not set: name the Glue job' }),
  DAYS: z
    .string()
    .regex(/^\d+$/, { error: (issue) => `must be a whole number, got ${JSON.stringify(issue.input)}` })
    .transform(Number)
    .default(1),
});

describe('parseEnvironment', () => {
  it('reads trimmed values and applies defaults', () => {
    expect(parseEnvironment(schema, { JOB_NAME: ' etl ', PATH: '/usr/bin' })).toEqual({
      success: true,
      data: { JOB_NAME: 'etl', DAYS: 1 },
    });
  });

  it('counts an empty or blank value as unset', () => {
    expect(parseEnvironment(schema, { JOB_NAME: '   ', DAYS: '' })).toEqual({
      success: false,
      message: 'JOB_NAME is not set: name the Glue job',
    });
  });

  it('names the variable and the value it refuses', () => {
    expect(parseEnvironment(schema, { JOB_NAME: 'etl', DAYS: 'two' })).toEqual({
      success: false,
      message: 'DAYS must be a whole number, got "two"',
    });
  });
});
