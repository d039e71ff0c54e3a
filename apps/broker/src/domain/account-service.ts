import {
  ErrorCode,
  type AgentDevice,
  type DeviceRegister,
  type Queue,
  type QueueCreate,
  type UserCreate,
} from '@beckon/protocol';
import { randomUUID } from 'node:crypto';
import type { Storage } from '../storage/types.ts';
import { ApiError, fieldError } from './api-error.ts';
import { permissionsFor, type AuthContext } from './auth.ts';
import { hashPassword } from './passwords.ts';

/** Users, queues and agent devices of one organisation. */
export class AccountService {
  private readonly storage: Storage;
  private readonly now: () => Date;
  constructor(storage: Storage, now: () => Date = () => new Date()) {
    this.storage = storage;
    this.now = now;
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
    await this.storage.users.create(user);
    const { passwordHash: _p, failedLogins: _f, lockedUntil: _l, ...shown } = user;
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
    await this.storage.queues.create(auth.user.orgId, queue);
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
