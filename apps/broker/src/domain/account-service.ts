import {
  AuditAction,
  ErrorCode,
  type AgentDevice,
  type DeviceRegister,
  type Queue,
  type QueueCreate,
  type UserCreate,
  type UserPatch,
} from '@beckon/protocol';
import { randomUUID } from 'node:crypto';
import type { Storage } from '../storage/types.ts';
import { ApiError, fieldError, notFound } from './api-error.ts';
import { permissionsFor, type AuthContext } from './auth.ts';
import type { CredentialEvents } from './credential-events.ts';
import { hashPassword } from './passwords.ts';
import { userDraft } from './audit-rules.ts';

/** Users, queues and agent devices of one organisation. */
export class AccountService {
  private readonly storage: Storage;
  private readonly now: () => Date;
  private readonly credentials: CredentialEvents | undefined;
  constructor(storage: Storage, now: () => Date = () => new Date(), credentials?: CredentialEvents) {
    this.storage = storage;
    this.now = now;
    this.credentials = credentials;
  }

  listUsers(auth: AuthContext) {
    return this.storage.users.list(auth.user.orgId);
  }

  async createUser(auth: AuthContext, body: UserCreate) {
    const email = body.email.toLowerCase();
    if (await this.storage.users.byEmail(email))
      throw new ApiError(409, ErrorCode.CONFLICT, 'a user with this email exists');
    const user = {
      id: randomUUID(),
      orgId: auth.user.orgId,
      email,
      name: body.name,
      role: body.role,
      permissions: permissionsFor(body.role, body.permissions),
      passwordHash: await hashPassword(body.password),
      failedLogins: 0,
      lockedUntil: null,
      disabled: false,
      createdAt: this.now().toISOString(),
    };
    const { passwordHash: _p, failedLogins: _f, lockedUntil: _l, ...shown } = user;
    await this.storage.users.create(user, [
      userDraft(
        auth,
        AuditAction.USER_CREATED,
        { type: 'user', id: user.id },
        {
          email: shown.email,
          name: shown.name,
          role: shown.role,
          permissions: shown.permissions,
        },
        this.now(),
      ),
    ]);
    return shown;
  }

  /**
   * An administrator changes a user of their organisation. A role given
   * without permissions takes the role's defaults. Disabling, or a change of
   * role or permissions, is announced so that open sockets follow at once.
   */
  async updateUser(auth: AuthContext, userId: string, body: UserPatch) {
    const user = await this.storage.users.byId(userId);
    if (!user || user.orgId !== auth.user.orgId) throw notFound('no such user');
    if (user.id === auth.user.id && (body.disabled === true || (body.role && body.role !== user.role)))
      throw new ApiError(409, ErrorCode.CONFLICT, 'administrators cannot disable or demote themselves');
    const rights = body.role !== undefined || body.permissions !== undefined;
    const role = body.role ?? user.role;
    const permissions = rights ? permissionsFor(role, body.permissions) : user.permissions;
    await this.storage.users.update(
      user.id,
      {
        name: body.name,
        role: body.role,
        permissions: rights ? permissions : undefined,
        passwordHash: body.password === undefined ? undefined : await hashPassword(body.password),
        disabled: body.disabled,
      },
      [
        userDraft(
          auth,
          AuditAction.USER_UPDATED,
          { type: 'user', id: user.id },
          {
            name: body.name,
            role: body.role,
            permissions: rights ? permissions : undefined,
            passwordChanged: body.password === undefined ? undefined : true,
            disabled: body.disabled,
          },
          this.now(),
        ),
      ],
    );
    if (body.disabled === true) this.credentials?.emit({ type: 'user_closed', userId: user.id });
    else if (rights) this.credentials?.emit({ type: 'user_permissions', userId: user.id, permissions });
    const after = await this.storage.users.byId(user.id);
    if (!after) throw notFound('no such user');
    const { passwordHash: _p, failedLogins: _f, lockedUntil: _l, ...shown } = after;
    return shown;
  }

  listQueues(auth: AuthContext) {
    return this.storage.queues.list(auth.user.orgId);
  }

  async createQueue(auth: AuthContext, body: QueueCreate): Promise<Queue> {
    const members = body.memberIds ?? [];
    for (const [i, id] of members.entries()) {
      const user = await this.storage.users.byId(id);
      if (!user || user.orgId !== auth.user.orgId) throw fieldError(`memberIds.${i}`, 'no such user');
    }
    if ((await this.storage.queues.list(auth.user.orgId)).some((q) => q.name === body.name)) {
      throw new ApiError(409, ErrorCode.CONFLICT, 'a queue with this name exists');
    }
    const queue = {
      id: randomUUID(),
      name: body.name,
      memberIds: [...new Set(members)],
      createdAt: this.now().toISOString(),
    };
    await this.storage.queues.create(auth.user.orgId, queue, [
      userDraft(
        auth,
        AuditAction.QUEUE_CREATED,
        { type: 'queue', id: queue.id },
        {
          name: queue.name,
          memberIds: queue.memberIds,
        },
        this.now(),
      ),
    ]);
    return queue;
  }

  listDevices(auth: AuthContext) {
    return this.storage.devices.list(auth.user.orgId);
  }

  /** An agent app registers itself as a device of its user, so requests can be assigned to it. */
  async registerDevice(auth: AuthContext, body: DeviceRegister): Promise<AgentDevice> {
    const now = this.now().toISOString();
    const device = {
      id: randomUUID(),
      userId: auth.user.id,
      name: body.name,
      platform: body.platform,
      createdAt: now,
      lastSeenAt: now,
    };
    await this.storage.devices.register(auth.user.orgId, device);
    return device;
  }

  listOutbox(auth: AuthContext) {
    return this.storage.outbox.list(auth.user.orgId, 200);
  }
}
