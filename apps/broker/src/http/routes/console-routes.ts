import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The web console: the agent desktop's renderer bundle, served as files.
 * Without a built bundle the route says how to build one instead of failing.
 */
export function consoleRoutes(app: FastifyInstance, consoleDir: string | undefined): void {
  app.get('/', async (_req, reply) => reply.redirect('/console/'));
  if (consoleDir && existsSync(join(consoleDir, 'index.html'))) {
    void app.register(fastifyStatic, {
      root: consoleDir,
      prefix: '/console/',
      index: 'index.html',
      setHeaders: (res) => {
        res.setHeader('x-content-type-options', 'nosniff');
        res.setHeader('x-frame-options', 'DENY');
        res.setHeader('referrer-policy', 'no-referrer');
      },
    });
    return;
  }
  app.get('/console/', async (_req, reply) =>
    reply
      .type('text/plain; charset=utf-8')
      .status(503)
      .send('The web console is not built. Run `scripts/beckon setup` (it builds apps/agent-desktop).\n'),
  );
}
