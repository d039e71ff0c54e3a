import {
  AdhocActivatedSchema,
  AdhocActivateSchema,
  AdhocCreatedSchema,
  AdhocCreateSchema,
  AdhocDetailSchema,
  AdhocHostReportSchema,
  AdhocListSchema,
  AdhocSeatsBodySchema,
  AdhocSeatsSchema,
  AdhocSummarySchema,
} from '@beckon/protocol';
import type { Op } from './openapi-op.ts';

/**
 * Ad-hoc support (AH1–AH10): a provider's day of repeated access to a computer that is
 * not managed. The two `/api/v1/adhoc/…` calls are the temporary host's, with its security
 * code or removal token instead of a sign-in; the mailed install page (`/adhoc/<token>`) is
 * HTML, not API.
 */
export const ADHOC_OPERATIONS: Record<string, Record<string, Op>> = {
  '/api/v1/adhoc-seats': {
    get: {
      id: 'getAdhocSeats',
      summary: 'Ad-hoc seats: how many the organisation has, how many are in use, its limit (AH5, AH7)',
      access: 'user',
      response: AdhocSeatsSchema,
    },
    put: {
      id: 'setAdhocSeats',
      summary: 'Set the organisation’s ad-hoc seats',
      access: 'admin',
      body: AdhocSeatsBodySchema,
      response: AdhocSeatsSchema,
    },
  },
  '/api/v1/adhoc-sessions': {
    get: {
      id: 'listAdhocSessions',
      summary: 'The organisation’s ad-hoc sessions, newest first',
      access: 'user',
      response: AdhocListSchema,
    },
    post: {
      id: 'createAdhocSession',
      summary: 'Create an ad-hoc session and mail the user the install link and security code (AH1)',
      description:
        'The only answer that shows the predefined password and the security code. Those who may edit ' +
        'session requests.',
      access: 'user',
      body: AdhocCreateSchema,
      response: AdhocCreatedSchema,
      status: 201,
      errors: {
        409: 'A limit holds: no free seat (`adhoc_no_seat`), one active session per provider (`adhoc_provider_limit`), or the organisation’s limit (`adhoc_org_limit`).',
      },
    },
  },
  '/api/v1/adhoc-sessions/{id}': {
    get: {
      id: 'getAdhocSession',
      summary: 'One ad-hoc session with its record (created, activated, connections, end, removal)',
      access: 'user',
      response: AdhocDetailSchema,
    },
  },
  '/api/v1/adhoc-sessions/{id}/end': {
    post: {
      id: 'endAdhocSession',
      summary: 'End an ad-hoc session: its temporary host’s key is refused at once',
      description: 'Its provider, or an administrator.',
      access: 'user',
      response: AdhocSummarySchema,
      errors: { 409: 'The session has already ended (`conflict`).' },
    },
  },
  '/api/v1/adhoc/activate': {
    post: {
      id: 'activateAdhocHost',
      summary: 'The temporary host activates with the security code and a key it made itself (AH3)',
      description: 'The code works once; guesses are throttled like join codes.',
      access: 'public',
      body: AdhocActivateSchema,
      response: AdhocActivatedSchema,
      status: 201,
      errors: {
        401: 'The security code is unknown or used (`invalid_code`).',
        409: 'This key is already enrolled (`conflict`).',
        429: 'Too many wrong codes from this address (`rate_limited`); wait Retry-After seconds.',
      },
    },
  },
  '/api/v1/adhoc/report': {
    post: {
      id: 'reportAdhocHost',
      summary: 'The temporary host reports that its user ended the session, or that it removed itself (AH4)',
      access: 'public',
      body: AdhocHostReportSchema,
      response: AdhocSummarySchema,
      errors: { 401: 'Unknown session or removal token (`invalid_token`).' },
    },
  },
};
