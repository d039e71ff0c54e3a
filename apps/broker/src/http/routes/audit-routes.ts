import type { FastifyInstance } from 'fastify';
import type { HelpdeskServices } from '../helpdesk-services.ts';

/** The audit log: administrators, or an API token with `audit:read`; JSON pages or CSV. */
export function auditRoutes(app: FastifyInstance, h: HelpdeskServices): void {
  app.get('/api/v1/audit', async (req, reply) => {
    const query = { ...(req.query as Record<string, unknown>) };
    if (query.format === undefined && /\btext\/csv\b/.test(req.headers.accept ?? '')) query.format = 'csv';
    const result = await h.audit.list({ auth: req.auth, token: req.apiToken }, query);
    if (result.page) return result.page;
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="beckon-audit.csv"')
      .send(result.csv);
  });
}
