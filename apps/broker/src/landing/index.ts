import {
  ASSIST_BUNDLE_ROUTE,
  AssistPlatformSchema,
  assistBundleName,
  DEFAULT_BRAND_COLOR,
  LanguageSchema,
  LinkTokenSchema,
  assistDownloadName,
  formatSessionCode,
  isFinal,
  parseSessionCode,
  type Branding,
  type Language,
  type SessionStatus,
} from '@beckon/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { ApiError } from '../domain/api-error.ts';
import { BrandingService } from '../domain/branding-service.ts';
import type { JoinService } from '../domain/join-service.ts';
import { isLive, linkTokenOf, type ReadModelContext } from '../domain/read-model.ts';
import type { RequestService } from '../domain/request-service.ts';
import type { BrokerConfig } from '../config.ts';
import type { KeyObject } from 'node:crypto';
import type { Storage } from '../storage/types.ts';
import { brandingRoutes } from '../http/routes/branding-routes.ts';
import type { RequestRecord } from '../storage/types.ts';
import { endedPage, joinPage, landingPage, type Page } from './pages.ts';
import { Artifacts, languageFromHeader, platformFromUserAgent } from './platform.ts';
import { bundleTail } from './bundle-download.ts';
import { faviconIco } from './favicon.ts';
import { StatusStreams } from './status-streams.ts';
import { OS_NAMES, textsFor } from './texts.ts';

export interface LandingDeps {
  rm: ReadModelContext;
  join: JoinService;
  requests: RequestService;
  branding: BrandingService;
  /** `BECKON_ARTIFACTS_DIR`: where the assist installers are. */
  artifactsDir: string | undefined;
  /** `BECKON_ASSIST_BUNDLE`: the self-contained Linux bundle. */
  assistBundle?: string | undefined;
  now?: () => Date;
}

/**
 * What the customer sees of the broker: branding (admin API, logo,
 * the assist client's view) and the landing pages. One call from createBroker.
 */
export function registerEndUserFace(
  app: FastifyInstance,
  deps: {
    config: BrokerConfig;
    secret: KeyObject;
    storage: Storage;
    join: JoinService;
    requests: RequestService;
    now: () => Date;
  },
): { close(): void } {
  const { config, storage } = deps;
  const rm: ReadModelContext = {
    publicUrl: config.publicUrl,
    secret: deps.secret,
    storage,
  };
  const branding = new BrandingService(storage, deps.now);
  brandingRoutes(app, { branding, join: deps.join });
  return registerLanding(app, {
    ...deps,
    rm,
    branding,
    artifactsDir: config.artifactsDir,
    assistBundle: config.assistBundle,
  });
}

const NEUTRAL: Branding = {
  orgName: 'Beckon',
  organisation: 'Beckon',
  displayName: null,
  color: DEFAULT_BRAND_COLOR,
  message: null,
  logoUrl: null,
  updatedAt: null,
};

/** The static files beside this module; from `dist/` they are still read from `src/`. */
function loadAsset(name: string): string {
  const beside = join(import.meta.dirname, 'assets', name);
  const file = existsSync(beside) ? beside : join(import.meta.dirname, '../../src/landing/assets', name);
  return readFileSync(file, 'utf8');
}

const JoinFormSchema = z.object({ code: z.string().max(64) });
const QuerySchema = z.object({ lang: LanguageSchema.optional() }).catch({});

/**
 * The customer's pages (SR6): the customer link's landing page with its live
 * status, the installer download named after the session code, the code
 * entry page and the pages for links that are over. Every page is rendered
 * on the server with everything user-supplied escaped, under a CSP that
 * allows no inline script. Nothing here changes a request's status.
 */
