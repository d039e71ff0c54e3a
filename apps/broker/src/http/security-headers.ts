import type { FastifyInstance } from 'fastify';

/**
 * The one place that sets the security headers every answer carries. API
 * answers may hold secrets (a sign-in token, an API token's secret, customer
 * links), so no cache may keep them: `no-store` on every `/api/` answer,
 * errors included, whatever a route set. Other answers (console files, logos,
 * landing assets) keep a cache policy of their own and get `no-store` only
 * when they set none. `nosniff` everywhere, so nothing is ever run as a type
 * it was not sent as.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    void reply.header('x-content-type-options', 'nosniff');
    const api = req.url.startsWith('/api/');
    if (api || (!reply.hasHeader('cache-control') && !reply.raw.hasHeader('cache-control')))
      void reply.header('cache-control', 'no-store');
    return payload;
  });
}
