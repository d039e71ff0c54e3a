import type { FastifyRequest, FastifyServerOptions } from 'fastify';

/** Query parameters whose values are secrets or capabilities. */
const SECRET_PARAMS = /([?&](?:token|ticket|code|secret|key|password|signature)=)[^&#]*/gi;
/** `/j/<token>`: the customer's link token, a capability to the request. */
const LINK_PATH = /(^|\/)j\/[^/?#]+/gi;

/**
 * A URL as the access log may keep it: link tokens and secret query values
 * replaced, the way `authorization` and `cookie` headers are. Anyone who
 * reads the log must not be able to open a customer's session page with it.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).replace(LINK_PATH, '$1j/[redacted]');
  const query = q < 0 ? '' : url.slice(q).replace(SECRET_PARAMS, '$1[redacted]');
  return path + query;
}

/** Fastify's logger: pino with the default request fields, the URL redacted. */
export function loggerOptions(level: string): NonNullable<FastifyServerOptions['logger']> {
  return {
    level,
    redact: ['req.headers.authorization', 'req.headers.cookie'],
    serializers: {
      req: (req: FastifyRequest) => ({
        method: req.method,
        url: redactUrl(req.url),
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
  };
}
