/**
 * `<input type="datetime-local">` speaks wall-clock time without a zone. The
 * agent works in *their* chosen zone, which need not be the computer's, so
 * wall times are converted here with Intl instead of the Date's local zone.
 */

import { wallAsUtc, zoneOffsetMs } from '@beckon/protocol';

export { zoneOffsetMs };

const DAY_MS = 24 * 3600_000;
const WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * `2030-03-31T02:30` in `Europe/Berlin` → an ISO instant, or null for text that
 * is not a wall time. Like Temporal's "compatible" choice: a time a DST jump
 * skips moves forward by the jump; a time that happens twice is the first one.
 */
export function wallTimeToIso(wall: string, timeZone: string): string | null {
  const m = WALL.exec(wall.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, Number.isNaN(s) ? 0 : s);
  if (Number.isNaN(asUtc)) return null;
  // The offsets a day before and after bracket any DST change near this time.
  const before = zoneOffsetMs(asUtc - DAY_MS, timeZone);
  const after = zoneOffsetMs(asUtc + DAY_MS, timeZone);
  const valid = [asUtc - before, asUtc - after].filter((t) => wallAsUtc(t, timeZone) === asUtc);
  // Skipped: read the wall time with the offset from before the jump.
  const instant = valid.length ? Math.min(...valid) : asUtc - before;
  return new Date(instant).toISOString();
}

/** An instant as `YYYY-MM-DDTHH:mm` on the wall clock of `timeZone` (for an input's value). */
export function isoToWallTime(epochMs: number, timeZone: string): string {
  return new Date(wallAsUtc(epochMs, timeZone)).toISOString().slice(0, 16);
}
