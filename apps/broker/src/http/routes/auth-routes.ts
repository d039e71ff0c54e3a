import { LoginBodySchema } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import { parseOrThrow } from '../../domain/api-error.ts';
import { requireUser, LOGIN_TTL_MS } from '../../domain/auth.ts';
import type { Services } from '../services.ts';
import { LOGIN_COOKIE } from '../auth-hook.ts';

export function authRoutes(app: FastifyInstance, s: Services): void {
  app.post('/api/v1/auth/login', async (req, reply) => {
    const body = parseOrThrow(LoginBodySchema, req.body);
    const result = await s.auth.login(body.email, body.password, req.ip);
    void reply.setCookie(LOGIN_COOKIE, result.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: s.config.publicUrl.startsWith('https:'),
      path: '/',
      maxAge: LOGIN_TTL_MS / 1000,
    });
    return result;
  });

  app.post('/api/v1/auth/logout', async (req, reply) => {
    await s.auth.logout(requireUser(req.auth));
    void reply.clearCookie(LOGIN_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.get('/api/v1/me', async (req) => ({ user: requireUser(req.auth).user }));
}
