import { GrantParamsSchema, IdParamsSchema } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import { parseOrThrow } from '../../domain/api-error.ts';
import type { GrantService } from '../../domain/grant-service.ts';

/**
 * Unattended access (UA): the ask in a live session (answered when the
 * person on the computer has answered), a host's grants, and revocation.
 */
export function grantRoutes(app: FastifyInstance, grants: GrantService): void {
  app.post('/api/v1/session-requests/:id/unattended', async (req, reply) => {
    const { id } = parseOrThrow(IdParamsSchema, req.params);
    return reply.status(201).send(await grants.ask(req.auth, id, req.body, req.ip));
  });
  app.get('/api/v1/hosts/:id/grants', async (req) =>
    grants.list(req.auth, parseOrThrow(IdParamsSchema, req.params).id),
  );
  app.post('/api/v1/hosts/:id/grants/:grantId/revoke', async (req) => {
    const p = parseOrThrow(GrantParamsSchema, req.params);
    return grants.revoke(req.auth, p.id, p.grantId, req.ip);
  });
}
