import {
  HostDetailSchema,
  HostGroupSchema,
  HostListSchema,
  SessionRequestSummarySchema,
  SystemInfoSchema,
  type HostDetail,
  type HostGroup,
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
    connect: (id) => http.call('POST', `/api/v1/hosts/${enc(id)}/connect`, SessionRequestSummarySchema),
  };
}
