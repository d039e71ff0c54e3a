import type { HostPresenceInfo, HostRights } from '@beckon/protocol';

/** The managed-hosts part of the Storage interface (see types.ts): each method one transaction. */

export interface HostRecord {
  id: string;
  orgId: string;
  name: string;
  groupId: string | null;
  tags: string[];
  /** The Ed25519 public key, 32 raw bytes in base64url. Never a private key. */
  publicKey: string;
  presence: HostPresenceInfo | null;
  enrolledAt: string;
  lastSeenAt: string | null;
}

export interface HostListFilter {
  orgId: string;
  q?: string;
  /** A group id, or 'none' for hosts in no group. */
  group?: string;
  tag?: string;
  /** Hosts after this one in (name, id) order. */
  after?: { name: string; id: string };
  limit: number;
}

export interface EnrolmentCodeRecord {
  codeHash: string;
  orgId: string;
  groupId: string | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
}

export interface HostGroupRecord {
  id: string;
  orgId: string;
  name: string;
  createdAt: string;
}

export type EnrolOutcome =
  { ok: true; host: HostRecord } | { ok: false; reason: 'invalid_code' | 'key_in_use' };

export interface HostStore {
  addEnrolmentCode(code: EnrolmentCodeRecord): Promise<void>;
  /**
   * Uses the code (once, if not expired at `now`) and adds the host in its
   * organisation and group, in one transaction: a refused enrolment changes nothing.
   */
  enrol(
    codeHash: string,
    now: string,
    host: Pick<HostRecord, 'id' | 'name' | 'publicKey' | 'presence' | 'enrolledAt'>,
  ): Promise<EnrolOutcome>;
  byId(id: string): Promise<HostRecord | null>;
  list(filter: HostListFilter): Promise<HostRecord[]>;
  update(
    orgId: string,
    id: string,
    patch: { name?: string; tags?: string[]; groupId?: string | null },
  ): Promise<HostRecord | null>;
  /** Deletes the host and so its key: false if it was not there. */
  delete(orgId: string, id: string): Promise<boolean>;
  /** Replaces the key only if it is still `oldKey` (a rotation that raced a delete changes nothing). */
  rotateKey(id: string, oldKey: string, newKey: string): Promise<boolean>;
  /** Last-seen times and presence of many hosts in one commit (presence is written in batches). */
  touchMany(entries: { id: string; lastSeenAt: string; presence?: HostPresenceInfo }[]): Promise<void>;
  createGroup(group: HostGroupRecord): Promise<boolean>;
  groups(orgId: string): Promise<HostGroupRecord[]>;
  group(orgId: string, id: string): Promise<HostGroupRecord | null>;
  setRights(groupId: string, userId: string, rights: HostRights): Promise<void>;
  rights(groupId: string, userId: string): Promise<HostRights | null>;
}
