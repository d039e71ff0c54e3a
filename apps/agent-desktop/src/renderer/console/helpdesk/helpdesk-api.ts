import {
  ApiTokenCreatedSchema,
  ApiTokenSchema,
  MailTemplateSchema,
  RenderedMailSchema,
  SessionReportSchema,
  WebhookCreatedSchema,
  WebhookDeliveryListSchema,
  WebhookSchema,
  type ApiToken,
  type ApiTokenCreate,
  type ApiTokenCreated,
  type Language,
  type MailTemplate,
  type MailTemplateBody,
  type MailTemplateKind,
  type MailTemplatePreview,
  type RenderedMailPreview,
  type ReportQuery,
  type SessionReport,
  type Webhook,
  type WebhookCreate,
  type WebhookCreated,
  type WebhookDelivery,
  type WebhookPatch,
} from '@beckon/protocol';
import { z } from 'zod';
import type { HttpClient } from '../api/http.ts';

// Lists come as `{items}`; the envelope is built here from the protocol's own item schemas.
const itemsOf = <S extends z.ZodType>(item: S) => z.object({ items: z.array(item) });
const enc = encodeURIComponent;

/** The integration an administrator sets up for a helpdesk: tokens, webhooks, templates, reports. */
export interface HelpdeskApi {
  listTokens(): Promise<ApiToken[]>;
  createToken(body: ApiTokenCreate): Promise<ApiTokenCreated>;
  /** 409 while cases the token created are open, unless `closeCases`. */
  revokeToken(id: string, closeCases?: boolean): Promise<ApiToken>;
  listWebhooks(): Promise<Webhook[]>;
  createWebhook(body: WebhookCreate): Promise<WebhookCreated>;
  patchWebhook(id: string, body: WebhookPatch): Promise<Webhook>;
  rotateWebhookSecret(id: string): Promise<WebhookCreated>;
  deliveries(id: string): Promise<WebhookDelivery[]>;
  redeliver(id: string, deliveryId: string): Promise<WebhookDelivery[]>;
  getTemplate(kind: MailTemplateKind, language: Language): Promise<MailTemplate>;
  saveTemplate(kind: MailTemplateKind, language: Language, body: MailTemplateBody): Promise<MailTemplate>;
  resetTemplate(kind: MailTemplateKind, language: Language): Promise<MailTemplate>;
  previewTemplate(body: MailTemplatePreview): Promise<RenderedMailPreview>;
  report(query: ReportQuery): Promise<SessionReport>;
  reportCsv(query: ReportQuery): Promise<string>;
}

const reportQuery = (q: ReportQuery) => ({
  from: q.from,
  to: q.to,
  tz: q.tz,
  technician: q.technician,
  groupBy: q.groupBy,
});

export function createHelpdeskApi(http: HttpClient): HelpdeskApi {
  const template = (kind: MailTemplateKind, language: Language) =>
    `/api/v1/mail-templates/${enc(kind)}/${enc(language)}`;
  return {
    listTokens: async () => (await http.call('GET', '/api/v1/api-tokens', itemsOf(ApiTokenSchema))).items,
    createToken: (body) => http.call('POST', '/api/v1/api-tokens', ApiTokenCreatedSchema, { body }),
    revokeToken: (id, closeCases = false) =>
      http.call('DELETE', `/api/v1/api-tokens/${enc(id)}`, ApiTokenSchema, {
        query: closeCases ? { closeCases: 'true' } : undefined,
      }),
    listWebhooks: async () => (await http.call('GET', '/api/v1/webhooks', itemsOf(WebhookSchema))).items,
    createWebhook: (body) => http.call('POST', '/api/v1/webhooks', WebhookCreatedSchema, { body }),
    patchWebhook: (id, body) => http.call('PATCH', `/api/v1/webhooks/${enc(id)}`, WebhookSchema, { body }),
    rotateWebhookSecret: (id) =>
      http.call('POST', `/api/v1/webhooks/${enc(id)}/rotate-secret`, WebhookCreatedSchema),
    deliveries: async (id) =>
      (await http.call('GET', `/api/v1/webhooks/${enc(id)}/deliveries`, WebhookDeliveryListSchema)).items,
    redeliver: async (id, deliveryId) =>
      (
        await http.call(
          'POST',
          `/api/v1/webhooks/${enc(id)}/deliveries/${enc(deliveryId)}/redeliver`,
          WebhookDeliveryListSchema,
        )
      ).items,
    getTemplate: (kind, language) => http.call('GET', template(kind, language), MailTemplateSchema),
    saveTemplate: (kind, language, body) =>
      http.call('PUT', template(kind, language), MailTemplateSchema, { body }),
    resetTemplate: (kind, language) => http.call('DELETE', template(kind, language), MailTemplateSchema),
    previewTemplate: (body) =>
      http.call('POST', '/api/v1/mail-templates/preview', RenderedMailSchema, { body }),
    report: (q) =>
      http.call('GET', '/api/v1/reports/sessions', SessionReportSchema, { query: reportQuery(q) }),
    reportCsv: (q) =>
      http.text('GET', '/api/v1/reports/sessions', { query: { ...reportQuery(q), format: 'csv' } }),
  };
}
