import { DeviceRegisterSchema, QueueCreateSchema, UserCreateSchema } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import { parseOrThrow } from '../../domain/api-error.ts';
import { requireAdmin, requireUser } from '../../domain/auth.ts';
import type { Services } from '../services.ts';

/** Users, queues, devices and the mail outbox. */
export function adminRoutes(app: FastifyInstance, s: Services): void {
  const a = s.accounts;
  app.get('/api/v1/users', async (req) => ({ items: await a.listUsers(requireUser(req.auth)) }));
  app.post('/api/v1/users', async (req, reply) =>
    reply
      .status(201)
      .send(await a.createUser(requireAdmin(req.auth), parseOrThrow(UserCreateSchema, req.body))),
  );
  app.get('/api/v1/queues', async (req) => ({ items: await a.listQueues(requireUser(req.auth)) }));
  app.post('/api/v1/queues', async (req, reply) =>
    reply
      .status(201)
      .send(await a.createQueue(requireAdmin(req.auth), parseOrThrow(QueueCreateSchema, req.body))),
  );
  app.get('/api/v1/devices', async (req) => ({ items: await a.listDevices(requireUser(req.auth)) }));
  app.post('/api/v1/devices', async (req, reply) =>
    reply
      .status(201)
      .send(await a.registerDevice(requireUser(req.auth), parseOrThrow(DeviceRegisterSchema, req.body))),
  );
  app.get('/api/v1/admin/outbox', async (req) => ({ items: await a.listOutbox(requireAdmin(req.auth)) }));
}
