import {
  EnrolmentCodeCreateSchema,
  EnrolmentCodeSchemaOut,
  HostDetailSchema,
  HostEnrolledSchema,
  HostEnrolSchema,
  HostGroupCreateSchema,
  HostGroupRightsBodySchema,
  HostGroupRightsListSchema,
  HostGroupSchema,
  HostListQuerySchema,
  HostListSchema,
  HostPatchSchema,
  HostRightsSchema,
  HostSummarySchema,
  SessionRequestSummarySchema,
  SystemInfoSchema,
} from '@beckon/protocol';
import type { Op } from './openapi.ts';

const ADMIN = 'Administrators only (signed in).';
const AGENT = 'Signed-in agents of the organisation.';

/**
 * Managed hosts (UA, AH; issue 16). The host's own socket (`/api/v1/host`,
 * Ed25519 challenge-response) is a WebSocket and is described in
 * ARCHITECTURE.md, not here.
 */
export const HOST_OPERATIONS: Record<string, Record<string, Op>> = {
  '/api/v1/hosts': {
    get: {
      summary: 'Managed hosts: filter by text, group and tag; cursor pagination by name',
      description: AGENT,
      query: HostListQuerySchema,
      response: HostListSchema,
    },
  },
  '/api/v1/hosts/enrolment-codes': {
    post: {
      summary: 'A single-use enrolment code for one computer (shown once, stored by hash)',
      description: ADMIN,
      body: EnrolmentCodeCreateSchema,
      response: EnrolmentCodeSchemaOut,
      status: 201,
    },
  },
  '/api/v1/hosts/enrol': {
    post: {
      summary: 'A host enrols with a code and the public half of a key it made itself',
      body: HostEnrolSchema,
      response: HostEnrolledSchema,
      status: 201,
      auth: false,
    },
  },
  '/api/v1/hosts/{id}': {
    get: {
      summary: 'One host, with what the caller may do on it',
      description: AGENT,
      response: HostDetailSchema,
    },
    patch: {
      summary: 'Rename, tag, or move to a group',
      description: ADMIN,
      body: HostPatchSchema,
      response: HostSummarySchema,
    },
    delete: {
      summary: 'Delete the host: its key is refused at once and its socket closed',
      description: ADMIN,
      status: 204,
    },
  },
  '/api/v1/hosts/{id}/connect': {
    post: {
      summary: 'Connect: a session request offered to the online host, which asks by its consent policy',
      description: 'Agents with the connect right on the host’s group.',
      response: SessionRequestSummarySchema,
      status: 201,
    },
  },
  '/api/v1/hosts/{id}/system-info': {
    get: {
      summary: 'System information, asked of the online host now',
      description: 'Agents with the system-information right on the host’s group.',
      response: SystemInfoSchema,
    },
  },
  '/api/v1/host-groups': {
    get: { summary: 'Host groups', description: AGENT },
    post: {
      summary: 'Create a host group',
      description: ADMIN,
      body: HostGroupCreateSchema,
      response: HostGroupSchema,
      status: 201,
    },
  },
  '/api/v1/host-groups/{id}/rights': {
    get: {
      summary: 'Every agent given rights in the group',
      description: ADMIN,
      response: HostGroupRightsListSchema,
    },
  },
  '/api/v1/host-groups/{id}/rights/{userId}': {
    put: {
      summary: 'What one agent may do on the hosts of one group (no connect: nothing)',
      description: ADMIN,
      body: HostGroupRightsBodySchema,
      response: HostRightsSchema,
    },
  },
};
