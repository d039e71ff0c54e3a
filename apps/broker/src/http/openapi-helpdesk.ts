import {
  ApiTokenCreateSchema,
  AuditListQuerySchema,
  AuditPageSchema,
  ApiTokenCreatedSchema,
  ApiTokenRevokeQuerySchema,
  ApiTokenSchema,
  MailTemplateBodySchema,
  MailTemplateListSchema,
  MailTemplatePreviewSchema,
  MailTemplateSchema,
  NotificationSettingsSchema,
  RenderedMailSchema,
  ReportQuerySchema,
  ServiceCaseCreateSchema,
  ServiceCaseListSchema,
  ServiceCaseSchema,
  SessionRecordListSchema,
  SessionReportSchema,
  TicketCloseCheckSchema,
  TicketQuerySchema,
  WebhookCreateSchema,
  WebhookCreatedSchema,
  WebhookDeliveryListQuerySchema,
  WebhookDeliveryListSchema,
  WebhookPatchSchema,
  WebhookSchema,
} from '@beckon/protocol';
import { z } from 'zod';
import type { Op } from './openapi.ts';

const token = (scope: string) =>
  `Signed-in agent, or an API token (\`Authorization: Bearer bkt_…\`) with the scope \`${scope}\`.`;
const ADMIN = 'Administrators only (signed in); API tokens are refused.';

/** The helpdesk integration's part of the API (issue 8). */
export const HELPDESK_OPERATIONS: Record<string, Record<string, Op>> = {
  '/api/v1/api-tokens': {
    get: {
      summary: 'API tokens (admin)',
      description: ADMIN,
      response: z.object({ items: z.array(ApiTokenSchema) }),
    },
    post: {
      summary: 'Create an API token; its secret is shown in this answer only',
      description: ADMIN,
      body: ApiTokenCreateSchema,
      response: ApiTokenCreatedSchema,
      status: 201,
    },
  },
  '/api/v1/api-tokens/{id}': {
    delete: {
      summary: 'Revoke an API token (409 while its cases are open, unless closeCases=true closes them)',
      description: ADMIN,
      query: ApiTokenRevokeQuerySchema,
      response: ApiTokenSchema,
    },
  },
  '/api/v1/service-cases': {
    post: {
      summary: 'Create a service case for a ticket (409 naming the open case if the ticket has one)',
      description: token('service_cases:write'),
      body: ServiceCaseCreateSchema,
      response: ServiceCaseSchema,
      status: 201,
    },
    get: {
      summary: "A ticket's cases, newest first",
      description: token('service_cases:read'),
      query: TicketQuerySchema,
      response: ServiceCaseListSchema,
    },
  },
  '/api/v1/service-cases/close-check': {
    get: {
      summary: 'May the ticket be closed? Not while one of its cases is open',
      description: token('service_cases:read'),
      query: TicketQuerySchema,
      response: TicketCloseCheckSchema,
    },
  },
  '/api/v1/service-cases/{id}': {
    get: {
      summary: 'A service case with its sessions',
      description: token('service_cases:read'),
      response: ServiceCaseSchema,
    },
  },
  '/api/v1/service-cases/{id}/close': {
    post: {
      summary: 'Close the case at once (links and code die); answers with its sessions',
      description: token('service_cases:write'),
      response: ServiceCaseSchema,
    },
  },
  '/api/v1/session-requests/{id}/sessions': {
    get: {
      summary: 'The remote sessions of a request: start, end, duration, agent, outcome',
      description: token('service_cases:read'),
      response: SessionRecordListSchema,
    },
  },
  '/api/v1/audit': {
    get: {
      summary: 'The tamper-evident audit log, newest first, with filters and cursor pages',
      description:
        'Administrators (signed in), or an API token with the scope `audit:read`. Each entry carries the SHA-256 ' +
        'of the one before it (`prevHash`) and its own (`hash`); pass `nextCursor` as `cursor` for older entries. ' +
        'CSV (every matching entry) with `Accept: text/csv` or `format=csv`.',
      query: AuditListQuerySchema,
      response: AuditPageSchema,
    },
  },
  '/api/v1/reports/sessions': {
    get: {
      summary: 'Sessions by technician and date range, with ticket breakdowns',
      description: `${token('reports:read')} JSON by default; CSV with \`Accept: text/csv\` or \`format=csv\`.`,
      query: ReportQuerySchema,
      response: SessionReportSchema,
    },
  },
  '/api/v1/webhooks': {
    get: {
      summary: 'Webhook endpoints with their last delivery',
      description: ADMIN,
      response: z.object({ items: z.array(WebhookSchema) }),
    },
    post: {
      summary: 'Register an endpoint; its signing secret is shown in this answer only',
      description: `${ADMIN} https only; local and private addresses are refused unless in BECKON_WEBHOOK_ALLOWLIST.`,
      body: WebhookCreateSchema,
      response: WebhookCreatedSchema,
      status: 201,
    },
  },
  '/api/v1/webhooks/{id}': {
    get: { summary: 'A webhook endpoint', description: ADMIN, response: WebhookSchema },
    patch: {
      summary: 'Change URL, events, description or pause it',
      description: ADMIN,
      body: WebhookPatchSchema,
      response: WebhookSchema,
    },
    delete: { summary: 'Remove an endpoint (its pending deliveries fail)', description: ADMIN, status: 204 },
  },
  '/api/v1/webhooks/{id}/rotate-secret': {
    post: { summary: 'A new signing secret, shown once', description: ADMIN, response: WebhookCreatedSchema },
  },
  '/api/v1/webhooks/{id}/deliveries': {
    get: {
      summary: 'Deliveries of an endpoint, newest first, with their last status',
      description: ADMIN,
      query: WebhookDeliveryListQuerySchema,
      response: WebhookDeliveryListSchema,
    },
  },
  '/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver': {
    post: {
      summary: 'Send a failed delivery again',
      description: ADMIN,
      response: WebhookDeliveryListSchema,
    },
  },
  '/api/v1/mail-templates': {
    get: {
      summary: 'Mail templates of every kind and language (saved or built-in)',
      description: ADMIN,
      response: MailTemplateListSchema,
    },
  },
  '/api/v1/mail-templates/preview': {
    post: {
      summary: 'Render a template with sample values',
      description: ADMIN,
      body: MailTemplatePreviewSchema,
      response: RenderedMailSchema,
    },
  },
  '/api/v1/mail-templates/{kind}/{language}': {
    get: { summary: 'One mail template', description: ADMIN, response: MailTemplateSchema },
    put: {
      summary: 'Save a template (unknown {{parameters}} are refused)',
      description: ADMIN,
      body: MailTemplateBodySchema,
      response: MailTemplateSchema,
    },
    delete: { summary: 'Back to the built-in text', description: ADMIN, response: MailTemplateSchema },
  },
  '/api/v1/me/notification-settings': {
    get: { summary: 'My notification settings', response: NotificationSettingsSchema },
    put: {
      summary: 'Change my notification settings',
      body: NotificationSettingsSchema,
      response: NotificationSettingsSchema,
    },
  },
};
