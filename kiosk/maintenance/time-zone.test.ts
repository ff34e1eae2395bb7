import { describe, expect, it } from 'vitest';
import { dayIn, dayRange, formatTime, isTimeZone, zoneLabel } from './time-zone.ts';

describe('time zone', () => {
  const at = Date.parse('2026-11-22T16:30:00Z');
  it('shows a moment in WIB, WITA and WIT', () => {
    expect(formatTime(at, 'Asia/Jakarta')).toBe('2026-11-22 23:30 WIB');
    expect(formatTime(at, 'Asia/Makassar')).toBe('2026-11-23 00:30 WITA');
    expect(formatTime(at, 'Asia/Jayapura')).toBe('2026-11-23 01:30 WIT');
    expect(zoneLabel('Europe/Amsterdam', at)).toBe('UTC+01:00');
  });
  it('cuts days at the zone midnight', () => {
    expect(dayIn(at, 'Asia/Jakarta')).toBe('2026-11-22');
    expect(dayIn(at, 'Asia/Jayapura')).toBe('2026-11-23');
    expect(dayRange('2026-11-23', 'Asia/Jayapura')).toEqual({
      from: Date.parse('2026-11-22T15:00:00Z'),
      until: Date.parse('2026-11-23T15:00:00Z'),
    });
  });
  it('knows real zones only', () => {
    expect(isTimeZone('Asia/Jayapura')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
