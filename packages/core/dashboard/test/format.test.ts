import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../src/index.js';
import { compactNumber, formatNumber, niceTicks, shortDate } from '../src/format.js';
import { clip } from '../src/svg.js';

describe('formatting', () => {
  it('groups thousands and keeps the decimals asked for', () => {
    expect(formatNumber(1234567.891, 1)).toBe('1,234,567.9');
    expect(formatNumber(999)).toBe('999');
    expect(formatNumber(-1234.5, 2)).toBe('-1,234.50');
    expect(formatNumber(-0.001, 1)).toBe('0.0');
  });

  it('writes short axis numbers', () => {
    expect(compactNumber(950)).toBe('950');
    expect(compactNumber(12.25)).toBe('12.3');
    expect(compactNumber(1000)).toBe('1k');
    expect(compactNumber(12_500)).toBe('12.5k');
    expect(compactNumber(3_400_000)).toBe('3.4M');
  });

  it('picks nice ticks from zero that cover the maximum', () => {
    expect(niceTicks(870)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(niceTicks(10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0.7)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(Number.NaN)).toEqual([0, 1]);
  });

  it('writes dates as day and month', () => {
    expect(shortDate('2025-03-01')).toBe('1 Mar');
    expect(shortDate('2025-12-31')).toBe('31 Dec');
    expect(shortDate('not a date')).toBe('not a date');
  });

  it('clips long labels with an ellipsis', () => {
    expect(clip('short', 10)).toBe('short');
    expect(clip('A very long title indeed', 10)).toBe('A very lo…');
  });

  it('escapes the five HTML special characters', () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;',
    );
  });
});
