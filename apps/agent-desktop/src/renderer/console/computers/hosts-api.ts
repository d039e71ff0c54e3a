import {
  EnrolmentCodeSchemaOut,
  HostDetailSchema,
  HostGroupRightsListSchema,
  HostGroupSchema,
  HostRightsSchema,
  HostSummarySchema,
  HostListSchema,
  SessionRequestSummarySchema,
  SystemInfoSchema,
  type EnrolmentCodeOut,
  type HostDetail,
  type HostGroup,
  type HostGroupRightsList,
  type HostPatch,
  type HostRights,
  type HostSummary,
  type HostList,
  type SessionRequestSummary,
  type SystemInfo,
} from '@beckon/protocol';
import { z } from 'zod';
import type { HttpClient } from '../api/http.ts';

const enc = encodeURIComponent;

/** Managed hosts as the Computers page uses them (`/api/v1/hosts`). */
export interface HostsApi {
  list(query: { cursor?: string; limit?: number }): Promise<HostList>;
  get(id: string): Promise<HostDetail>;
  groups(): Promise<HostGroup[]>;
  systemInfo(id: string): Promise<SystemInfo>;
  /** Connect: a session request made for the host and offered to it. */
  connect(id: string): Promise<SessionRequestSummary>;
  /** Administrators: groups, the agents' rights in them, and which group a host is in. */
  createGroup(name: string): Promise<HostGroup>;
  groupRights(groupId: string): Promise<HostGroupRightsList>;
  setRights(groupId: string, userId: string, rights: HostRights): Promise<HostRights>;
  patch(id: string, patch: HostPatch): Promise<HostSummary>;
  /** Administrators: a single-use code one computer enrols with. */
  createEnrolmentCode(): Promise<EnrolmentCodeOut>;
}

export function createHostsApi(http: HttpClient): HostsApi {
  return {
    list: (q) =>
      http.call('GET', '/api/v1/hosts', HostListSchema, {
        query: { cursor: q.cursor, limit: q.limit === undefined ? undefined : String(q.limit) },
      }),
    get: (id) => http.call('GET', `/api/v1/hosts/${enc(id)}`, HostDetailSchema),
    groups: async () =>
      (await http.call('GET', '/api/v1/host-groups', z.object({ items: z.array(HostGroupSchema) }))).items,
    systemInfo: (id) => http.call('GET', `/api/v1/hosts/${enc(id)}/system-info`, SystemInfoSchema),
    createGroup: (name) => http.call('POST', '/api/v1/host-groups', HostGroupSchema, { body: { name } }),
    groupRights: (groupId) =>
      http.call('GET', `/api/v1/host-groups/${enc(groupId)}/rights`, HostGroupRightsListSchema),
    setRights: (groupId, userId, rights) =>
      http.call('PUT', `/api/v1/host-groups/${enc(groupId)}/rights/${enc(userId)}`, HostRightsSchema, {
        body: rights,
      }),
    patch: (id, patch) => http.call('PATCH', `/api/v1/hosts/${enc(id)}`, HostSummarySchema, { body: patch }),
    createEnrolmentCode: () =>
      http.call('POST', '/api/v1/hosts/enrolment-codes', EnrolmentCodeSchemaOut, {
        body: { ttlMinutes: 60 },
      }),
    connect: (id) => http.call('POST', `/api/v1/hosts/${enc(id)}/connect`, SessionRequestSummarySchema),
  };
}
