import { IdParamsSchema, UserIdParamsSchema } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import { parseOrThrow } from '../../domain/api-error.ts';
import type { HostService } from '../../domain/host-service.ts';
import type { RequestService } from '../../domain/request-service.ts';

/**
 * Managed hosts (`/api/v1/hosts`), their groups and enrolment. Enrolment is
 * the one call a host makes over REST, with its code instead of a sign-in.
 */
export function hostRoutes(app: FastifyInstance, hosts: HostService, requests: RequestService): void {
  const id = (params: unknown) => parseOrThrow(IdParamsSchema, params).id;
  app.post('/api/v1/hosts/enrolment-codes', async (req, reply) =>
    reply.status(201).send(await hosts.createEnrolmentCode(req.auth, req.body)),
  );
  app.post('/api/v1/hosts/enrol', async (req, reply) => reply.status(201).send(await hosts.enrol(req.body)));
  app.get('/api/v1/hosts', async (req) => hosts.list(req.auth, req.query));
  app.get('/api/v1/hosts/:id', async (req) => hosts.get(req.auth, id(req.params)));
  app.patch('/api/v1/hosts/:id', async (req) => hosts.patch(req.auth, id(req.params), req.body));
  app.delete('/api/v1/hosts/:id', async (req, reply) => {
    await hosts.remove(req.auth, id(req.params));
    return reply.status(204).send();
  });
  app.post('/api/v1/hosts/:id/connect', async (req, reply) =>
    reply
      .status(201)
      .send(await hosts.connect(req.auth, id(req.params), (ctx, input) => requests.create(ctx, input))),
  );
  app.get('/api/v1/hosts/:id/system-info', async (req) => hosts.systemInfo(req.auth, id(req.params)));
  app.get('/api/v1/host-groups', async (req) => ({ items: await hosts.groups(req.auth) }));
  app.post('/api/v1/host-groups', async (req, reply) =>
    reply.status(201).send(await hosts.createGroup(req.auth, req.body)),
  );
  app.put('/api/v1/host-groups/:id/rights/:userId', async (req) => {
    const p = parseOrThrow(UserIdParamsSchema, req.params);
    return hosts.setRights(req.auth, p.id, p.userId, req.body);
  });
}
