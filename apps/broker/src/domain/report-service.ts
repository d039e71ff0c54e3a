import {
  MAX_REPORT_RANGE_DAYS,
  ApiScope,
  ReportQuerySchema,
  type ReportGroupBy,
  type ReportRow,
  type SessionReport,
} from '@beckon/protocol';
import type { ReportSession } from '../storage/helpdesk-types.ts';
import type { Storage } from '../storage/types.ts';
import { fieldError, parseOrThrow } from './api-error.ts';
import { authorize, type ApiTokenContext } from './api-tokens.ts';
import type { AuthContext } from './auth.ts';
import { addDays, isoWeek, localDay, startOfLocalDay } from './zoned-time.ts';

const DAY_MS = 86_400_000;

type Caller = { auth: AuthContext | null; token: ApiTokenContext | null };
type Dimension = (s: ReportSession, tz: string) => { key: string | null; label: string };

const ticketField =
  (field: 'category' | 'type' | 'priority' | 'source'): Dimension =>
  (s) => {
    const value = s.ticket?.[field] ?? null;
    return { key: value, label: value ?? '(none)' };
  };

const DIMENSIONS: Record<ReportGroupBy, Dimension> = {
  technician: (s) => ({ key: s.agentId, label: s.agentName ?? '(unknown)' }),
  day: (s, tz) => {
    const day = localDay(Date.parse(s.startedAt), tz);
    return { key: day, label: day };
  },
  week: (s, tz) => {
    const week = isoWeek(localDay(Date.parse(s.startedAt), tz));
    return { key: week, label: week };
  },
  month: (s, tz) => {
    const month = localDay(Date.parse(s.startedAt), tz).slice(0, 7);
    return { key: month, label: month };
  },
  category: ticketField('category'),
  type: ticketField('type'),
  priority: ticketField('priority'),
  source: ticketField('source'),
};

const TIME_GROUPS: ReadonlySet<ReportGroupBy> = new Set(['day', 'week', 'month']);

/** Durations are summed in whole ms, so totals are exact; seconds are shown with ms precision. */
function row(key: string | null, label: string, sessions: number, totalMs: number): ReportRow {
  return {
    key,
    label,
    sessions,
    totalDurationSec: totalMs / 1000,
    averageDurationSec: sessions ? Math.round(totalMs / sessions) / 1000 : 0,
  };
}

function breakdown(sessions: ReportSession[], by: ReportGroupBy, tz: string): ReportRow[] {
  const groups = new Map<string, { key: string | null; label: string; n: number; ms: number }>();
  for (const s of sessions) {
    const { key, label } = DIMENSIONS[by](s, tz);
    const id = key ?? '\u0000none';
    const g = groups.get(id) ?? { key, label, n: 0, ms: 0 };
    g.n += 1;
    g.ms += s.durationMs;
    groups.set(id, g);
  }
  const rows = [...groups.values()].map((g) => row(g.key, g.label, g.n, g.ms));
  // Time in order; everything else busiest first.
  return TIME_GROUPS.has(by)
    ? rows.sort((a, b) => (a.key ?? '').localeCompare(b.key ?? ''))
    : rows.sort((a, b) => b.sessions - a.sessions || a.label.localeCompare(b.label));
}

/**
 * Session reports (SC8): ended sessions whose start lies in the range, by
 * technician and date range in an explicit time zone, with breakdowns by the
 * ticket's category, type, priority and source.
 */
export class ReportService {
  private readonly storage: Storage;
  constructor(storage: Storage) {
    this.storage = storage;
  }

  async sessions(caller: Caller, query: unknown): Promise<SessionReport> {
    const p = authorize(caller.auth, caller.token, ApiScope.REPORTS_READ);
    const q = parseOrThrow(ReportQuerySchema, query);
    // A day is the local calendar day in tz; `to` as a day includes that whole day.
    const bound = (v: string, end: boolean) =>
      v.length === 10 ? startOfLocalDay(end ? addDays(v, 1) : v, q.tz) : Date.parse(v);
    const from = bound(q.from, false);
    const to = bound(q.to, true);
    if (!(to > from)) throw fieldError('to', 'must be after from');
    if (to - from > MAX_REPORT_RANGE_DAYS * DAY_MS)
      throw fieldError('to', `the range may span at most ${MAX_REPORT_RANGE_DAYS} days`);
    const sessions = await this.storage.sessions.forReport(
      p.orgId,
      new Date(from).toISOString(),
      new Date(to).toISOString(),
      q.technician ?? null,
    );
    const totalMs = sessions.reduce((sum, s) => sum + s.durationMs, 0);
    const totals = row(null, 'all', sessions.length, totalMs);
    return {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      tz: q.tz,
      technician: q.technician ?? null,
      groupBy: q.groupBy,
      totals: {
        sessions: totals.sessions,
        totalDurationSec: totals.totalDurationSec,
        averageDurationSec: totals.averageDurationSec,
      },
      groups: breakdown(sessions, q.groupBy, q.tz),
      byTechnician: breakdown(sessions, 'technician', q.tz),
      byCategory: breakdown(sessions, 'category', q.tz),
      byType: breakdown(sessions, 'type', q.tz),
      byPriority: breakdown(sessions, 'priority', q.tz),
      bySource: breakdown(sessions, 'source', q.tz),
    };
  }
}

/**
 * A field for a CSV cell: quoted when needed, and defused when it would start
 * a spreadsheet formula (ticket categories come from outside).
 */
export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The report as CSV: one row per group of every breakdown, totals first. */
export function reportCsv(r: SessionReport): string {
  const header = ['section', 'key', 'label', 'sessions', 'total_duration_sec', 'average_duration_sec'];
  const lines = [header.join(',')];
  const add = (section: string, rows: ReportRow[]) => {
    for (const x of rows)
      lines.push(
        [section, x.key, x.label, x.sessions, x.totalDurationSec, x.averageDurationSec]
          .map(csvCell)
          .join(','),
      );
  };
  add('total', [
    row(
      null,
      `${r.from} – ${r.to} (${r.tz})`,
      r.totals.sessions,
      Math.round(r.totals.totalDurationSec * 1000),
    ),
  ]);
  add(`by_${r.groupBy}`, r.groups);
  add('technician', r.byTechnician);
  add('category', r.byCategory);
  add('type', r.byType);
  add('priority', r.byPriority);
  add('source', r.bySource);
  return lines.join('\r\n') + '\r\n';
}
