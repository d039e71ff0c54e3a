import { z } from 'zod';
import { IdSchema, singleLine, TimeZoneSchema, TimestampSchema } from './common.ts';
import { RemotePermissionsSchema } from './permissions.ts';
import { wallAsUtc } from './zoned-time.ts';

/**
 * Unattended access (UA1–UA7): a grant an agent asks for in a live, consented
 * session, the customer approves on the computer, and the agent uses later
 * with nobody present, inside its window. The window is evaluated in the
 * grant's own IANA zone by `grantAdmits`, the one place that reads it; the
 * broker (at Connect) and the host (at admission, its word final) both call it.
 */

/**
 * UA3: `at_connection`: administrator credentials of the computer are typed
 * at the start of every unattended session (checked by the host's OS);
 * `at_setup`: the customer's own OS credentials, typed when approving,
 * authorise the grant, and the grant alone admits later.
 */
export const GrantModeSchema = z.enum(['at_connection', 'at_setup']);
export type GrantMode = z.infer<typeof GrantModeSchema>;

const DateSchema = z.iso.date().max(10);
const TimeOfDaySchema = z
  .string()
  .length(5)
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24 h)');

/** UA4: how long a grant lasts, counted in its zone's wall clock. */
export const GrantDurationSchema = z.discriminatedUnion('kind', [
  /** This many days from the approval, to the same wall-clock time (a DST change does not shift it). */
  z.strictObject({ kind: z.literal('days'), days: z.number().int().min(1).max(3650) }),
  /** From the first to the last day, both whole days, inclusive. */
  z
    .strictObject({ kind: z.literal('range'), from: DateSchema, to: DateSchema })
    .refine((r) => r.from <= r.to, { message: 'the range ends before it starts', path: ['to'] }),
  /** No end (at-connection mode only: UA5). */
  z.strictObject({ kind: z.literal('unlimited') }),
]);
export type GrantDuration = z.infer<typeof GrantDurationSchema>;

/** A daily window, wall clock in the grant's zone; `to` before `from` runs over midnight. */
export const DailyWindowSchema = z
  .strictObject({ from: TimeOfDaySchema, to: TimeOfDaySchema })
  .refine((d) => d.from !== d.to, { message: 'an empty daily window', path: ['to'] });
export type DailyWindow = z.infer<typeof DailyWindowSchema>;

/** When a grant admits: everything `grantAdmits` needs, and nothing else. */
export interface GrantWindow {
  /** The approval: nothing is admitted before it. */
  startsAtMs: number;
  duration: GrantDuration;
  daily: DailyWindow | null;
  /** The agent's or the customer's zone, as the agent chose (UA4). */
  timeZone: string;
}

export const GRANT_SETUP_CAP_DAYS = 14;
const DAY_MS = 86_400_000;

/** `POST /api/v1/session-requests/:id/unattended`: an agent's ask, in a live session (UA1). */
export const GrantAskSchema = z.strictObject({
  mode: GrantModeSchema,
  permissions: RemotePermissionsSchema,
  duration: GrantDurationSchema,
  daily: DailyWindowSchema.nullable().default(null),
  timeZone: TimeZoneSchema,
});
export type GrantAsk = z.infer<typeof GrantAskSchema>;

/**
 * UA5: with the customer's credentials (at setup) a grant lasts at most two
 * weeks; unlimited is for at-connection mode only. A message when the ask is
 * too long, null when it is within the cap. The broker refuses with it, and
 * the console's dialog shows the same words before anything is sent.
 */
