import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The web console's policy, sent with every console file. The page's own meta
 * policy is the Electron app's, which may talk to any broker; served here, the
 * console talks to its own origin only (`'self'` covers its WebSockets). Script
 * only from the console's own files: no inline script, no `blob:` or `data:`
 * script, so a `blob:` document the console opens (Chromium gives it its
 * creator's policy) runs nothing. One pasted into the address bar gets no
 * policy at all: that is why a host's file is never a typed Blob in the
 * console (tasks-store.ts). WebRTC media and `<a download>` of `blob:` URLs
 * are not fetches, so nothing here limits them.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

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
        res.setHeader('content-security-policy', CONSOLE_CSP);
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