export function registerLanding(app: FastifyInstance, deps: LandingDeps): { close(): void } {
  const now = deps.now ?? (() => new Date());
  const artifacts = new Artifacts(deps.artifactsDir, deps.assistBundle);
  const streams = new StatusStreams();
  const unsubscribe = deps.requests.onChange((_org, _change, _summary, ref) =>
    streams.push(ref.id, ref.status),
  );
  const script = loadAsset('landing.js');
  // Built by the broker's build (scripts/build-share.ts); without it the page offers no browser sharing.
  const shareFile = join(import.meta.dirname, '../../dist/landing/share.js');
  const share = existsSync(shareFile) ? readFileSync(shareFile, 'utf8') : null;
  const css = loadAsset('landing.css');

  const send = (reply: FastifyReply, status: number, page: Page) =>
    reply
      .status(status)
      .type('text/html; charset=utf-8')
      .headers({
        'content-security-policy': page.csp,
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        // The URL holds the link token: it must not leak to anything the page links to.
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      })
      .send(page.html);

  const asset = (type: string, body: string) => async (_req: FastifyRequest, reply: FastifyReply) =>
    reply
      .type(type)
      .headers({ 'x-content-type-options': 'nosniff', 'cache-control': 'public, max-age=300' })
      .send(body);
  app.get('/landing/landing.js', asset('text/javascript; charset=utf-8', script));
  app.get('/landing/landing.css', asset('text/css; charset=utf-8', css));
  if (share) app.get('/landing/share.js', asset('text/javascript; charset=utf-8', share));
  const hex = (at: number) => parseInt(DEFAULT_BRAND_COLOR.slice(at, at + 2), 16);
  const favicon = faviconIco([hex(1), hex(3), hex(5)]);
  app.get('/favicon.ico', async (_req, reply) =>
    reply
      .type('image/x-icon')
      .headers({ 'x-content-type-options': 'nosniff', 'cache-control': 'public, max-age=86400' })
      .send(favicon),
  );

  /** The request behind a link and its status as a visitor should see it (expiry counts before the sweeper runs). */
  const lookup = async (raw: string): Promise<{ record: RequestRecord; status: SessionStatus } | null> => {
    const token = LinkTokenSchema.safeParse(raw);
    if (!token.success) return null;
    const record = await deps.join.byLink(token.data);
    if (!record) return null;
    const status = isFinal(record.status) || isLive(record, now().getTime()) ? record.status : 'expired';
    return { record, status };
  };
  const visitorLanguage = (req: FastifyRequest): Language =>
    QuerySchema.parse(req.query).lang ?? languageFromHeader(req.headers['accept-language']);
  const ended = async (reply: FastifyReply, found: { record: RequestRecord; status: SessionStatus }) =>
    send(
      reply,
      410,
      endedPage(
        found.status === 'expired' ? 'expired' : 'closed',
        found.record.language,
        await deps.branding.forOrg(found.record.orgId),
      ),
    );
  const invalid = (req: FastifyRequest, reply: FastifyReply) =>
    send(reply, 404, endedPage('invalid', visitorLanguage(req), NEUTRAL));

  app.get<{ Params: { token: string } }>('/j/:token', async (req, reply) => {
    const found = await lookup(req.params.token);
    if (!found) return invalid(req, reply);
    if (isFinal(found.status)) return ended(reply, found);
    const r = found.record;
    return send(
      reply,
      200,
      landingPage({
        lang: r.language,
        branding: await deps.branding.forOrg(r.orgId),
        token: req.params.token,
        code: r.code,
        displayCode: formatSessionCode(r.code),
        recipientName: r.recipientName,
        agentName: r.createdBy.name ?? '',
        comment: r.comment,
        status: found.status,
        expiresAt: r.expiresAt,
        timeZone: r.timeZone,
        platform: platformFromUserAgent(req.headers['user-agent']),
        available: await artifacts.available(),
        bundle: (await artifacts.bundle()) !== null,
        share: share !== null,
      }),
    );
  });

  app.get<{ Params: { token: string } }>('/j/:token/events', async (req, reply) => {
    const found = await lookup(req.params.token);
    // 204 tells EventSource to stop reconnecting.
    if (!found) return reply.status(204).send();
    if (!streams.hasRoom(found.record.id)) return reply.status(503).header('retry-after', '30').send();
    reply.hijack();
    streams.open(found.record.id, reply.raw, found.status);
  });

  app.get<{ Params: { token: string; platform: string } }>(
    '/j/:token/download/:platform',
    async (req, reply) => {
      const found = await lookup(req.params.token);
      if (!found) return invalid(req, reply);
      if (isFinal(found.status)) return ended(reply, found);
      if (req.params.platform === ASSIST_BUNDLE_ROUTE) return sendBundle(reply, found.record);
      const platform = AssistPlatformSchema.safeParse(req.params.platform);
      if (!platform.success) return invalid(req, reply);
      const file = await artifacts.find(platform.data);
      if (!file) {
        const branding = await deps.branding.forOrg(found.record.orgId);
        const t = textsFor(found.record.language);
        const text = t('missing', { os: OS_NAMES[platform.data], org: branding.orgName });
        return reply
          .status(404)
          .type('text/plain; charset=utf-8')
          .header('x-content-type-options', 'nosniff')
          .send(`${text}\n`);
      }
      // The name carries the code: the client reads it back and joins without anything typed.
      const name = assistDownloadName(found.record.code, platform.data);
      return reply
        .type('application/octet-stream')
        .headers({
          'content-disposition': `attachment; filename="${name}"`,
          'content-length': String(file.size),
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-store',
        })
        .send(createReadStream(file.path));
    },
  );

  /** The bundle as built, then this download's own tail: the broker's address and the code's launcher. */
  const sendBundle = async (reply: FastifyReply, record: RequestRecord) => {
    const file = await artifacts.bundle();
    if (!file) {
      const branding = await deps.branding.forOrg(record.orgId);
      const text = textsFor(record.language)('missing', { os: OS_NAMES.linux, org: branding.orgName });
      return reply
        .status(404)
        .type('text/plain; charset=utf-8')
        .header('x-content-type-options', 'nosniff')
        .send(`${text}\n`);
    }
    const tail = bundleTail(record.code, deps.rm.publicUrl, now());
    const name = assistBundleName(record.code);
    const body = new PassThrough();
    const head = createReadStream(file.path);
    head.once('error', (err) => body.destroy(err));
    head.once('end', () => body.end(tail));
    head.pipe(body, { end: false });
    return reply
      .type('application/gzip')
      .headers({
        'content-disposition': `attachment; filename="${name}"`,
        'content-length': String(file.size + tail.length),
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      })
      .send(body);
  };

  app.get('/join', async (req, reply) => send(reply, 200, joinPage(visitorLanguage(req), NEUTRAL, null)));

  // The form posts urlencoded; that parser exists only inside this scope, for this one route.
  void app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 1024 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    scope.post('/join', async (req, reply) => {
      const lang = visitorLanguage(req);
      const t = textsFor(lang);
      const form = JoinFormSchema.safeParse(req.body);
      const typed = form.success ? form.data.code : '';
      const code = parseSessionCode(typed);
      if (!code) return send(reply, 400, joinPage(lang, NEUTRAL, t('join.invalid'), typed));
      let record: RequestRecord;
      try {
        // The join API's own throttle counts and refuses wrong codes here too.
        record = await deps.join.find({ code }, req.ip);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        if (err.status === 429) {
          const seconds = err.headers['retry-after'] ?? '60';
          reply.header('retry-after', seconds);
          return send(reply, 429, joinPage(lang, NEUTRAL, t('join.limited', { seconds }), typed));
        }
        return send(reply, 404, joinPage(lang, NEUTRAL, t('join.wrong'), typed));
      }
      return reply.redirect(`/j/${linkTokenOf(deps.rm, record)}`, 303);
    });
  });

  return {
    close() {
      unsubscribe();
      streams.close();
    },
  };
}
