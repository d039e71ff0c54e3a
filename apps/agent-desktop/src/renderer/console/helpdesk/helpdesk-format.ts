import {
  TEMPLATE_PARAMETERS,
  TEMPLATE_PLACEHOLDER,
  type MailTemplateKind,
  type ReportRow,
} from '@beckon/protocol';

/** Seconds as h:mm:ss (a report's durations: the same in every language). */
export function formatDuration(totalSec: number): string {
  const s = Math.max(0, Math.round(totalSec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${h}:${pad(m)}:${pad(s % 60)}`;
}

/** `{{names}}` a template uses that its kind does not offer: the broker refuses them on save. */
export function unknownParameters(kind: MailTemplateKind, ...texts: string[]): string[] {
  const allowed = new Set(TEMPLATE_PARAMETERS[kind]);
  const found = new Set<string>();
  for (const text of texts)
    for (const m of text.matchAll(TEMPLATE_PLACEHOLDER)) if (m[1] && !allowed.has(m[1])) found.add(m[1]);
  return [...found];
}

/** Inserts `{{name}}` at the caret (or over the selection); returns the text and where the caret goes. */
export function insertParameter(
  text: string,
  name: string,
  start: number,
  end: number,
): { text: string; caret: number } {
  const token = `{{${name}}}`;
  return { text: text.slice(0, start) + token + text.slice(end), caret: start + token.length };
}

/** `YYYY-MM-DD` of an instant in a time zone. */
export function dayIn(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** The default report range: the last 30 calendar days in the zone, today included. */
export function defaultRange(now: Date, timeZone: string): { from: string; to: string } {
  const to = dayIn(now, timeZone);
  const [y, m, d] = to.split('-').map(Number) as [number, number, number];
  const from = new Date(Date.UTC(y, m - 1, d - 29)).toISOString().slice(0, 10);
  return { from, to };
}

/** One bar per row, scaled to the largest value; the label's key for React is its index. */
export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly width: number;
}

export function bars(
  rows: readonly ReportRow[],
  measure: 'sessions' | 'totalDurationSec',
  width: number,
): Bar[] {
  const max = Math.max(0, ...rows.map((r) => r[measure]));
  return rows.map((r) => ({
    label: r.label,
    value: r[measure],
    width: max > 0 && r[measure] > 0 ? Math.max(1, Math.round((r[measure] / max) * width)) : 0,
  }));
}

export function csvFileName(from: string, to: string): string {
  return `beckon-sessions-${from}-${to}.csv`.replace(/[^\w.-]/g, '_');
}
