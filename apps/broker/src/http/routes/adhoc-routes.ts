import { IdParamsSchema } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import { parseOrThrow } from '../../domain/api-error.ts';
import type { AdhocService } from '../../domain/adhoc-service.ts';
import { escapeHtml } from '../../mail/escape.ts';

/**
 * Ad-hoc support (`/api/v1/adhoc-sessions`, seats, and the two calls the
 * temporary host makes with its code or removal token instead of a sign-in),
 * and the install page the mailed link opens.
 */
export function adhocRoutes(app: FastifyInstance, adhoc: AdhocService): void {
  const id = (params: unknown) => parseOrThrow(IdParamsSchema, params).id;
  app.get('/api/v1/adhoc-seats', async (req) => adhoc.seats(req.auth));
  app.put('/api/v1/adhoc-seats', async (req) => adhoc.setSeats(req.auth, req.body));
  app.post('/api/v1/adhoc-sessions', async (req, reply) =>
    reply.status(201).send(await adhoc.create(req.auth, req.body)),
  );
  app.get('/api/v1/adhoc-sessions', async (req) => adhoc.list(req.auth));
  app.get('/api/v1/adhoc-sessions/:id', async (req) => adhoc.get(req.auth, id(req.params)));
  app.post('/api/v1/adhoc-sessions/:id/end', async (req) => adhoc.end(req.auth, id(req.params)));
  app.post('/api/v1/adhoc/activate', async (req, reply) =>
    reply.status(201).send(await adhoc.activate(req.body, req.ip)),
  );
  app.post('/api/v1/adhoc/report', async (req) => adhoc.report(req.body));
  app.get('/adhoc/:token', async (req, reply) => {
    const token = String((req.params as { token?: unknown }).token ?? '');
    const r = await adhoc.byInstallToken(token);
    reply.header('content-type', 'text/html; charset=utf-8');
    reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    if (!r || (r.status !== 'created' && r.status !== 'activated'))
      return reply.status(404).send(page('This support link is not valid (any more).', []));
    return page(`Remote support for ${r.userName}`, [
      'Linux: download the temporary support program, then, as administrator:',
      'sudo ./beckon-adhoc install && sudo beckon-adhoc activate <security code>',
      'It refuses to install where the permanent Beckon host runs, and removes itself 24 hours after activation.',
      'Windows and macOS: the installer for your system is offered here when the organisation provides it.',
    ]);
  });
}

function page(title: string, lines: string[]): string {
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;max-width:40em;margin:2em auto">`,
    `<h1>${escapeHtml(title)}</h1>`,
    ...lines.map((l) => `<p>${escapeHtml(l)}</p>`),
    '</body></html>',
  ].join('\n');
}
