import {
  AccountPermission,
  ALL_HOST_RIGHTS,
  EnrolmentCodeCreateSchema,
  ErrorCode,
  generateToken,
  HostEnrolSchema,
  HostGroupCreateSchema,
  HostGroupRightsBodySchema,
  HostListQuerySchema,
  HostPatchSchema,
  NO_HOST_RIGHTS,
  Role,
  type EnrolmentCodeOut,
  type HostDetail,
  type HostGroup,
  type HostGroupRightsList,
  type HostList,
  type HostPresenceInfo,
  type HostRights,
  type HostServerMessage,
  type HostSummary,
  type LiveServerMessage,
  type RemotePermission,
  type SessionRequestSummary,
  type SystemInfo,
} from '@beckon/protocol';
import { randomUUID } from 'node:crypto';
import { keyFingerprint, publicKeyFromRaw } from '../hosts/host-keys.ts';
import type { HostRecord } from '../storage/host-types.ts';
import type { Storage } from '../storage/types.ts';
import { ApiError, fieldError, forbidden, notFound, parseOrThrow } from './api-error.ts';
import { requireAdmin, requireAdminOr, type AuthContext } from './auth.ts';
import { hashToken } from './secrets.ts';

/** What the host channel knows that storage does not: who is connected now. */
export interface HostPresenceView {
  isOnline(hostId: string): boolean;
  /** The presence the host reported on its open socket, if newer than storage's. */
  presenceOf(hostId: string): HostPresenceInfo | null;
  /** The last-seen time not yet in storage (presence is written in batches). */
  lastSeenOf(hostId: string): string | null;
  /** Closes the host's socket at once: its key no longer opens anything. */
  revoke(hostId: string): void;
  /** Sends to a connected host; false if it is not connected. */
  offer(hostId: string, message: HostServerMessage): boolean;
  systemInfo(hostId: string, id: string): Promise<SystemInfo | null>;
}

/** Creates the session request an agent's Connect to a host becomes (RequestService.create). */
export type CreateRequest = (ctx: AuthContext, input: unknown) => Promise<SessionRequestSummary>;

/** Hosts are seen by those who may see requests (the live channel's rule too); admins always. */
const viewer = (ctx: AuthContext | null) => requireAdminOr(ctx, AccountPermission.REQUESTS_VIEW);

type HostListener = (orgId: string, message: LiveServerMessage) => void;

/** What the host service is given by the broker's wiring; a bare service sees every host offline. */
export interface HostServiceWiring {
  presence?: HostPresenceView;
  providerOf?: (hostId: string) => Promise<string | null>;
  onConnect?: (hostId: string, userId: string) => void;
}

const NOBODY_ONLINE: HostPresenceView = {
  isOnline: () => false,
  presenceOf: () => null,
  lastSeenOf: () => null,
  revoke: () => {},
  offer: () => false,
  systemInfo: async () => null,
};

/**
 * The rules of managed hosts (UA, AH): enrolment, the registry, groups and
 * the agents' rights per group. Everything is scoped to the caller's
 * organisation; a host of another organisation is "not found".
 */
export class HostService {
  private readonly storage: Storage;
  private readonly now: () => Date;
  private readonly listeners = new Set<HostListener>();
  /** Who is online, from the hosts' own sockets (the host hub). */
  readonly presence: HostPresenceView;
  /**
   * A temporary host's provider may do everything on it while the ad-hoc
   * session is active (AH8): AdhocService's rule.
   */
  private readonly providerOf: (hostId: string) => Promise<string | null>;
  /** Hears each connection made to a host (ad-hoc sessions record them). */
  private readonly onConnect: (hostId: string, userId: string) => void;

  constructor(storage: Storage, now: () => Date, wiring: HostServiceWiring = {}) {
    this.storage = storage;
    this.now = now;
    this.presence = wiring.presence ?? NOBODY_ONLINE;
    this.providerOf = wiring.providerOf ?? (async () => null);
    this.onConnect = wiring.onConnect ?? (() => {});
  }

