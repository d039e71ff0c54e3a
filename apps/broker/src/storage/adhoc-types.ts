import type { AdhocEndReason, AdhocEvent, AdhocStatus, HostPresenceInfo, Language } from '@beckon/protocol';
import type { NewMail } from './request-types.ts';
import type { QueuedWebhookEvent } from './helpdesk-types.ts';

/** The ad-hoc support part of the Storage interface (see types.ts): each method one transaction. */

export interface AdhocRecord {
  id: string;
  orgId: string;
  providerId: string;
  userName: string;
  email: string;
  language: Language;
  comment: string | null;
  status: AdhocStatus;
  /** scrypt of the predefined password (domain/passwords.ts); the host gets it as its verifier. */
  passwordHash: string;
  hostId: string | null;
  createdAt: string;
  activatedAt: string | null;
  expiresAt: string | null;
  endedAt: string | null;
  endReason: AdhocEndReason | null;
  removedAt: string | null;
}

export interface AdhocLimits {
  seats: number;
  orgLimit: number;
}

export type AdhocCreateOutcome =
  { ok: true } | { ok: false; reason: 'provider_limit' | 'org_limit' | 'no_seat' };

export interface AdhocActivation {
  codeHash: string;
  now: string;
  expiresAt: string;
  removalTokenHash: string;
  /** The temporary host, added to managed_hosts in the same transaction. */
  host: { id: string; name: string; publicKey: string; presence: HostPresenceInfo };
}

export type AdhocActivateOutcome =
  { ok: true; session: AdhocRecord } | { ok: false; reason: 'invalid_code' | 'key_in_use' };

/**
 * The webhook of one record of a session (domain/adhoc-webhooks.ts), built from
 * the session as the record's transaction left it and queued in it.
 */
export type AdhocAnnouncer = (session: AdhocRecord, event: AdhocEvent) => QueuedWebhookEvent;

export interface AdhocStore {
  seats(orgId: string): Promise<number>;
  setSeats(orgId: string, seats: number): Promise<void>;
  /** Active sessions (created or activated) of the organisation: the seats in use. */
  activeCount(orgId: string): Promise<number>;
  /**
   * Adds the session with its created event and invite mail, if every limit
   * allows, checked in the same IMMEDIATE transaction (no race past a limit).
   */
  create(
    record: AdhocRecord,
    secrets: { codeHash: string; installTokenHash: string },
    limits: AdhocLimits,
    mail: NewMail,
    announce: AdhocAnnouncer,
  ): Promise<AdhocCreateOutcome>;
  get(orgId: string, id: string): Promise<AdhocRecord | null>;
  byInstallToken(tokenHash: string): Promise<AdhocRecord | null>;
  list(orgId: string): Promise<AdhocRecord[]>;
  events(id: string): Promise<AdhocEvent[]>;
  /** Uses the code (once, on a created session): binds the new host and starts the clock. */
  activate(a: AdhocActivation, announce: AdhocAnnouncer): Promise<AdhocActivateOutcome>;
  /**
   * Ends an active session (its temporary host's row is deleted with it, so
   * its key opens nothing any more): the ended record, or null if it was not active.
   */
  end(
    id: string,
    at: string,
    reason: AdhocEndReason,
    actorId: string | null,
    announce: AdhocAnnouncer,
  ): Promise<AdhocRecord | null>;
  /** Activated sessions whose time is up at `now`. */
  due(now: string): Promise<AdhocRecord[]>;
  /** The host's report, checked by its removal token: ends the session if needed, then marks it removed. */
  report(
    id: string,
    removalTokenHash: string,
    event: 'ended_by_user' | 'removed',
    at: string,
    announce: AdhocAnnouncer,
  ): Promise<AdhocRecord | null>;
  addEvent(
    id: string,
    kind: AdhocEvent['kind'],
    at: string,
    actorId: string | null,
    detail: string | null,
    announce: AdhocAnnouncer,
  ): Promise<void>;
  /** The session a temporary host belongs to, if any. */
  byHost(hostId: string): Promise<AdhocRecord | null>;
}
