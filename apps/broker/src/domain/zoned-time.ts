import { wallClock, zoneOffsetMs } from '@beckon/protocol';

/**
 * Calendar arithmetic in an IANA time zone (on the protocol's wall clock): a
 * local day's first instant, and an instant's local day. Days around a DST change
 * are 23 or 25 hours long, which is exactly why reports need this.
 */

/** The first instant of a local calendar day (`YYYY-MM-DD`), in UTC ms. */
export function startOfLocalDay(date: string, timeZone: string): number {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d);
  // Two passes: the offset at the guess may differ from the offset at the answer across a DST change.
  let t = wall - zoneOffsetMs(wall, timeZone);
  t = wall - zoneOffsetMs(t, timeZone);
  return t;
}

/** `YYYY-MM-DD` plus some days, on the calendar (no zone involved). */
export function addDays(date: string, days: number): string {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The local calendar day of an instant: `YYYY-MM-DD`. */
export function localDay(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** The ISO-8601 week of a calendar day: `YYYY-Www` (weeks start on Monday; the Thursday decides the year). */
export function isoWeek(date: string): string {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  const weekday = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${t.getUTCFullYear()}-W${pad(week)}`;
}
