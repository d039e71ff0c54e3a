import type { FastifyInstance } from 'fastify';
import type { BrokerConfig } from './config.ts';
import { ApiTokenService } from './domain/api-tokens.ts';
import { startAuditHeadAnnouncer } from './domain/audit-head.ts';
import { AuditService } from './domain/audit-service.ts';
import { ServiceCaseService } from './domain/case-service.ts';
import type { CredentialEvents } from './domain/credential-events.ts';
import type { NotificationService } from './domain/notification-service.ts';
import type { ReadModelContext } from './domain/read-model.ts';
import { ReportService } from './domain/report-service.ts';
import type { RequestService } from './domain/request-service.ts';
import type { TemplateService } from './domain/template-service.ts';
import { WebhookService } from './domain/webhook-service.ts';
import type { HelpdeskServices } from './http/helpdesk-services.ts';
import { auditRoutes } from './http/routes/audit-routes.ts';
import { caseRoutes } from './http/routes/case-routes.ts';
import { integrationRoutes } from './http/routes/integration-routes.ts';
import { parseAllowlist, type Resolver } from './webhooks/url-guard.ts';
import { startWebhookWorker, type WebhookLogger, type WebhookWorker } from './webhooks/worker.ts';

export interface Helpdesk {
  services: HelpdeskServices;
  routes(app: FastifyInstance): void;
  start(): void;
  stop(): Promise<void>;
}

/** Largest answer body read from a webhook receiver; only its status counts. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * The helpdesk integration (SC), wired to the broker's storage and
 * request service: tokens, cases, webhooks and their delivery worker,
 * templates, notifications, reports.
 */
export function createHelpdesk(deps: {
  config: BrokerConfig;
  rm: ReadModelContext;
  requests: RequestService;
  /** Made before the request service, which renders invites and notices with them. */
  templates: TemplateService;
  notifications: NotificationService;
  /** Told of API-token revocations, so sockets opened with a token close too. */
  credentials: CredentialEvents;
  now: () => Date;
  log: WebhookLogger;
  resolve?: Resolver;
}): Helpdesk {
  const { config, rm, requests, templates, notifications, now } = deps;
  const { storage, secret } = rm;
  const allowlist = parseAllowlist(config.webhooks.allowlist);
  let worker: WebhookWorker | null = null;
  let announcer: { stop(): void } | null = null;
  const kick = () => worker?.kick();

  const cases = new ServiceCaseService({ rm, requests, now, onEvent: kick });
  const apiTokens = new ApiTokenService(storage, now, {
    closeCases: (orgId, ids, actor) => cases.closeMany(orgId, ids, actor),
    credentials: deps.credentials,
  });
  const webhooks = new WebhookService({
    storage,
    secret,
    allowlist,
    resolve: deps.resolve,
    now,
    onRequeue: kick,
  });
  // Status changes of cases commit their deliveries with them; send them at once.
  // Only status changes write deliveries (a new case kicks for itself): a new
  // or edited request has nothing to send and costs the worker no look.
  const unsubscribe = requests.onChange((_orgId, change) => {
    if (change === 'status') kick();
  });

  const services: HelpdeskServices = {
    apiTokens,
    cases,
    webhooks,
    reports: new ReportService(storage),
    templates,
    notifications,
    audit: new AuditService(storage),
  };
  return {
    services,
    routes(app) {
      caseRoutes(app, services);
      integrationRoutes(app, services);
      auditRoutes(app, services);
    },
    start() {
      worker = startWebhookWorker({
        store: storage.webhooks,
        allowlist,
        secretOf: (d) => webhooks.secretOf({ id: d.webhookId, secretSalt: d.secretSalt }),
        logger: deps.log,
        limits: { timeoutMs: config.webhooks.timeoutMs, maxResponseBytes: MAX_RESPONSE_BYTES },
        backoffBaseMs: config.webhooks.retryBaseMs,
        backoffMaxMs: config.webhooks.retryMaxMs,
        maxAgeMs: config.webhooks.maxAgeMs,
        leaseMs: config.webhooks.leaseMs,
        resolve: deps.resolve,
        now,
      });
      announcer = startAuditHeadAnnouncer({
        storage,
        intervalMs: config.webhooks.auditHeadIntervalMs,
        now,
        onQueued: kick,
        log: deps.log,
      });
    },
    async stop() {
      unsubscribe();
      announcer?.stop();
      announcer = null;
      await worker?.stop();
      worker = null;
    },
  };
}
