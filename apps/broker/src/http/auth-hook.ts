import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { isApiTokenSecret, type ApiTokenContext, type ApiTokenService } from '../domain/api-tokens.ts';
import type { AuthContext, AuthService } from '../domain/auth.ts';
import { ApiError } from '../domain/api-error.ts';
import { ErrorCode } from '@beckon/protocol';
import { accessOf } from './openapi.ts';

// The cookie's name predates the glossary's "login"; browsers hold it, so it stays.
export const LOGIN_COOKIE = 'beckon_session';

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
    /** A helpdesk integration's API token; never also `auth`, so it opens only the routes that ask for a scope. */
    apiToken: ApiTokenContext | null;
  }
}

/** The bearer token of a request: `Authorization: Bearer`, or the console's cookie. */
export function tokenOf(headers: IncomingMessage['headers'], cookies: Record<string, string | undefined>) {
  const header = headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer '))
    return { token: header.slice(7).trim(), viaCookie: false };
  const cookie = cookies[LOGIN_COOKIE];
  return cookie ? { token: cookie, viaCookie: true } : null;
}

/**
 * Resolves `req.auth` for every request. Cookie-authenticated writes must come
 * from an allowed Origin: SameSite=Strict already blocks cross-site sends; the
 * Origin check is the second lock on the same door.
 */
export function registerAuth(
  app: FastifyInstance,
  auth: AuthService,
  allowedOrigins: string[],
  apiTokens?: ApiTokenService,
): void {
  app.decorateRequest('auth', null);
  app.decorateRequest('apiToken', null);
  app.addHook('onRequest', async (req: FastifyRequest) => {
    const found = tokenOf(req.headers, req.cookies);
    if (!found) return;
    // An unknown or revoked API token is refused outright (401 saying which), on every route.
    if (apiTokens && !found.viaCookie && isApiTokenSecret(found.token)) {
      req.apiToken = await apiTokens.authenticate(found.token, req.ip);
      // A real token where the API document says only users may go: 403 saying so, not the
      // "sign in first" a forged token gets, so an integrator knows the token is fine.
      if (accessOf(req.method, req.routeOptions.url) === 'users')
        throw new ApiError(
          403,
          ErrorCode.USER_ONLY,
          'only signed-in users may call this; API tokens may not',
        );
      return;
    }
    if (found.viaCookie && req.method !== 'GET' && req.method !== 'HEAD') {
      const origin = req.headers.origin;
      if (typeof origin === 'string' && !allowedOrigins.includes(origin)) {
        throw new ApiError(403, ErrorCode.BAD_ORIGIN, 'request from a page that is not allowed');
      }
    }
    const ctx = await auth.authenticate(found.token);
    // The cached context is shared between requests; the address is this request's.
    req.auth = ctx && { ...ctx, ip: req.ip };
  });
}
