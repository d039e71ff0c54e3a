import type { FastifyInstance, FastifyRequest } from 'fastify';
import { reportCsv } from '../../domain/report-service.ts';
import type { HelpdeskServices } from '../helpdesk-services.ts';

interface IdParams {
  id: string;
}

const caller = (req: FastifyRequest) => ({ auth: req.auth, token: req.apiToken });

/** Service cases, session records and reports: signed-in agents or scoped API tokens. */
export function caseRoutes(app: FastifyInstance, h: HelpdeskServices): void {
  const c = h.cases;
  app.post('/api/v1/service-cases', async (req, reply) =>
    reply.status(201).send(await c.create(caller(req), req.body)),
  );
  app.get('/api/v1/service-cases', async (req) => c.byTicket(caller(req), req.query));
  app.get('/api/v1/service-cases/close-check', async (req) => c.closeCheck(caller(req), req.query));
  app.get<{ Params: IdParams }>('/api/v1/service-cases/:id', async (req) =>
    c.get(caller(req), req.params.id),
  );
  app.post<{ Params: IdParams }>('/api/v1/service-cases/:id/close', async (req) =>
    c.close(caller(req), req.params.id),
  );
  app.get<{ Params: IdParams }>('/api/v1/session-requests/:id/sessions', async (req) =>
    c.sessionsOf(caller(req), req.params.id),
  );
  app.get('/api/v1/reports/sessions', async (req, reply) => {
    const query = { ...(req.query as Record<string, unknown>) };
    const report = await h.reports.sessions(caller(req), query);
    const wantsCsv =
      query.format === 'csv' ||
      (query.format === undefined && /\btext\/csv\b/.test(req.headers.accept ?? ''));
    if (!wantsCsv) return report;
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="beckon-sessions-report.csv"')
      .send(reportCsv(report));
  });
}
