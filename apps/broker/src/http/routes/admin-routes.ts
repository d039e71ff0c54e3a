import {
  AccountPermission,
  DeviceRegisterSchema,
  IdParamsSchema,
  QueueCreateSchema,
  UserCreateSchema,
  UserPatchSchema,
} from '@beckon/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseOrThrow } from '../../domain/api-error.ts';
import { requireAdmin, requireAdminOr } from '../../domain/auth.ts';
import type { Services } from '../services.ts';

/**
 * Users, queues, devices and the mail outbox. Each answers only what the
 * caller's permissions need: the user list (emails, roles) is the admins';
 * queues and devices are assignment targets, so they need the right to see
 * requests, and so does registering a device to receive them.
 */
export function adminRoutes(app: FastifyInstance, s: Services): void {
  const a = s.accounts;
  const viewer = (req: FastifyRequest) => requireAdminOr(req.auth, AccountPermission.REQUESTS_VIEW);
  app.get('/api/v1/users', async (req) => ({ items: await a.listUsers(requireAdmin(req.auth)) }));
  app.post('/api/v1/users', async (req, reply) =>
    reply
      .status(201)
      .send(await a.createUser(requireAdmin(req.auth), parseOrThrow(UserCreateSchema, req.body))),
  );
  app.patch<{ Params: { id: string } }>('/api/v1/users/:id', async (req) => {
    const { id } = parseOrThrow(IdParamsSchema, req.params);
    return a.updateUser(requireAdmin(req.auth), id, parseOrThrow(UserPatchSchema, req.body));
  });
  app.post<{ Params: { id: string } }>('/api/v1/users/:id/unlock', async (req, reply) => {
    const { id } = parseOrThrow(IdParamsSchema, req.params);
    await s.auth.unlock(req.auth, id);
    return reply.status(204).send();
  });
  app.get('/api/v1/queues', async (req) => ({ items: await a.listQueues(viewer(req)) }));
  app.post('/api/v1/queues', async (req, reply) =>
    reply
      .status(201)
      .send(await a.createQueue(requireAdmin(req.auth), parseOrThrow(QueueCreateSchema, req.body))),
  );
  app.get('/api/v1/devices', async (req) => ({ items: await a.listDevices(viewer(req)) }));
  app.post('/api/v1/devices', async (req, reply) =>
    reply.status(201).send(await a.registerDevice(viewer(req), parseOrThrow(DeviceRegisterSchema, req.body))),
  );
  app.get('/api/v1/admin/outbox', async (req) => ({ items: await a.listOutbox(requireAdmin(req.auth)) }));
}
