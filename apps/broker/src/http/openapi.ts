import {
  ErrorBodySchema,
  JoinBodySchema,
  JoinResponseSchema,
  LoginBodySchema,
  LoginResponseSchema,
  PROTOCOL_VERSION,
  QueueCreateSchema,
  QueueSchema,
  SessionRequestCreateSchema,
  SessionRequestListQuerySchema,
  SessionRequestListSchema,
  SessionRequestPatchSchema,
  SessionRequestSchema,
  SessionRequestSummarySchema,
  UserCreateSchema,
  UserPatchSchema,
  UserSchema,
  AgentDeviceSchema,
  DeviceRegisterSchema,
  InviteBodySchema,
} from '@beckon/protocol';
import { z } from 'zod';
import { BRANDING_OPERATIONS } from './openapi-branding.ts';
import { HELPDESK_OPERATIONS } from './openapi-helpdesk.ts';
import { HOST_OPERATIONS } from './openapi-hosts.ts';

export type Op = {
  summary: string;
  /** More words: e.g. the API token scope a route accepts. */
  description?: string;
  body?: z.ZodType;
  query?: z.ZodType;
  response?: z.ZodType;
  status?: number;
  auth?: boolean;
};

// The API's surface, described once from the same schemas that parse requests.
const OPERATIONS: Record<string, Record<string, Op>> = {
  '/api/v1/auth/login': {
    post: { summary: 'Sign in', body: LoginBodySchema, response: LoginResponseSchema, auth: false },
  },
  '/api/v1/auth/logout': { post: { summary: 'Sign out (revokes the token)', status: 204 } },
  '/api/v1/session-requests': {
    post: {
      summary: 'Create a session request',
      body: SessionRequestCreateSchema,
      response: SessionRequestSummarySchema,
      status: 201,
    },
    get: {
      summary: 'List session requests',
      query: SessionRequestListQuerySchema,
      response: SessionRequestListSchema,
    },
  },
  '/api/v1/session-requests/{id}': {
    get: { summary: 'A session request with its history', response: SessionRequestSchema },
    patch: {
      summary: 'Change comment, assignee, schedule or expiry',
      body: SessionRequestPatchSchema,
      response: SessionRequestSchema,
    },
  },
  '/api/v1/session-requests/{id}/close': {
    post: { summary: 'Close (link and code die at once)', response: SessionRequestSchema },
  },
  '/api/v1/session-requests/{id}/invite': {
    post: { summary: 'Send or resend the invite', body: InviteBodySchema, response: SessionRequestSchema },
  },
  '/api/v1/join': {
    post: {
      summary: 'End user: join by code or link token',
      body: JoinBodySchema,
      response: JoinResponseSchema,
      auth: false,
    },
  },
  '/api/v1/users': {
    get: {
      summary: 'Users of the organisation (admin)',
      response: z.object({ items: z.array(UserSchema) }),
    },
    post: { summary: 'Create a user (admin)', body: UserCreateSchema, response: UserSchema, status: 201 },
  },
  '/api/v1/users/{id}': {
    patch: {
      summary: 'Change a user (admin); disabling or a change of rights closes their open sockets',
      body: UserPatchSchema,
      response: UserSchema,
    },
  },
  '/api/v1/users/{id}/unlock': {
    post: {
      summary: 'Lift every sign-in slowdown on a user, from every address (admin)',
      status: 204,
    },
  },
  '/api/v1/queues': {
    get: {
      summary: 'Queues (admin, or session_requests:view)',
      response: z.object({ items: z.array(QueueSchema) }),
    },
    post: { summary: 'Create a queue (admin)', body: QueueCreateSchema, response: QueueSchema, status: 201 },
  },
  '/api/v1/devices': {
    get: {
      summary: 'Agent devices (admin, or session_requests:view)',
      response: z.object({ items: z.array(AgentDeviceSchema) }),
    },
    post: {
      summary: 'Register this agent app as a device (admin, or session_requests:view)',
      body: DeviceRegisterSchema,
      response: AgentDeviceSchema,
      status: 201,
    },
  },
};

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });

export function openApiDocument(publicUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, ops] of Object.entries({
    ...OPERATIONS,
    ...HELPDESK_OPERATIONS,
    ...BRANDING_OPERATIONS,
    ...HOST_OPERATIONS,
  })) {
    paths[path] = {};
    for (const [method, op] of Object.entries(ops)) {
      const parameters: { name: string; in: string; required: boolean; schema: unknown }[] = [
        ...path.matchAll(/\{(\w+)\}/g),
      ].map(([, name = '']) => ({
        name,
        in: 'path',
        required: true,
        schema: /^(id|\w+Id)$/.test(name) ? { type: 'string', format: 'uuid' } : { type: 'string' },
      }));
      if (op.query) {
        const q = schema(op.query) as { properties?: Record<string, unknown>; required?: string[] };
        for (const [name, s] of Object.entries(q.properties ?? {}))
          parameters.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema: s });
      }
      paths[path][method] = {
        summary: op.summary,
        ...(op.description ? { description: op.description } : {}),
        security: op.auth === false ? [] : [{ bearer: [] }, { cookie: [] }],
        parameters,
        ...(op.body
          ? { requestBody: { required: true, content: { 'application/json': { schema: schema(op.body) } } } }
          : {}),
        responses: {
          [String(op.status ?? 200)]: op.response
            ? { description: 'OK', content: { 'application/json': { schema: schema(op.response) } } }
            : { description: 'OK' },
          default: {
            description: 'Error',
            content: { 'application/json': { schema: schema(ErrorBodySchema) } },
          },
        },
      };
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Beckon broker API', version: `v${PROTOCOL_VERSION}` },
    servers: [{ url: publicUrl }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'beckon_session' },
      },
    },
    paths,
  };
}
