import {
  AgentDeviceListSchema,
  ApiDocumentSchema,
  HealthSchema,
  AgentDeviceSchema,
  DeviceRegisterSchema,
  InviteBodySchema,
  JoinBodySchema,
  JoinResponseSchema,
  LoginBodySchema,
  LoginResponseSchema,
  MeSchema,
  OutboxMailListSchema,
  QueueCreateSchema,
  QueueListSchema,
  QueueSchema,
  SessionRequestCreateSchema,
  SessionRequestListQuerySchema,
  SessionRequestListSchema,
  SessionRequestPatchSchema,
  SessionRequestSchema,
  SessionRequestSummarySchema,
  UserCreateSchema,
  UserListSchema,
  UserPatchSchema,
  UserSchema,
} from '@beckon/protocol';
import type { Op } from './openapi-op.ts';

const CLOSED = 'The request is closed or expired (`request_closed`, `request_expired`).';

/** Sign-in, session requests, joining and the organisation's accounts. */
export const CORE_OPERATIONS: Record<string, Record<string, Op>> = {
  '/healthz': {
    get: {
      id: 'getHealth',
      summary: 'Liveness: answers while the broker runs',
      response: HealthSchema,
      access: 'public',
    },
  },
  '/api/docs': {
    get: {
      id: 'getApiDocument',
      summary: 'This document (OpenAPI 3.1)',
      response: ApiDocumentSchema,
      access: 'public',
    },
  },
  '/api/v1/auth/login': {
    post: {
      id: 'signIn',
      summary: 'Sign in',
      description:
        'Answers a sign-in token (also set as the console cookie). An address that failed too often waits (429 with Retry-After).',
      body: LoginBodySchema,
      response: LoginResponseSchema,
      access: 'public',
      errors: {
        401: 'Wrong email or password (`invalid_credentials`).',
        429: 'Too many failed sign-ins from this address; wait Retry-After seconds.',
      },
    },
  },
  '/api/v1/auth/logout': {
    post: { id: 'signOut', summary: 'Sign out (revokes the token)', status: 204, access: 'user' },
  },
  '/api/v1/me': {
    get: { id: 'getMe', summary: 'The signed-in user', response: MeSchema, access: 'user' },
  },
  '/api/v1/session-requests': {
    post: {
      id: 'createSessionRequest',
      summary: 'Create a session request',
      body: SessionRequestCreateSchema,
      response: SessionRequestSummarySchema,
      status: 201,
      access: 'user',
    },
    get: {
      id: 'listSessionRequests',
      summary: 'List session requests',
      query: SessionRequestListQuerySchema,
      response: SessionRequestListSchema,
      access: 'user',
    },
  },
  '/api/v1/session-requests/{id}': {
    get: {
      id: 'getSessionRequest',
      summary: 'A session request with its history',
      response: SessionRequestSchema,
      access: 'user',
    },
    patch: {
      id: 'updateSessionRequest',
      summary: 'Change comment, assignee, schedule or expiry',
      body: SessionRequestPatchSchema,
      response: SessionRequestSchema,
      access: 'user',
      errors: { 409: CLOSED },
    },
  },
  '/api/v1/session-requests/{id}/close': {
    post: {
      id: 'closeSessionRequest',
      summary: 'Close (link and code die at once)',
      response: SessionRequestSchema,
      access: 'user',
      errors: { 409: CLOSED },
    },
  },
  '/api/v1/session-requests/{id}/invite': {
    post: {
      id: 'inviteToSessionRequest',
      summary: 'Send or resend the invite',
      body: InviteBodySchema,
      response: SessionRequestSchema,
      access: 'user',
      errors: { 409: CLOSED },
    },
  },
  '/api/v1/join': {
    post: {
      id: 'join',
      summary: 'End user: join by code or link token',
      body: JoinBodySchema,
      response: JoinResponseSchema,
      access: 'public',
      errors: {
        404: 'No open request has this code (`invalid_code`), or the link is not valid any more (`invalid_token`).',
        429: 'Too many wrong codes; wait Retry-After seconds.',
      },
    },
  },
  '/api/v1/users': {
    get: {
      id: 'listUsers',
      summary: 'Users of the organisation (admin)',
      response: UserListSchema,
      access: 'admin',
    },
    post: {
      id: 'createUser',
      summary: 'Create a user (admin)',
      body: UserCreateSchema,
      response: UserSchema,
      status: 201,
      access: 'admin',
      errors: { 409: 'A user with this email exists.' },
    },
  },
  '/api/v1/users/{id}': {
    patch: {
      id: 'updateUser',
      summary: 'Change a user (admin); disabling or a change of rights closes their open sockets',
      body: UserPatchSchema,
      response: UserSchema,
      access: 'admin',
      errors: { 409: 'Administrators cannot disable or demote themselves.' },
    },
  },
  '/api/v1/users/{id}/unlock': {
    post: {
      id: 'unlockUser',
      summary: 'Lift every sign-in slowdown on a user, from every address (admin)',
      status: 204,
      access: 'admin',
    },
  },
  '/api/v1/queues': {
    get: {
      id: 'listQueues',
      summary: 'Queues (admin, or session_requests:view)',
      response: QueueListSchema,
      access: 'user',
    },
    post: {
      id: 'createQueue',
      summary: 'Create a queue (admin)',
      body: QueueCreateSchema,
      response: QueueSchema,
      status: 201,
      access: 'admin',
      errors: { 409: 'A queue with this name exists.' },
    },
  },
  '/api/v1/devices': {
    get: {
      id: 'listDevices',
      summary: 'Agent devices (admin, or session_requests:view)',
      response: AgentDeviceListSchema,
      access: 'user',
    },
    post: {
      id: 'registerDevice',
      summary: 'Register this agent app as a device (admin, or session_requests:view)',
      body: DeviceRegisterSchema,
      response: AgentDeviceSchema,
      status: 201,
      access: 'user',
    },
  },
  '/api/v1/admin/outbox': {
    get: {
      id: 'listOutbox',
      summary: 'The newest 200 mails of the outbox, sent or not (admin)',
      response: OutboxMailListSchema,
      access: 'admin',
    },
  },
};
