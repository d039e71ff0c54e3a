import type { ApiTokenService } from '../domain/api-tokens.ts';
import type { AuditService } from '../domain/audit-service.ts';
import type { ServiceCaseService } from '../domain/case-service.ts';
import type { NotificationService } from '../domain/notification-service.ts';
import type { ReportService } from '../domain/report-service.ts';
import type { TemplateService } from '../domain/template-service.ts';
import type { WebhookService } from '../domain/webhook-service.ts';

/** What the helpdesk routes may call. */
export interface HelpdeskServices {
  apiTokens: ApiTokenService;
  cases: ServiceCaseService;
  webhooks: WebhookService;
  reports: ReportService;
  templates: TemplateService;
  notifications: NotificationService;
  audit: AuditService;
}
