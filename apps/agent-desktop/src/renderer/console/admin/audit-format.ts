import { zoneOffsetMs, type AuditEntry } from '@beckon/protocol';

/**
 * The instant a calendar day (YYYY-MM-DD) begins in an IANA zone, as ISO.
 * Twice through the offset, so a day whose start is near a DST change
 * lands on the zone's own midnight.
 */
export function dayStartIn(day: string, timeZone: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  let instant = wall - zoneOffsetMs(wall, timeZone);
  instant = wall - zoneOffsetMs(instant, timeZone);
  return new Date(instant).toISOString();
}

/** The day after a YYYY-MM-DD day: a "to" day is included whole. */
export function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** An entry's details as one line (`key: value`, values as JSON), for the table. */
export function detailsLine(details: AuditEntry['details']): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}

export function auditCsvFileName(now: Date): string {
  return `beckon-audit-${now.toISOString().slice(0, 10)}.csv`;
}
