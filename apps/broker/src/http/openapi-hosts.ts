import {
  EnrolmentCodeCreateSchema,
  GrantAskSchema,
  GrantListSchema,
  GrantSchema,
  HostConnectSchema,
  EnrolmentCodeSchemaOut,
  HostDetailSchema,
  HostEnrolledSchema,
  HostEnrolSchema,
  HostGroupCreateSchema,
  HostGroupListSchema,
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
import type { Op } from './openapi-op.ts';

const OFFLINE = 'The host is offline or did not answer (`peer_absent`).';

/**
 * Managed hosts: computers that stay installed and connected. The host's own socket
 * (`/api/v1/host`, Ed25519 challenge-response) is a WebSocket, described in ARCHITECTURE.md.
 */
export const HOST_OPERATIONS: Record<string, Record<string, Op>> = {
  '/api/v1/hosts': {
    get: {
      id: 'listHosts',
      summary: 'Managed hosts: filter by text, group and tag; cursor pagination by name',
      description: 'Those who may see session requests see the organisation’s hosts.',
      access: 'user',
      query: HostListQuerySchema,
      response: HostListSchema,
    },
  },
  '/api/v1/hosts/enrolment-codes': {
    post: {
      id: 'createEnrolmentCode',
      summary: 'A single-use enrolment code for one computer (shown once, stored by hash)',
      access: 'admin',
      body: EnrolmentCodeCreateSchema,
      response: EnrolmentCodeSchemaOut,
      status: 201,
    },
  },
  '/api/v1/hosts/enrol': {
    post: {
      id: 'enrolHost',
      summary: 'A host enrols with a code and the public half of a key it made itself',
      access: 'public',
      body: HostEnrolSchema,
      response: HostEnrolledSchema,
      status: 201,
      errors: {
        401: 'The enrolment code is unknown, used or expired (`invalid_code`).',
        409: 'This key is already enrolled (`conflict`).',
      },
    },
  },
  '/api/v1/hosts/{id}': {
    get: {
      id: 'getHost',
      summary: 'One host, with what the caller may do on it',
      access: 'user',
      response: HostDetailSchema,
    },
    patch: {
      id: 'updateHost',
      summary: 'Rename, tag, or move to a group',
      access: 'admin',
      body: HostPatchSchema,
      response: HostSummarySchema,
    },
    delete: {
      id: 'deleteHost',
      summary: 'Delete the host: its key is refused at once and its socket closed',
      access: 'admin',
      status: 204,
    },
  },
  '/api/v1/hosts/{id}/connect': {
    post: {
      id: 'connectHost',
      summary: 'Connect: a session request offered to the online host, which asks by its consent policy',
      description:
        'Agents with the connect right on the host’s group. With `unattended` (a reason is required) nobody is ' +
        'asked: an unattended-access grant must admit now, or the answer is 403 `grant_not_active`.',
      access: 'user',
      body: HostConnectSchema,
      response: SessionRequestSummarySchema,
      status: 201,
      errors: { 409: OFFLINE },
    },
  },
  '/api/v1/hosts/{id}/system-info': {
    get: {
      id: 'getHostSystemInfo',
      summary: 'System information, asked of the online host now',
      description: 'Agents with the system-information right on the host’s group.',
      access: 'user',
      response: SystemInfoSchema,
      errors: { 409: OFFLINE },
    },
  },
  '/api/v1/hosts/{id}/grants': {
    get: {
      id: 'listHostGrants',
      summary: 'The unattended-access grants of a host, with whether each admits now',
      access: 'user',
      response: GrantListSchema,
    },
  },
  '/api/v1/hosts/{id}/grants/{grantId}/revoke': {
    post: {
      id: 'revokeHostGrant',
      summary: 'Revoke a grant: a running unattended session under it ends within a second',
      description: 'Its agent, or an administrator.',
      access: 'user',
      response: GrantSchema,
    },
  },
  '/api/v1/session-requests/{id}/unattended': {
    post: {
      id: 'askUnattendedAccess',
      summary: 'Ask the person at a managed host, in a live session, for unattended access (UA1–UA6)',
      description:
        'Answered once the person has answered (the grant is `active` or `denied`). At setup a grant ' +
        'lasts at most 14 days and cannot be unlimited.',
      access: 'user',
      body: GrantAskSchema,
      response: GrantSchema,
      status: 201,
      errors: {
        409: 'Not a live session with control on an online managed host (`illegal_transition`, `permission_denied`, `peer_absent`).',
        422: 'Longer than a grant with the customer’s credentials may last (`grant_too_long`).',
      },
    },
  },
  '/api/v1/host-groups': {
    get: {
      id: 'listHostGroups',
      summary: 'Host groups',
      access: 'user',
      response: HostGroupListSchema,
    },
    post: {
      id: 'createHostGroup',
      summary: 'Create a host group',
      access: 'admin',
      body: HostGroupCreateSchema,
      response: HostGroupSchema,
      status: 201,
      errors: { 409: 'A group with this name exists (`conflict`).' },
    },
  },
  '/api/v1/host-groups/{id}/rights': {
    get: {
      id: 'listHostGroupRights',
      summary: 'Every agent given rights in the group',
      access: 'admin',
      response: HostGroupRightsListSchema,
    },
  },
  '/api/v1/host-groups/{id}/rights/{userId}': {
    put: {
      id: 'setHostGroupRights',
      summary: 'What one agent may do on the hosts of one group (no connect: nothing)',
      access: 'admin',
      body: HostGroupRightsBodySchema,
      response: HostRightsSchema,
    },
  },
};
