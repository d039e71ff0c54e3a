import {
  GrantSchema,
  SessionRequestSummarySchema,
  type Grant,
  type GrantAsk,
  type SessionRequestSummary,
} from '@beckon/protocol';
import { z } from 'zod';
import type { HttpClient } from '../api/http.ts';

const enc = encodeURIComponent;

/** Unattended access (UA): the ask in a live session, a host's grants, revocation, the unattended Connect. */
export interface GrantsApi {
  /** Resolves when the person on the computer has answered (or the question ended). */
  ask(requestId: string, body: GrantAsk): Promise<Grant>;
  list(hostId: string): Promise<Grant[]>;
  revoke(hostId: string, grantId: string): Promise<Grant>;
  connectUnattended(hostId: string, reason: string): Promise<SessionRequestSummary>;
}

export function createGrantsApi(http: HttpClient): GrantsApi {
  return {
    ask: (requestId, body) =>
      http.call('POST', `/api/v1/session-requests/${enc(requestId)}/unattended`, GrantSchema, { body }),
    list: async (hostId) =>
      (
        await http.call(
          'GET',
          `/api/v1/hosts/${enc(hostId)}/grants`,
          z.object({ items: z.array(GrantSchema) }),
        )
      ).items,
    revoke: (hostId, grantId) =>
      http.call('POST', `/api/v1/hosts/${enc(hostId)}/grants/${enc(grantId)}/revoke`, GrantSchema, {
        body: {},
      }),
    connectUnattended: (hostId, reason) =>
      http.call('POST', `/api/v1/hosts/${enc(hostId)}/connect`, SessionRequestSummarySchema, {
        body: { unattended: { reason } },
      }),
  };
}
