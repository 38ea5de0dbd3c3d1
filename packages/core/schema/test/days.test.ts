import { describe, expect, it } from 'vitest';
import { addDays, calendarDays, dayNumber, isCalendarDay } from '../src/index.js';

describe('isCalendarDay', () => {
  it('accepts real days and refuses rolled-over, malformed and padded ones', () => {
    expect(isCalendarDay('2024-02-29')).toBe(true);
    expect(isCalendarDay('2025-02-29')).toBe(false);
    expect(isCalendarDay('2025-02-30')).toBe(false);
    expect(isCalendarDay('2025-13-01')).toBe(false);
    expect(isCalendarDay('2025-3-14')).toBe(false);
    expect(isCalendarDay(' 2025-03-14')).toBe(false);
  });
});

describe('calendarDays', () => {
  it('counts both ends, across a leap day and a year end', () => {
    expect(calendarDays('2024-02-28', '2024-03-01')).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(calendarDays('2025-12-31', '2026-01-01')).toEqual(['2025-12-31', '2026-01-01']);
    expect(calendarDays('2025-03-14', '2025-03-14')).toEqual(['2025-03-14']);
  });

  it('is empty when the end is before the start, and refuses what is not a day', () => {
    expect(calendarDays('2025-03-15', '2025-03-14')).toEqual([]);
    expect(() => calendarDays('2025-02-30', '2025-03-01')).toThrow(RangeError);
  });
});

describe('addDays', () => {
  it('counts across month and leap-year ends, both ways', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2024-03-01', -2)).toBe('2024-02-28');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(addDays('2025-03-14', 0)).toBe('2025-03-14');
  });

  it('refuses a day that is not on the calendar instead of rolling it over', () => {
    expect(() => addDays('2025-02-30', 0)).toThrow(RangeError);
    expect(() => addDays('2025-03-14', 0.5)).toThrow(RangeError);
  });
});

describe('dayNumber', () => {
  it('numbers days from 1970-01-01', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(dayNumber('1969-12-31')).toBe(-1);
    expect(dayNumber('2025-03-14') - dayNumber('2025-02-28')).toBe(14);
  });

  it('refuses a day that is not on the calendar', () => {
    expect(() => dayNumber('2025-02-30')).toThrow(RangeError);
  });
});
