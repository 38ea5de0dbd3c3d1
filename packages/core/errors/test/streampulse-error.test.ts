import { describe, expect, it } from 'vitest';
import { StreamPulseError, isExpectedError, isStreamPulseError } from '../src/index.js';

class DemoError extends StreamPulseError<'bad_day' | 'broken'> {
  override readonly name = 'DemoError';
}

describe('StreamPulseError', () => {
  it('carries its code, message and cause', () => {
    const cause = new Error('underneath');
    const error = new DemoError('bad_day', 'not a day', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('bad_day');
    expect(error.message).toBe('not a day');
    expect(error.cause).toBe(cause);
    expect(error.name).toBe('DemoError');
  });

  it('is an expected failure unless told otherwise', () => {
    expect(isExpectedError(new DemoError('bad_day', 'x'))).toBe(true);
    expect(isExpectedError(new DemoError('broken', 'x', { expected: false }))).toBe(false);
  });

  it('does not take a plain error or a look-alike object for one of its own', () => {
    expect(isStreamPulseError(new Error('x'))).toBe(false);
    expect(isStreamPulseError({ code: 'bad_day', expected: true, message: 'x' })).toBe(false);
    expect(isExpectedError(undefined)).toBe(false);
  });

  it('has no cause property when none was given', () => {
    expect('cause' in new DemoError('bad_day', 'x')).toBe(false);
  });
});
