import { InviteBodySchema } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import { parseOrThrow } from '../../domain/api-error.ts';
import type { Services } from '../services.ts';

interface IdParams {
  id: string;
}

/** Session requests (SR1–SR4): thin; every rule is in RequestService. */
export function requestRoutes(app: FastifyInstance, s: Services): void {
  const r = s.requests;
  app.post('/api/v1/session-requests', async (req, reply) =>
    reply.status(201).send(await r.create(req.auth, req.body)),
  );
  app.get('/api/v1/session-requests', async (req, reply) =>
    reply.type('application/json; charset=utf-8').send(await r.listJson(req.auth, req.query)),
  );
  app.get<{ Params: IdParams }>('/api/v1/session-requests/:id', async (req) =>
    r.get(req.auth, req.params.id),
  );
  app.patch<{ Params: IdParams }>('/api/v1/session-requests/:id', async (req) =>
    r.patch(req.auth, req.params.id, req.body),
  );
  app.post<{ Params: IdParams }>('/api/v1/session-requests/:id/close', async (req) =>
    r.close(req.auth, req.params.id),
  );
  app.post<{ Params: IdParams }>('/api/v1/session-requests/:id/invite', async (req) => {
    const body = parseOrThrow(InviteBodySchema, req.body ?? {});
    return r.invite(req.auth, req.params.id, body.recipientEmail);
  });
}
