import {
  ApiTokenCreateSchema,
  AuditListQuerySchema,
  AuditPageSchema,
  ApiTokenCreatedSchema,
  ApiTokenRevokeQuerySchema,
  ApiTokenListSchema,
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
  WebhookListSchema,
  WebhookSchema,
} from '@beckon/protocol';
import type { Op } from './openapi-op.ts';

/** The helpdesk integration's part of the API. */
export const HELPDESK_OPERATIONS: Record<string, Record<string, Op>> = {
  '/api/v1/api-tokens': {
    get: {
      id: 'listApiTokens',
      summary: 'API tokens (admin)',
      access: 'admin',
      response: ApiTokenListSchema,
    },
    post: {
      id: 'createApiToken',
      summary: 'Create an API token; its secret is shown in this answer only',
      access: 'admin',
      body: ApiTokenCreateSchema,
      response: ApiTokenCreatedSchema,
      status: 201,
    },
  },
  '/api/v1/api-tokens/{id}': {
    delete: {
      id: 'revokeApiToken',
      summary: 'Revoke an API token (409 while its cases are open, unless closeCases=true closes them)',
      errors: {
        409: 'Cases this token created are open; closeCases=true closes them (`conflict`, naming them).',
      },
      access: 'admin',
      query: ApiTokenRevokeQuerySchema,
      response: ApiTokenSchema,
    },
  },
  '/api/v1/service-cases': {
    post: {
      id: 'createServiceCase',
      summary: 'Create a service case for a ticket (409 naming the open case if the ticket has one)',
      errors: { 409: 'The ticket has an open case (`conflict`, naming it).' },
      access: 'service_cases:write',
      body: ServiceCaseCreateSchema,
      response: ServiceCaseSchema,
      status: 201,
    },
    get: {
      id: 'listServiceCases',
      summary: "A ticket's cases, newest first",
      access: 'service_cases:read',
      query: TicketQuerySchema,
      response: ServiceCaseListSchema,
    },
  },
  '/api/v1/service-cases/close-check': {
    get: {
      id: 'checkTicketClose',
      summary: 'May the ticket be closed? Not while one of its cases is open',
      access: 'service_cases:read',
      query: TicketQuerySchema,
      response: TicketCloseCheckSchema,
    },
  },
  '/api/v1/service-cases/{id}': {
    get: {
      id: 'getServiceCase',
      summary: 'A service case with its sessions',
      access: 'service_cases:read',
      response: ServiceCaseSchema,
    },
  },
  '/api/v1/service-cases/{id}/close': {
    post: {
      id: 'closeServiceCase',
      summary: 'Close the case at once (links and code die); answers with its sessions',
      access: 'service_cases:write',
      response: ServiceCaseSchema,
    },
  },
  '/api/v1/session-requests/{id}/sessions': {
    get: {
      id: 'listSessionRecords',
      summary: 'The remote sessions of a request: start, end, duration, agent, outcome',
      access: 'service_cases:read',
      response: SessionRecordListSchema,
    },
  },
  '/api/v1/audit': {
    get: {
      id: 'listAuditEntries',
      access: 'audit:read',
      csv: true,
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
      id: 'getSessionReport',
      summary: 'Sessions by technician and date range, with ticket breakdowns',
      access: 'reports:read',
      description: 'JSON by default; CSV with `Accept: text/csv` or `format=csv`.',
      csv: true,
      query: ReportQuerySchema,
      response: SessionReportSchema,
    },
  },
  '/api/v1/webhooks': {
    get: {
      id: 'listWebhooks',
      summary: 'Webhook endpoints with their last delivery',
      access: 'admin',
      response: WebhookListSchema,
    },
    post: {
      id: 'createWebhook',
      summary: 'Register an endpoint; its signing secret is shown in this answer only',
      access: 'admin',
      description: `https only; local and private addresses are refused unless in BECKON_WEBHOOK_ALLOWLIST.`,
      body: WebhookCreateSchema,
      response: WebhookCreatedSchema,
      status: 201,
    },
  },
  '/api/v1/webhooks/{id}': {
    get: { id: 'getWebhook', summary: 'A webhook endpoint', access: 'admin', response: WebhookSchema },
    patch: {
      id: 'updateWebhook',
      summary: 'Change URL, events, description or pause it',
      access: 'admin',
      body: WebhookPatchSchema,
      response: WebhookSchema,
    },
    delete: {
      id: 'deleteWebhook',
      summary: 'Remove an endpoint (its pending deliveries fail)',
      access: 'admin',
      status: 204,
    },
  },
  '/api/v1/webhooks/{id}/rotate-secret': {
    post: {
      id: 'rotateWebhookSecret',
      summary: 'A new signing secret, shown once',
      access: 'admin',
      response: WebhookCreatedSchema,
    },
  },
  '/api/v1/webhooks/{id}/deliveries': {
    get: {
      id: 'listWebhookDeliveries',
      summary: 'Deliveries of an endpoint, newest first, with their last status',
      access: 'admin',
      query: WebhookDeliveryListQuerySchema,
      response: WebhookDeliveryListSchema,
    },
  },
  '/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver': {
    post: {
      id: 'redeliverWebhookDelivery',
      summary: 'Send a failed delivery again',
      access: 'admin',
      response: WebhookDeliveryListSchema,
    },
  },
  '/api/v1/mail-templates': {
    get: {
      id: 'listMailTemplates',
      summary: 'Mail templates of every kind and language (saved or built-in)',
      access: 'admin',
      response: MailTemplateListSchema,
    },
  },
  '/api/v1/mail-templates/preview': {
    post: {
      id: 'previewMailTemplate',
      summary: 'Render a template with sample values',
      access: 'admin',
      body: MailTemplatePreviewSchema,
      response: RenderedMailSchema,
    },
  },
  '/api/v1/mail-templates/{kind}/{language}': {
    get: {
      id: 'getMailTemplate',
      summary: 'One mail template',
      access: 'admin',
      response: MailTemplateSchema,
    },
    put: {
      id: 'saveMailTemplate',
      summary: 'Save a template (unknown {{parameters}} are refused)',
      access: 'admin',
      body: MailTemplateBodySchema,
      response: MailTemplateSchema,
    },
    delete: {
      id: 'resetMailTemplate',
      summary: 'Back to the built-in text',
      access: 'admin',
      response: MailTemplateSchema,
    },
  },
  '/api/v1/me/notification-settings': {
    get: {
      id: 'getNotificationSettings',
      summary: 'My notification settings',
      response: NotificationSettingsSchema,
      access: 'user',
    },
    put: {
      id: 'saveNotificationSettings',
      summary: 'Change my notification settings',
      access: 'user',
      body: NotificationSettingsSchema,
      response: NotificationSettingsSchema,
    },
  },
};