  /** Hears every change of a host: the live channel pushes it to the organisation's agents. */
  onChange(listener: HostListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  summary(h: HostRecord): HostSummary {
    return {
      id: h.id,
      name: h.name,
      groupId: h.groupId,
      tags: h.tags,
      online: this.presence.isOnline(h.id),
      lastSeenAt: this.presence.lastSeenOf(h.id) ?? h.lastSeenAt,
      enrolledAt: h.enrolledAt,
      keyFingerprint: keyFingerprint(h.publicKey),
      presence: this.presence.presenceOf(h.id) ?? h.presence,
    };
  }

  /** The host channel calls this when a host came, went, or reported new presence. */
  async presenceChanged(hostId: string, lastSeenAt?: string): Promise<void> {
    if (this.listeners.size === 0) return;
    const host = await this.storage.hosts.byId(hostId);
    if (!host) return;
    const summary = this.summary(host);
    if (lastSeenAt) summary.lastSeenAt = lastSeenAt;
    this.emit(host.orgId, { type: 'host_changed', host: summary });
  }

  async createEnrolmentCode(ctx: AuthContext | null, input: unknown): Promise<EnrolmentCodeOut> {
    const auth = requireAdmin(ctx);
    const body = parseOrThrow(EnrolmentCodeCreateSchema, input);
    const groupId = body.groupId ?? null;
    if (groupId && !(await this.storage.hosts.group(auth.user.orgId, groupId)))
      throw fieldError('groupId', 'no such group');
    const code = generateToken();
    const now = this.now();
    const expiresAt = new Date(now.getTime() + body.ttlMinutes * 60_000).toISOString();
    await this.storage.hosts.addEnrolmentCode({
      codeHash: hashToken(code),
      orgId: auth.user.orgId,
      groupId,
      createdBy: auth.user.id,
      createdAt: now.toISOString(),
      expiresAt,
    });
    return { code, expiresAt };
  }

  /** A host enrols itself with a code and its public key; the private key stays on the computer. */
  async enrol(input: unknown): Promise<{ hostId: string }> {
    const body = parseOrThrow(HostEnrolSchema, input);
    if (!publicKeyFromRaw(body.publicKey)) throw fieldError('publicKey', 'not an Ed25519 public key');
    const now = this.now().toISOString();
    const outcome = await this.storage.hosts.enrol(hashToken(body.code), now, {
      id: randomUUID(),
      name: body.name,
      publicKey: body.publicKey,
      presence: body.presence,
      enrolledAt: now,
    });
    if (!outcome.ok) {
      if (outcome.reason === 'key_in_use')
        throw new ApiError(409, ErrorCode.CONFLICT, 'this key is already enrolled');
      throw new ApiError(401, ErrorCode.INVALID_CODE, 'unknown, used or expired enrolment code');
    }
    this.emit(outcome.host.orgId, { type: 'host_changed', host: this.summary(outcome.host) });
    return { hostId: outcome.host.id };
  }

  async list(ctx: AuthContext | null, query: unknown): Promise<HostList> {
    const auth = viewer(ctx);
    const q = parseOrThrow(HostListQuerySchema, query);
    const rows = await this.storage.hosts.list({
      orgId: auth.user.orgId,
      q: q.q?.trim() || undefined,
      group: q.group,
      tag: q.tag,
      after: q.cursor ? decodeCursor(q.cursor) : undefined,
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      items: page.map((h) => this.summary(h)),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null,
    };
  }

  async get(ctx: AuthContext | null, id: string): Promise<HostDetail> {
    const auth = viewer(ctx);
    const host = await this.own(auth, id);
    return { ...this.summary(host), rights: await this.rightsOf(auth, host) };
  }

  /** What this agent may do on this host: admins everything, others what the host's group gives them. */
  async rightsOf(auth: AuthContext, host: HostRecord): Promise<HostRights> {
    if (auth.user.role === Role.ADMIN) return ALL_HOST_RIGHTS;
    if ((await this.providerOf(host.id)) === auth.user.id) return ALL_HOST_RIGHTS;
    if (!host.groupId) return NO_HOST_RIGHTS;
    return (await this.storage.hosts.rights(host.groupId, auth.user.id)) ?? NO_HOST_RIGHTS;
  }

  async patch(ctx: AuthContext | null, id: string, input: unknown): Promise<HostSummary> {
    const auth = requireAdmin(ctx);
    const patch = parseOrThrow(HostPatchSchema, input);
    if (patch.groupId && !(await this.storage.hosts.group(auth.user.orgId, patch.groupId)))
      throw fieldError('groupId', 'no such group');
    const host = await this.storage.hosts.update(auth.user.orgId, id, patch);
    if (!host) throw notFound('no such host');
    const summary = this.summary(host);
    this.emit(host.orgId, { type: 'host_changed', host: summary });
    return summary;
  }

  /** Deletes the host: its key is refused from now on, and its open socket is closed at once. */
  async remove(ctx: AuthContext | null, id: string): Promise<void> {
    const auth = requireAdmin(ctx);
    if (!(await this.storage.hosts.delete(auth.user.orgId, id))) throw notFound('no such host');
    this.presence.revoke(id);
    this.emit(auth.user.orgId, { type: 'host_removed', hostId: id });
  }

  async groups(ctx: AuthContext | null): Promise<HostGroup[]> {
    const auth = viewer(ctx);
    return (await this.storage.hosts.groups(auth.user.orgId)).map(({ orgId: _o, ...g }) => g);
  }

  async createGroup(ctx: AuthContext | null, input: unknown): Promise<HostGroup> {
    const auth = requireAdmin(ctx);
    const body = parseOrThrow(HostGroupCreateSchema, input);
    const group = {
      id: randomUUID(),
      orgId: auth.user.orgId,
      name: body.name,
      createdAt: this.now().toISOString(),
    };
    if (!(await this.storage.hosts.createGroup(group)))
      throw new ApiError(409, ErrorCode.CONFLICT, 'a group with this name exists');
    const { orgId: _o, ...out } = group;
    return out;
  }

  async groupRights(ctx: AuthContext | null, groupId: string): Promise<HostGroupRightsList> {
    const auth = requireAdmin(ctx);
    if (!(await this.storage.hosts.group(auth.user.orgId, groupId))) throw notFound('no such group');
    return { items: await this.storage.hosts.groupRights(groupId) };
  }

  async setRights(
    ctx: AuthContext | null,
    groupId: string,
    userId: string,
    input: unknown,
  ): Promise<HostRights> {
    const auth = requireAdmin(ctx);
    const rights = parseOrThrow(HostGroupRightsBodySchema, input);
    if (!(await this.storage.hosts.group(auth.user.orgId, groupId))) throw notFound('no such group');
    const user = await this.storage.users.byId(userId);
    if (!user || user.orgId !== auth.user.orgId) throw notFound('no such user');
    // Control, files and system information are all ways of connecting.
    const effective = rights.connect ? rights : NO_HOST_RIGHTS;
    await this.storage.hosts.setRights(groupId, userId, effective);
    return effective;
  }

  /**
   * An agent's Connect: a session request for the host, offered to it over its
   * socket. The host joins it like any assist client and decides by the one
   * consent policy; without a grant that means asking the person, and no
   * answer admits nothing.
   */
  async connect(
    ctx: AuthContext | null,
    id: string,
    createRequest: CreateRequest,
    /** An unattended connect the grant service admitted (UA7): the host checks the grant again. */
    unattended?: { grantId: string; reason: string },
  ): Promise<SessionRequestSummary> {
    const auth = viewer(ctx);
    const host = await this.own(auth, id);
    const rights = await this.rightsOf(auth, host);
    if (!rights.connect) throw forbidden('no right to connect to this host');
    if (!this.presence.isOnline(host.id))
      throw new ApiError(409, ErrorCode.PEER_ABSENT, 'the host is offline');
    const permissions: RemotePermission[] = ['view'];
    if (rights.control) permissions.push('control');
    if (rights.files) permissions.push('file_transfer');
    if (rights.systemInfo) permissions.push('system_info');
    const request = await createRequest(auth, { recipientName: host.name, permissions });
    const offer: HostServerMessage = { type: 'session_offer', requestId: request.id, code: request.code };
    if (unattended) offer.unattended = unattended;
    if (!this.presence.offer(host.id, offer))
      throw new ApiError(409, ErrorCode.PEER_ABSENT, 'the host went offline');
    this.onConnect(host.id, auth.user.id);
    return request;
  }

  /** System information, asked of the host now (it must be online, and the agent allowed). */
  async systemInfo(ctx: AuthContext | null, id: string): Promise<SystemInfo> {
    const auth = viewer(ctx);
    const host = await this.own(auth, id);
    if (!(await this.rightsOf(auth, host)).systemInfo) throw forbidden('no right to see system information');
    const info = await this.presence.systemInfo(host.id, randomUUID());
    if (!info) throw new ApiError(409, ErrorCode.PEER_ABSENT, 'the host did not answer');
    return info;
  }

  /** The host, if it is in the caller's organisation. */
  async own(auth: AuthContext, id: string): Promise<HostRecord> {
    const host = await this.storage.hosts.byId(id);
    if (!host || host.orgId !== auth.user.orgId) throw notFound('no such host');
    return host;
  }

  private emit(orgId: string, message: LiveServerMessage): void {
    for (const l of this.listeners) l(orgId, message);
  }
}

function encodeCursor(h: HostRecord): string {
  return Buffer.from(JSON.stringify([h.name, h.id])).toString('base64url');
}

function decodeCursor(cursor: string): { name: string; id: string } {
  try {
    const [name, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof name === 'string' && typeof id === 'string') return { name, id };
  } catch {
    // fall through
  }
  throw fieldError('cursor', 'not a cursor from this list');
}
