/**
 * Times as the kiosk shows and prints them: in the kiosk's time zone (config `timeZone`, an IANA name;
 * `Asia/Jakarta` WIB, `Asia/Makassar` WITA, `Asia/Jayapura` WIT), never the machine's. Indonesia keeps no
 * daylight saving, but nothing here assumes it: offsets are read from the platform's time-zone data.
 */

/** The kiosk's time zone when the config names none. */
export const DEFAULT_TIME_ZONE = 'Asia/Jakarta';

/** The abbreviations Indonesians read on a clock. */
const ABBREVIATIONS: Record<string, string> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
};

/** Whether the platform knows this IANA time zone. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function parts(ms: number, timeZone: string): Record<string, string> {
  const out: Record<string, string> = {};
  const fmt = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  for (const p of fmt.formatToParts(ms)) out[p.type] = p.value;
  return out;
}

/** The zone's offset from UTC at that moment, in ms (WIB +7 h). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const p = parts(ms, timeZone);
  const asUtc = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** `WIB`, `WITA`, `WIT`, or `UTC+hh:mm` for a zone outside Indonesia. */
export function zoneLabel(timeZone: string, at = Date.now()): string {
  const known = ABBREVIATIONS[timeZone];
  if (known) return known;
  const off = zoneOffsetMs(at, timeZone) / 60_000;
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `UTC${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** `YYYY-MM-DD HH:mm WIB`: a moment as a technician reads it. */
export function formatTime(ms: number, timeZone: string): string {
  const p = parts(ms, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${zoneLabel(timeZone, ms)}`;
}

/** The day (`YYYY-MM-DD`) a moment falls in, in that zone. */
export function dayIn(ms: number, timeZone: string): string {
  const p = parts(ms, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** The start (inclusive) and end (exclusive) of a day in that zone, in ms since the epoch. */
export function dayRange(day: string, timeZone: string): { from: number; until: number } {
  const midnightUtc = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(midnightUtc)) throw new RangeError(`day must be YYYY-MM-DD: ${day}`);
  const from = midnightUtc - zoneOffsetMs(midnightUtc, timeZone);
  const next = midnightUtc + 86_400_000;
  return { from, until: next - zoneOffsetMs(next, timeZone) };
}
