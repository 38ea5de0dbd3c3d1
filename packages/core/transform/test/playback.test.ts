import { pipelineSettingsSchema } from '@streampulse/schema';
import { describe, expect, it } from 'vitest';
import { durationHundredths, formatHundredths } from '../src/duration.js';
import { playbackRules, validatePlayback } from '../src/playback.js';

const rules = playbackRules(pipelineSettingsSchema.parse({}));
const base = {
  session_id: 'S1',
  user_id: 'U1',
  content_id: 'C1',
  device_type: 'Roku',
  start_time: '2025-03-11T10:00:00Z',
  end_time: '2025-03-11T11:00:00Z',
};
const reasonOf = (patch: Record<string, unknown>) => {
  const result = validatePlayback({ ...base, ...patch }, rules);
  return result.ok ? 'ok' : result.reason;
};

describe('validatePlayback', () => {
  it('accepts a well-formed row and derives device, duration and event date', () => {
    const result = validatePlayback(base, rules);
    expect(result).toEqual({
      ok: true,
      value: {
        session_id: 'S1',
        user_id: 'U1',
        content_id: 'C1',
        device_type: 'tv',
        start_time: Date.parse('2025-03-11T10:00:00Z'),
        end_time: Date.parse('2025-03-11T11:00:00Z'),
        duration_hundredths: 6000,
        event_date: '2025-03-11',
      },
    });
  });

  it('rejects each missing identifier with its own reason', () => {
    expect(reasonOf({ session_id: ' ' })).toBe('missing_session_id');
    expect(reasonOf({ user_id: 'null' })).toBe('missing_user_id');
    expect(reasonOf({ content_id: ' N/A ' })).toBe('missing_content_id');
  });

  it('rejects missing or invalid timestamps, the start checked first', () => {
    expect(reasonOf({ start_time: '' })).toBe('invalid_start_time');
    expect(reasonOf({ end_time: 'yesterday' })).toBe('invalid_end_time');
    expect(reasonOf({ start_time: 'x', end_time: 'y' })).toBe('invalid_start_time');
  });

  it('rejects an end at or before the start', () => {
    expect(reasonOf({ end_time: '2025-03-11T10:00:00Z' })).toBe('non_positive_duration');
    expect(reasonOf({ end_time: '2025-03-11T09:00:00Z' })).toBe('non_positive_duration');
  });

  it('rejects a duration over the maximum, exactly to the millisecond', () => {
    expect(reasonOf({ end_time: '2025-03-12T10:00:00Z' })).toBe('ok');
    expect(reasonOf({ end_time: '2025-03-12T10:00:00.001Z' })).toBe('duration_too_long');
  });

  it('applies a configured maximum', () => {
    const short = playbackRules(pipelineSettingsSchema.parse({ maxDurationMinutes: 30 }));
    const result = validatePlayback(base, short);
    expect(result.ok ? 'ok' : result.reason).toBe('duration_too_long');
  });

  it('reports the first rule broken when a row breaks several', () => {
    expect(reasonOf({ session_id: '', user_id: '', start_time: 'bad' })).toBe('missing_session_id');
    expect(reasonOf({ content_id: '', end_time: '2025-03-01T00:00:00Z' })).toBe('missing_content_id');
  });

  it('counts a session crossing midnight on the reporting day it started', () => {
    const result = validatePlayback(
      { ...base, start_time: '2025-03-11T18:20:00Z', end_time: '2025-03-11T19:20:00Z' },
      rules,
    );
    expect(result.ok && result.value.event_date).toBe('2025-03-11');
  });
});

describe('duration_min', () => {
  it('rounds half-up on whole milliseconds', () => {
    expect(durationHundredths(0, 300)).toBe(1);
    expect(durationHundredths(0, 299)).toBe(0);
    expect(durationHundredths(0, 899)).toBe(1);
    expect(durationHundredths(0, 900)).toBe(2);
    expect(durationHundredths(0, 86_400_000)).toBe(144_000);
  });

  it('prints hundredths exactly, where toFixed would not', () => {
    expect((1.005).toFixed(2)).toBe('1.00');
    expect(formatHundredths(101)).toBe('1.01');
    expect(formatHundredths(4551)).toBe('45.51');
    expect(formatHundredths(7)).toBe('0.07');
    expect(formatHundredths(0)).toBe('0.00');
  });
});