export function grantCapViolation(ask: Pick<GrantAsk, 'mode' | 'duration'>): string | null {
  if (ask.mode !== 'at_setup') return null;
  const d = ask.duration;
  const tooLong = `with the customer's credentials a grant lasts at most ${GRANT_SETUP_CAP_DAYS} days`;
  if (d.kind === 'unlimited') return `${tooLong}; unlimited needs credentials at connection`;
  if (d.kind === 'days') return d.days > GRANT_SETUP_CAP_DAYS ? tooLong : null;
  const days = (Date.parse(d.to) - Date.parse(d.from)) / DAY_MS + 1;
  return days > GRANT_SETUP_CAP_DAYS ? tooLong : null;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Whether a grant's window admits at `instantMs`. Everything is read on the
 * wall clock of the grant's zone (Intl), so "09:00–17:00 Europe/Berlin" is
 * 08:00–16:00 UTC in winter and 07:00–15:00 UTC in summer, and "7 days"
 * ends at the same wall-clock time a week later across a DST change.
 */
export function grantAdmits(window: GrantWindow, instantMs: number): boolean {
  if (!Number.isFinite(instantMs) || instantMs < window.startsAtMs) return false;
  const wall = wallAsUtc(instantMs, window.timeZone);
  const d = window.duration;
  if (d.kind === 'days') {
    const startWall = wallAsUtc(window.startsAtMs, window.timeZone);
    if (wall >= startWall + d.days * DAY_MS) return false;
  } else if (d.kind === 'range') {
    const date = new Date(wall).toISOString().slice(0, 10);
    if (date < d.from || date > d.to) return false;
  }
  if (window.daily) {
    const m = Math.floor((wall % DAY_MS) / 60_000);
    const from = minutesOf(window.daily.from);
    const to = minutesOf(window.daily.to);
    const inside = from < to ? m >= from && m < to : m >= from || m < to;
    if (!inside) return false;
  }
  return true;
}

/** Where a grant stands, as the broker keeps it. */
export const GrantStatusSchema = z.enum(['pending', 'active', 'denied', 'revoked']);
export type GrantStatus = z.infer<typeof GrantStatusSchema>;

/** The read model of one grant (`GET /api/v1/hosts/:id/grants`). Never a password: there is none to keep. */
export const GrantSchema = z.strictObject({
  id: IdSchema,
  hostId: IdSchema,
  agent: z.strictObject({ id: IdSchema, name: z.string() }),
  mode: GrantModeSchema,
  permissions: RemotePermissionsSchema,
  duration: GrantDurationSchema,
  daily: DailyWindowSchema.nullable(),
  timeZone: z.string(),
  status: GrantStatusSchema,
  createdAt: TimestampSchema,
  approvedAt: TimestampSchema.nullable(),
  /** At setup: the OS user name the host verified, and when; the password is never sent or kept. */
  verifiedUser: z.string().nullable(),
  verifiedAt: TimestampSchema.nullable(),
  revokedAt: TimestampSchema.nullable(),
  revokedBy: z.string().nullable(),
  /** Inside its window right now (the broker's clock). */
  admitsNow: z.boolean(),
});
export type Grant = z.infer<typeof GrantSchema>;
/** `GET /api/v1/hosts/:id/grants`. */
export const GrantListSchema = z.strictObject({ items: z.array(GrantSchema) });

/** The window of a stored grant. */
export function windowOf(
  g: Pick<Grant, 'approvedAt' | 'duration' | 'daily' | 'timeZone'>,
): GrantWindow | null {
  if (!g.approvedAt) return null;
  return { startsAtMs: Date.parse(g.approvedAt), duration: g.duration, daily: g.daily, timeZone: g.timeZone };
}

/** `POST /api/v1/hosts/:id/connect` body: with nobody at the host, a reason is required (UA7). */
export const HostConnectSchema = z.strictObject({
  unattended: z
    .strictObject({
      /** A ticket reference or free text: why the agent connects while nobody is there. */
      reason: singleLine(500),
    })
    .optional(),
});
export type HostConnect = z.infer<typeof HostConnectSchema>;

/** `/api/v1/hosts/:id/grants/:grantId/…` */
export const GrantParamsSchema = z.strictObject({ id: IdSchema, grantId: IdSchema });
