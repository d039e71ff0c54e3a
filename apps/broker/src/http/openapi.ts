import {
  ApiScope,
  LanguageSchema,
  MailTemplateKindSchema,
  PROTOCOL_VERSION,
  IdSchema,
} from '@beckon/protocol';
import { ADHOC_OPERATIONS } from './openapi-adhoc.ts';
import { BRANDING_OPERATIONS } from './openapi-branding.ts';
import { Components } from './openapi-components.ts';
import { CORE_OPERATIONS } from './openapi-core.ts';
import { HELPDESK_OPERATIONS } from './openapi-helpdesk.ts';
import { HOST_OPERATIONS } from './openapi-hosts.ts';
import type { Op } from './openapi-op.ts';

/** Every API route the broker serves. The landing pages (`/j/<token>`, `/join`) are HTML, not API. */
export const OPERATIONS: Record<string, Record<string, Op>> = {
  ...CORE_OPERATIONS,
  ...HELPDESK_OPERATIONS,
  ...BRANDING_OPERATIONS,
  ...HOST_OPERATIONS,
  ...ADHOC_OPERATIONS,
};

const ACCESS = new Map(
  Object.entries(OPERATIONS).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op.access] as const),
  ),
);

/**
 * Who a route takes, from its operation in the document: `users` (signed in only), `tokens` (also
 * an API token with a scope), `public`, or `undefined` for a route the document does not list.
 */
export function accessOf(
  method: string,
  fastifyUrl: string | undefined,
): 'users' | 'tokens' | 'public' | undefined {
  if (!fastifyUrl) return undefined;
  const access = ACCESS.get(`${method === 'HEAD' ? 'GET' : method} ${fastifyUrl.replace(/:(\w+)/g, '{$1}')}`);
  if (access === undefined) return undefined;
  return access === 'public' ? 'public' : access === 'user' || access === 'admin' ? 'users' : 'tokens';
}

const TAGS: [RegExp, string, string][] = [
  [/^\/(healthz|api\/docs)$/, 'Service', 'Liveness and this document.'],
  [/^\/api\/v1\/(auth\/|me$)/, 'Sign-in', 'Signing in and out; who am I.'],
  [/^\/api\/v1\/session-requests\/\{id\}\/sessions$/, 'Service cases', ''],
  [/^\/api\/v1\/session-requests/, 'Session requests', 'An agent asks a person for a remote session.'],
  [/^\/api\/v1\/join/, 'End user', 'What the assist client and the landing page call, without an account.'],
  [
    /^\/api\/v1\/(users|queues|devices|admin\/outbox)/,
    'Organisation',
    'Users, queues, agent devices, outgoing mail.',
  ],
  [/^\/api\/v1\/admin\/branding/, 'Branding', 'What the end user sees of the organisation.'],
  [/^\/api\/v1\/api-tokens/, 'API tokens', 'Credentials of helpdesk integrations (administrators only).'],
  [/^\/api\/v1\/service-cases/, 'Service cases', 'A helpdesk ticket’s remote sessions (API tokens welcome).'],
  [/^\/api\/v1\/reports/, 'Reports', 'Sessions by technician, date and ticket fields.'],
  [/^\/api\/v1\/webhooks/, 'Webhooks', 'Signed event deliveries to a helpdesk.'],
  [/^\/api\/v1\/mail-templates/, 'Mail templates', 'The texts of invites and supporter notifications.'],
  [/^\/api\/v1\/me\//, 'Notifications', 'How I hear that my customer arrived.'],
  [/^\/api\/v1\/audit/, 'Audit log', 'The tamper-evident record of every security-relevant act.'],
  [
    /^\/api\/v1\/host(s|-groups)/,
    'Managed hosts',
    'Computers that stay installed and reachable; their groups and rights.',
  ],
  [
    /^\/api\/v1\/adhoc/,
    'Ad-hoc support',
    'A day of repeated access to a computer that is not managed: seats, sessions, the temporary host.',
  ],
];
const tagOf = (path: string) => {
  const found = TAGS.find(([re]) => re.test(path));
  if (!found) throw new Error(`no tag for ${path}`);
  return found[1];
};

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
});
const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before trying again.',
    schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 86400 },
  },
};
/** The answers every operation of a kind can give, shared by reference. */
const RESPONSES = {
  BadRequest: error(
    'The input does not match the schema (`validation_failed`, the fields in `details.issues`) or is not JSON (`bad_request`).',
  ),
  Unauthenticated: error(
    'No credential, or one that is unknown, expired or revoked (`unauthenticated`, `invalid_token`, `token_revoked`).',
  ),
  Forbidden: error(
    'The credential may not do this: a missing permission or scope (`forbidden`), an API token where only a signed-in user may go (`user_only`), or a cookie from a page of another origin (`bad_origin`).',
  ),
  NotFound: error('No such thing in your organisation (`not_found`).'),
  PayloadTooLarge: error('The body is larger than the broker takes (`payload_too_large`).'),
  InternalError: error('The broker failed (`internal_error`); the same call may work later.'),
};

/** The security scheme of an API token with each scope. */
export const TOKEN_SCHEMES: Record<ApiScope, string> = {
  [ApiScope.CASES_READ]: 'apiTokenServiceCasesRead',
  [ApiScope.CASES_WRITE]: 'apiTokenServiceCasesWrite',
  [ApiScope.REPORTS_READ]: 'apiTokenReportsRead',
  [ApiScope.AUDIT_READ]: 'apiTokenAuditRead',
};

