import { JoinBodySchema } from '@beckon/protocol';
import type { FastifyInstance } from 'fastify';
import { notFound, parseOrThrow } from '../../domain/api-error.ts';
import type { BrandingService } from '../../domain/branding-service.ts';
import type { JoinService } from '../../domain/join-service.ts';

/** A logo upload is base64 in JSON: room for the largest logo plus a little. */
const LOGO_BODY_LIMIT = 400 * 1024;

/** Branding: the admins' API, the logo itself, and what the assist client shows. */
export function brandingRoutes(
  app: FastifyInstance,
  deps: { branding: BrandingService; join: JoinService },
): void {
  const { branding } = deps;
  app.get('/api/v1/admin/branding', async (req) => branding.get(req.auth));
  app.put('/api/v1/admin/branding', async (req) => branding.update(req.auth, req.body));
  app.put('/api/v1/admin/branding/logo', { bodyLimit: LOGO_BODY_LIMIT }, async (req) =>
    branding.setLogo(req.auth, req.body),
  );
  app.delete('/api/v1/admin/branding/logo', async (req) => branding.deleteLogo(req.auth));

  app.get<{ Params: { sha256: string } }>('/branding/logo/:sha256', async (req, reply) => {
    const logo = await branding.logo(req.params.sha256);
    if (!logo) throw notFound('no such logo');
    // Content-addressed: the URL changes with the bytes, so it may be cached for good.
    return reply
      .type(logo.type)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('cross-origin-resource-policy', 'same-origin')
      .send(logo.bytes);
  });

  // The assist client's view of the branding, named like a join (and throttled like one for codes).
  app.post('/api/v1/join/branding', async (req) => {
    const body = parseOrThrow(JoinBodySchema, req.body);
    // Codes go through the join service's throttle and answer 404 or 429 exactly as a join
    // would; a link token may name a closed request too (its page still shows the branding).
    const orgId =
      'code' in body
        ? (await deps.join.find(body, req.ip)).orgId
        : (await deps.join.byLink(body.token))?.orgId;
    if (!orgId) throw notFound('no such session request');
    return branding.forOrg(orgId);
  });
}
