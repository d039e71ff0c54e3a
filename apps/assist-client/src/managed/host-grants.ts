import {
  DailyWindowSchema,
  grantAdmits,
  GrantDurationSchema,
  GrantModeSchema,
  RemotePermissionsSchema,
  type ConsentGrant,
} from '@beckon/protocol';
import { existsSync, readFileSync, unwatchFile, watchFile } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeSecretFile } from './host-key.ts';

/**
 * The unattended-access grants this computer holds (UA6), kept by the host
 * itself in an owner-only file beside its key: the host decides by its own
 * copy, whatever a broker says. No password is ever written: at setup only
 * the user name the OS verified, and when.
 */
export const GRANTS_FILE = 'grants.json';

const HeldGrantSchema = z.strictObject({
  id: z.uuid(),
  agentId: z.string().min(1).max(64),
  agentName: z.string().max(200),
  orgName: z.string().max(200),
  mode: GrantModeSchema,
  permissions: RemotePermissionsSchema,
  duration: GrantDurationSchema,
  daily: DailyWindowSchema.nullable(),
  timeZone: z.string().max(64),
  approvedAt: z.iso.datetime({ offset: true }),
  verifiedUser: z.string().nullable(),
  verifiedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type HeldGrant = z.infer<typeof HeldGrantSchema>;
const FileSchema = z.strictObject({ grants: z.array(HeldGrantSchema) });

export function readGrants(stateDir: string): HeldGrant[] {
  const file = join(stateDir, GRANTS_FILE);
  if (!existsSync(file)) return [];
  return FileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).grants;
}

export function writeGrants(stateDir: string, grants: HeldGrant[]): void {
  writeSecretFile(join(stateDir, GRANTS_FILE), `${JSON.stringify({ grants }, null, 2)}\n`);
}

/** Removes one grant; false if it was not held. */
export function removeGrant(stateDir: string, id: string): boolean {
  const grants = readGrants(stateDir);
  const left = grants.filter((g) => g.id !== id);
  if (left.length === grants.length) return false;
  writeGrants(stateDir, left);
  return true;
}

/** A held grant as the consent policy reads it. */
export function consentGrantOf(g: HeldGrant): ConsentGrant {
  return {
    kind: 'unattended',
    agentId: g.agentId,
    permissions: g.permissions,
    window: {
      startsAtMs: Date.parse(g.approvedAt),
      duration: g.duration,
      daily: g.daily,
      timeZone: g.timeZone,
    },
  };
}

/** Whether this held grant admits at `nowMs` (the host's own check, final). */
export function heldGrantAdmits(g: HeldGrant, nowMs: number): boolean {
  return grantAdmits(consentGrantOf(g).window, nowMs);
}

/**
 * Tells `onRemoved` of every grant that left the file, within `intervalMs`:
 * a `grants revoke` run in another process (the customer's CLI) ends a
 * session under it in the running host at once.
 */
export function watchGrants(
  stateDir: string,
  onRemoved: (ids: string[]) => void,
  intervalMs = 100,
): () => void {
  const file = join(stateDir, GRANTS_FILE);
  let known = new Set(readGrants(stateDir).map((g) => g.id));
  const listener = () => {
    let now: Set<string>;
    try {
      now = new Set(readGrants(stateDir).map((g) => g.id));
    } catch {
      return; // mid-write or damaged: the next look decides
    }
    const gone = [...known].filter((id) => !now.has(id));
    known = now;
    if (gone.length) onRemoved(gone);
  };
  watchFile(file, { interval: intervalMs, persistent: false }, listener);
  return () => unwatchFile(file, listener);
}

/** The grant's window as a person reads it, in this computer's own time zone (UA6). */
export function describeWindow(
  g: Pick<HeldGrant, 'duration' | 'daily' | 'timeZone'>,
  startsAtMs: number,
  localZone = Intl.DateTimeFormat().resolvedOptions().timeZone,
): string {
  const fmt = (ms: number) =>
    new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: localZone }).format(
      ms,
    );
  const d = g.duration;
  const span =
    d.kind === 'unlimited'
      ? `from ${fmt(startsAtMs)}, with no end`
      : d.kind === 'days'
        ? `for ${d.days} day${d.days === 1 ? '' : 's'} from ${fmt(startsAtMs)}`
        : `from ${d.from} to ${d.to} (${g.timeZone})`;
  const daily = g.daily ? `, daily ${g.daily.from}–${g.daily.to} ${g.timeZone} time` : '';
  return `${span}${daily} (your time zone: ${localZone})`;
}
