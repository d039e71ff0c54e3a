import type { FastifyInstance } from 'fastify';
import { openApiDocument } from '../openapi.ts';
import type { Services } from '../services.ts';

/** Routes without sign-in: health, API docs, and the customer's join. */
export function publicRoutes(app: FastifyInstance, s: Services): void {
  app.get('/healthz', async () => ({ ok: true }));
  const doc = openApiDocument(s.config.publicUrl);
  app.get('/api/docs', async () => doc);
  app.post('/api/v1/join', async (req) => s.join.join(req.body, req.ip));
}
