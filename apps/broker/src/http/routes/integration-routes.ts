import type { FastifyInstance } from 'fastify';
import type { HelpdeskServices } from '../helpdesk-services.ts';

interface IdParams {
  id: string;
}
interface TemplateParams {
  kind: string;
  language: string;
}

/** What admins set up for an integration (tokens, webhooks, templates), and each user's notification settings. */
export function integrationRoutes(app: FastifyInstance, h: HelpdeskServices): void {
  app.get('/api/v1/api-tokens', async (req) => h.apiTokens.list(req.auth));
  app.post('/api/v1/api-tokens', async (req, reply) =>
    reply.status(201).send(await h.apiTokens.create(req.auth, req.body)),
  );
  app.delete<{ Params: IdParams }>('/api/v1/api-tokens/:id', async (req) =>
    h.apiTokens.revoke(req.auth, req.params.id, req.query),
  );

  const w = h.webhooks;
  app.get('/api/v1/webhooks', async (req) => w.list(req.auth));
  app.post('/api/v1/webhooks', async (req, reply) =>
    reply.status(201).send(await w.create(req.auth, req.body)),
  );
  app.get<{ Params: IdParams }>('/api/v1/webhooks/:id', async (req) => w.get(req.auth, req.params.id));
  app.patch<{ Params: IdParams }>('/api/v1/webhooks/:id', async (req) =>
    w.patch(req.auth, req.params.id, req.body),
  );
  app.delete<{ Params: IdParams }>('/api/v1/webhooks/:id', async (req, reply) => {
    await w.remove(req.auth, req.params.id);
    return reply.status(204).send();
  });
  app.post<{ Params: IdParams }>('/api/v1/webhooks/:id/rotate-secret', async (req) =>
    w.rotateSecret(req.auth, req.params.id),
  );
  app.get<{ Params: IdParams }>('/api/v1/webhooks/:id/deliveries', async (req) =>
    w.deliveries(req.auth, req.params.id, req.query),
  );
  app.post<{ Params: IdParams & { deliveryId: string } }>(
    '/api/v1/webhooks/:id/deliveries/:deliveryId/redeliver',
    async (req) => w.redeliver(req.auth, req.params.id, req.params.deliveryId),
  );

  const t = h.templates;
  app.get('/api/v1/mail-templates', async (req) => t.list(req.auth));
  app.post('/api/v1/mail-templates/preview', async (req) => t.preview(req.auth, req.body));
  app.get<{ Params: TemplateParams }>('/api/v1/mail-templates/:kind/:language', async (req) =>
    t.get(req.auth, req.params),
  );
  app.put<{ Params: TemplateParams }>('/api/v1/mail-templates/:kind/:language', async (req) =>
    t.put(req.auth, req.params, req.body),
  );
  app.delete<{ Params: TemplateParams }>('/api/v1/mail-templates/:kind/:language', async (req) =>
    t.reset(req.auth, req.params),
  );

  app.get('/api/v1/me/notification-settings', async (req) => h.notifications.get(req.auth));
  app.put('/api/v1/me/notification-settings', async (req) => h.notifications.put(req.auth, req.body));
}