const SECURITY_SCHEMES = {
  session: {
    type: 'http',
    scheme: 'bearer',
    description:
      'A signed-in user: the token `POST /api/v1/auth/login` answers (valid 12 hours, revoked by sign-out).',
  },
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: 'beckon_session',
    description: 'The web console’s cookie: the same sign-in token. Writes must come from an allowed Origin.',
  },
  // One scheme per scope: OpenAPI lists scopes only for OAuth, and an API token is no OAuth token.
  ...Object.fromEntries(
    Object.values(ApiScope).map((scope) => [
      TOKEN_SCHEMES[scope],
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'bkt_…',
        description: `A helpdesk integration’s API token (created by an administrator) with the scope \`${scope}\`. Where no operation asks for an API token, it gets 403 \`user_only\`.`,
      },
    ]),
  ),
};

function pathParameter(name: string, components: Components) {
  const schema = name === 'kind' ? MailTemplateKindSchema : name === 'language' ? LanguageSchema : IdSchema;
  return { name, in: 'path', required: true, schema: components.ref(schema, 'input') };
}

function operation(path: string, method: string, op: Op, components: Components) {
  const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map(([, name = '']) => pathParameter(name, components));
  const queryParams = [];
  if (op.query) {
    const q = Components.inline(op.query) as {
      properties?: Record<string, { description?: string }>;
      required?: string[];
    };
    for (const [name, s] of Object.entries(q.properties ?? {}))
      queryParams.push({
        name,
        in: 'query',
        required: q.required?.includes(name) ?? false,
        ...(s.description ? { description: s.description } : {}),
        schema: s,
      });
  }
  const status = String(op.status ?? 200);
  const success: Record<string, unknown> = { description: op.summary };
  if (op.response) {
    success.content = {
      'application/json': { schema: components.ref(op.response, 'output') },
      ...(op.csv ? { 'text/csv': { schema: { type: 'string', maxLength: 16_777_216 } } } : {}),
    };
  }
  const ref = (name: keyof typeof RESPONSES) => ({ $ref: `#/components/responses/${name}` });
  const responses: Record<string, unknown> = { [status]: success };
  // A malformed id is not a 400: the broker answers 404, as for any id it does not know. A name
  // from a fixed set (a template's kind and language) is checked like input: 400, never 404.
  const byId = /\{(id|\w+Id)\}/.test(path);
  if (op.body || op.query || (pathParams.length && !byId)) responses['400'] = ref('BadRequest');
  if (op.errors?.[401]) responses['401'] = error(op.errors[401]);
  if (op.access !== 'public') {
    responses['401'] = ref('Unauthenticated');
    responses['403'] = ref('Forbidden');
  }
  if (op.errors?.[404]) responses['404'] = error(op.errors[404]);
  if (byId) responses['404'] = ref('NotFound');
  if (op.errors?.[409]) responses['409'] = error(op.errors[409]);
  if (op.errors?.[422]) responses['422'] = error(op.errors[422]);
  if (op.body) responses['413'] = ref('PayloadTooLarge');
  if (op.errors?.[429]) responses['429'] = { ...error(op.errors[429]), headers: RETRY_AFTER };
  responses['500'] = ref('InternalError');

  const scope = op.access !== 'public' && op.access !== 'user' && op.access !== 'admin' ? op.access : null;
  const security =
    op.access === 'public'
      ? []
      : [{ session: [] }, { sessionCookie: [] }, ...(scope ? [{ [TOKEN_SCHEMES[scope]]: [] }] : [])];
  const who =
    op.access === 'admin'
      ? 'Administrators only (signed in); API tokens get 403 `user_only`.'
      : op.access === 'user'
        ? 'Signed-in users; API tokens get 403 `user_only`.'
        : scope
          ? `A signed-in user, or an API token with the scope \`${scope}\`.`
          : 'No credential needed.';
  return {
    operationId: op.id,
    summary: op.summary,
    description: [op.description, who].filter(Boolean).join(' '),
    tags: [tagOf(path)],
    security,
    ...(pathParams.length + queryParams.length ? { parameters: [...pathParams, ...queryParams] } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: components.ref(op.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

export function openApiDocument(publicUrl: string) {
  const components = new Components({});
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, ops] of Object.entries(OPERATIONS)) {
    paths[path] = {};
    for (const [method, op] of Object.entries(ops))
      paths[path][method] = operation(path, method, op, components);
  }
  const doc: Record<string, unknown> = {
    openapi: '3.1.0',
    info: {
      title: 'Beckon broker API',
      version: `v${PROTOCOL_VERSION}`,
      description:
        'Self-hostable remote support: session requests, service cases for helpdesks, reports, webhooks. Every error answers `{"error": {"code", "message", "details?"}}`.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      // A self-hosted broker: whoever runs it answers for it, reachable through its console.
      contact: { name: 'The administrators of this Beckon broker', url: `${publicUrl}/console/` },
    },
    servers: [
      { url: publicUrl, description: 'This broker, in production (BECKON_PUBLIC_URL)', 'x-internal': false },
    ],
    tags: TAGS.filter(([, , d]) => d).map(([, name, description]) => ({ name, description })),
    paths,
  };
  doc.components = { securitySchemes: SECURITY_SCHEMES, responses: RESPONSES };
  // Resolves the request-side references and adds every component the document reaches.
  const schemas = components.finish(doc);
  (doc.components as Record<string, unknown>).schemas = schemas;
  return doc;
}
