import {
  AgentDeviceSchema,
  LoginResponseSchema,
  OutboxMailSchema,
  QueueSchema,
  SessionRequestListSchema,
  SessionRequestSchema,
  SessionRequestSummarySchema,
  UserSchema,
  type AgentDevice,
  type DeviceRegister,
  type LoginBody,
  type LoginResponse,
  type OutboxMail,
  type Queue,
  type QueueCreate,
  type SessionRequest,
  type SessionRequestCreate,
  type SessionRequestList,
  type SessionRequestSummary,
  type SessionStatus,
  type User,
  type UserCreate,
} from '@beckon/protocol';
import { z } from 'zod';
import type { HttpClient } from './http.ts';
import { createAuditApi, type AuditApi } from '../admin/audit-api.ts';
import { createBrandingApi, type BrandingApi } from '../admin/branding-api.ts';
import { createHelpdeskApi, type HelpdeskApi } from '../helpdesk/helpdesk-api.ts';
import { createHostsApi, type HostsApi } from '../computers/hosts-api.ts';
import { createGrantsApi, type GrantsApi } from '../computers/grants-api.ts';
import { createAdhocApi, type AdhocApi } from '../adhoc/adhoc-api.ts';

// The broker wraps lists as `{items}` and the signed-in user as `{user}`. The
// protocol has no schemas for these envelopes (reported), so they are built
// here from the protocol's own item schemas; nothing new is defined.
const itemsOf = <S extends z.ZodType>(item: S) => z.object({ items: z.array(item) });
const MeSchema = z.object({ user: UserSchema });

/** The list query as the UI thinks of it; empty parts are left out of the URL. */
export interface RequestListParams {
  readonly statuses?: readonly SessionStatus[];
  readonly assignee?: 'me' | 'unassigned' | string;
  readonly queue?: string;
  readonly when?: 'past' | 'upcoming';
  readonly q?: string;
  readonly cursor?: string | null;
  readonly limit?: number;
}

export interface BrokerApi {
  readonly branding: BrandingApi;
  readonly helpdesk: HelpdeskApi;
  readonly audit: AuditApi;
  readonly hosts: HostsApi;
  readonly grants: GrantsApi;
  readonly adhoc: AdhocApi;
  login(body: LoginBody): Promise<LoginResponse>;
  logout(): Promise<void>;
  me(): Promise<User>;
  listRequests(params: RequestListParams): Promise<SessionRequestList>;
  getRequest(id: string): Promise<SessionRequest>;
  createRequest(body: SessionRequestCreate): Promise<SessionRequestSummary>;
  closeRequest(id: string): Promise<SessionRequest>;
  resendInvite(id: string, recipientEmail?: string): Promise<SessionRequest>;
  listUsers(): Promise<User[]>;
  createUser(body: UserCreate): Promise<User>;
  listQueues(): Promise<Queue[]>;
  createQueue(body: QueueCreate): Promise<Queue>;
  listDevices(): Promise<AgentDevice[]>;
  registerDevice(body: DeviceRegister): Promise<AgentDevice>;
  listOutbox(): Promise<OutboxMail[]>;
}

const enc = encodeURIComponent;

export function createBrokerApi(http: HttpClient): BrokerApi {
  return {
    branding: createBrandingApi(http),
    helpdesk: createHelpdeskApi(http),
    audit: createAuditApi(http),
    hosts: createHostsApi(http),
    grants: createGrantsApi(http),
    adhoc: createAdhocApi(http),
    login: (body) => http.call('POST', '/api/v1/auth/login', LoginResponseSchema, { body }),
    logout: () => http.send('POST', '/api/v1/auth/logout'),
    me: async () => (await http.call('GET', '/api/v1/me', MeSchema)).user,
    listRequests: (p) =>
      http.call('GET', '/api/v1/session-requests', SessionRequestListSchema, {
        query: {
          status: p.statuses?.length ? p.statuses.join(',') : undefined,
          assignee: p.assignee,
          queue: p.queue,
          when: p.when,
          q: p.q?.trim() || undefined,
          cursor: p.cursor ?? undefined,
          limit: p.limit,
        },
      }),
    getRequest: (id) => http.call('GET', `/api/v1/session-requests/${enc(id)}`, SessionRequestSchema),
    createRequest: (body) =>
      http.call('POST', '/api/v1/session-requests', SessionRequestSummarySchema, { body }),
    closeRequest: (id) =>
      http.call('POST', `/api/v1/session-requests/${enc(id)}/close`, SessionRequestSchema),
    resendInvite: (id, recipientEmail) =>
      http.call('POST', `/api/v1/session-requests/${enc(id)}/invite`, SessionRequestSchema, {
        body: recipientEmail ? { recipientEmail } : {},
      }),
    listUsers: async () => (await http.call('GET', '/api/v1/users', itemsOf(UserSchema))).items,
    createUser: (body) => http.call('POST', '/api/v1/users', UserSchema, { body }),
    listQueues: async () => (await http.call('GET', '/api/v1/queues', itemsOf(QueueSchema))).items,
    createQueue: (body) => http.call('POST', '/api/v1/queues', QueueSchema, { body }),
    listDevices: async () => (await http.call('GET', '/api/v1/devices', itemsOf(AgentDeviceSchema))).items,
    registerDevice: (body) => http.call('POST', '/api/v1/devices', AgentDeviceSchema, { body }),
    listOutbox: async () => (await http.call('GET', '/api/v1/admin/outbox', itemsOf(OutboxMailSchema))).items,
  };
}
