import { describe, expect, it } from 'vitest';
import { timeZone } from '../src/time-zone.js';

describe('timeZone', () => {
  it('gives the calendar date of an instant in the reporting zone', () => {
    const kolkata = timeZone('Asia/Kolkata');
    expect(kolkata.dateOf(Date.parse('2025-03-11T18:29:59.999Z'))).toBe('2025-03-11');
    expect(kolkata.dateOf(Date.parse('2025-03-11T18:30:00.000Z'))).toBe('2025-03-12');
  });

  it('follows daylight saving in the reporting zone', () => {
    const la = timeZone('America/Los_Angeles');
    expect(la.dateOf(Date.parse('2025-03-09T07:59:59Z'))).toBe('2025-03-08');
    expect(la.dateOf(Date.parse('2025-03-09T08:00:00Z'))).toBe('2025-03-09');
    expect(la.dateOf(Date.parse('2025-07-02T06:59:59Z'))).toBe('2025-07-01');
    expect(la.dateOf(Date.parse('2025-07-02T07:00:00Z'))).toBe('2025-07-02');
  });

  it('gives the offset of a zone at an instant, also inside the hour of a change', () => {
    const ny = timeZone('America/New_York');
    expect(ny.offsetAt(Date.parse('2025-03-09T06:59:59.999Z'))).toBe(-5 * 3_600_000);
    expect(ny.offsetAt(Date.parse('2025-03-09T07:00:00Z'))).toBe(-4 * 3_600_000);
    // Lord Howe changes by half an hour, at 02:00 local.
    const lordHowe = timeZone('Australia/Lord_Howe');
    expect(lordHowe.offsetAt(Date.parse('2025-04-05T14:59:59Z'))).toBe(11 * 3_600_000);
    expect(lordHowe.offsetAt(Date.parse('2025-04-05T15:00:00Z'))).toBe(10.5 * 3_600_000);
  });

  it('agrees with Intl on every hour of a year in several zones', () => {
    for (const name of [
      'America/New_York',
      'Europe/Berlin',
      'Asia/Kolkata',
      'Australia/Lord_Howe',
      'America/Sao_Paulo',
    ]) {
      const zone = timeZone(name);
      const format = new Intl.DateTimeFormat('sv-SE', { timeZone: name, dateStyle: 'short' });
      for (
        let t = Date.parse('2025-01-01T00:30:00Z');
        t < Date.parse('2026-01-01T00:00:00Z');
        t += 3_600_000
      ) {
        expect(zone.dateOf(t)).toBe(format.format(t));
      }
    }
  });

  it('returns the same zone object for the same name', () => {
    expect(timeZone('Europe/Berlin')).toBe(timeZone('Europe/Berlin'));
  });
});
