import type {
  Actor,
  ApiScope,
  Language,
  MailTemplateKind,
  NotificationSettings,
  SessionEvent,
  SessionRecord,
  SessionStatus,
  TicketRef,
  WebhookDelivery,
  WebhookEvent,
  WebhookEventType,
  WebhookSigning,
} from '@beckon/protocol';
import type { NewEvent, NewMail, RequestRecord } from './request-types.ts';
import type { AuditDraft, TransitionAuditInfo } from './audit-types.ts';

/**
 * The helpdesk integration's part of the Storage interface (see types.ts):
 * the same rules, each method one transaction.
 */

/** A webhook event about the broker rather than a case, before it has its id. */
export type BrokerWebhookEvent = Omit<Extract<WebhookEvent, { type: 'audit.head' | 'security.alarm' }>, 'id'>;

/**
 * One webhook event, ready to queue: built by the domain (domain/webhook-events.ts:
 * its id and its body), written by the store in the transaction of its cause as
 * one delivery per endpoint subscribed to `type`: the endpoints of `orgId`, or of
 * every organisation when it is null (events about the broker itself).
 */
export interface QueuedWebhookEvent {
  orgId: string | null;
  requestId: string | null;
  /** Orders deliveries: a case's by its request, an ad-hoc session's by `adhoc:<id>`. */
  chain: string;
  eventId: string;
  type: WebhookEventType;
  occurredAt: string;
  /** The body every endpoint receives, as sent. */
  payload: string;
}

/** What the store reads, in the transaction of a status change, for the rules to decide its effects. */
export interface TransitionContext {
  /** Whether the request is a service case (only cases talk to helpdesks). */
  isCase: boolean;
  /** Who asked last to connect (the request's latest `connect_requested` event), if anyone. */
  lastConnect: { id: string | null; name: string | null } | null;
  /** The request's session records so far, oldest first. */
  sessions: SessionRecord[];
}

/** A session record a status change opens. */
export interface NewSessionRecord {
  id: string;
  orgId: string;
  requestId: string;
  startedAt: string;
  agentId: string | null;
  agentName: string | null;
  connection: 'relayed' | 'direct' | null;
}

/** The rows a status change writes beside itself, in its transaction: decided in domain/transition-rules.ts. */
export interface TransitionEffects {
  mails: NewMail[];
  openSession: NewSessionRecord | null;
  closeSessions: { id: string; endedAt: string; outcome: string; durationMs: number }[];
  webhooks: QueuedWebhookEvent[];
  audit: AuditDraft[];
}

/**
 * The rules a store applies inside the transaction of a status change. Both
 * are pure and synchronous (they run between the locked read and the writes,
 * on SQLite inside better-sqlite3's synchronous transaction).
 */
export interface TransitionRules {
  /** The state machine: the status after `event`, or null where the event is illegal in `from`. */
  next(from: SessionStatus, event: SessionEvent): { status: SessionStatus; changed: boolean } | null;
  effects(t: AppliedTransition, ctx: TransitionContext): TransitionEffects;
}

/** A committed status change, as the storage hands it to what it writes beside it. */
export interface AppliedTransition {
  record: RequestRecord;
  event: SessionEvent;
  from: RequestRecord['status'];
  changed: boolean;
  at: string;
  actor: Actor;
  reason: string | null;
  audit?: TransitionAuditInfo;
}

export interface ApiTokenRecord {
  id: string;
  orgId: string;
  name: string;
  tokenHash: string;
  prefix: string;
  scopes: ApiScope[];
  createdAt: string;
  createdBy: Actor;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface ApiTokenStore {
  create(token: ApiTokenRecord, audit?: readonly AuditDraft[]): Promise<void>;
  byHash(tokenHash: string): Promise<ApiTokenRecord | null>;
  /** With the number of open cases each created. */
  list(orgId: string, now: string): Promise<(ApiTokenRecord & { activeCases: number })[]>;
  get(orgId: string, id: string, now: string): Promise<(ApiTokenRecord & { activeCases: number }) | null>;
  /**
   * Revokes the token in one transaction with the check for its open cases:
   * unless `force`, a token with open cases stays as it is. Returns the open
   * cases' ids either way; null if there is no such token.
   */
  revoke(
    orgId: string,
    id: string,
    at: string,
    force: boolean,
    audit?: readonly AuditDraft[],
  ): Promise<{ revoked: boolean; openCaseIds: string[] } | null>;
  /**
   * Records a use, with the audit entries `entries` decides from the token's
   * previous use (domain/api-tokens.ts: the first use of a UTC day), in one transaction.
   */
  touch(
    id: string,
    at: string,
    entries?: (lastUsedAt: string | null) => readonly AuditDraft[],
  ): Promise<void>;
}

export interface CaseInfo {
  system: string;
  ticketId: string;
  apiTokenId: string | null;
}

export type CaseCreateOutcome =
  { ok: true } | { ok: false; reason: 'code_taken' } | { ok: false; reason: 'active'; active: RequestRecord };

export interface ServiceCaseStore {
  /**
   * Inserts the case's request, events, mails and `case.created` deliveries
   * atomically, unless the ticket has an open case (then that case is returned).
   */
  create(
    record: RequestRecord,
    info: CaseInfo,
    events: NewEvent[],
    mails: NewMail[],
    webhooks: QueuedWebhookEvent[],
  ): Promise<CaseCreateOutcome>;
  /** The request if it is a service case. */
  get(orgId: string, id: string): Promise<{ record: RequestRecord; apiTokenId: string | null } | null>;
  /** Every case of a ticket, newest first. */
  byTicket(orgId: string, system: string, ticketId: string, limit: number): Promise<RequestRecord[]>;
}

export interface ReportSession {
  requestId: string;
  startedAt: string;
  durationMs: number;
  agentId: string | null;
  agentName: string | null;
  ticket: TicketRef | null;
}

export interface SessionRecordStore {
  ofRequest(requestId: string): Promise<SessionRecord[]>;
  ofRequests(requestIds: string[]): Promise<Map<string, SessionRecord[]>>;
  /** Ended sessions that started in [from, to). */
  forReport(orgId: string, from: string, to: string, agentId: string | null): Promise<ReportSession[]>;
}

export interface WebhookRecord {
  id: string;
  orgId: string;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  secretSalt: string;
  active: boolean;
  /** Which signatures its deliveries carry. */
  signing: WebhookSigning;
  createdAt: string;
  updatedAt: string;
}

export interface LastDelivery {
  status: WebhookDelivery['status'];
  at: string;
  statusCode: number | null;
}

/** A delivery the worker may send now: the oldest pending one of its endpoint and case. */
export interface DueDelivery {
  seq: number;
  id: string;
  webhookId: string;
  chain: string;
  url: string;
  secretSalt: string;
  signing: WebhookSigning;
  eventType: WebhookEventType;
  payload: string;
  attempts: number;
  createdAt: string;
}

export interface WebhookStore {
  /**
   * Queues an event about the broker itself (no case) for every endpoint, in
   * every organisation, that asked for its type; returns how many were queued.
   * Audit drafts given commit with the deliveries.
   */
  broadcast(event: QueuedWebhookEvent, audit?: readonly AuditDraft[]): Promise<number>;
  create(webhook: WebhookRecord, audit?: readonly AuditDraft[]): Promise<void>;
  list(orgId: string): Promise<(WebhookRecord & { lastDelivery: LastDelivery | null })[]>;
  get(orgId: string, id: string): Promise<(WebhookRecord & { lastDelivery: LastDelivery | null }) | null>;
  update(
    orgId: string,
    id: string,
    patch: Partial<
      Pick<WebhookRecord, 'url' | 'events' | 'description' | 'active' | 'secretSalt' | 'signing'>
    >,
    at: string,
    audit?: readonly AuditDraft[],
  ): Promise<boolean>;
  /** Removes the endpoint from use; its pending deliveries fail, its history stays. */
  remove(orgId: string, id: string, at: string, audit?: readonly AuditDraft[]): Promise<boolean>;
  deliveries(
    orgId: string,
    webhookId: string,
    status: WebhookDelivery['status'] | undefined,
    limit: number,
  ): Promise<WebhookDelivery[]>;
  /** Queues a failed delivery again, at once. */
  redeliver(orgId: string, webhookId: string, deliveryId: string, at: string): Promise<boolean>;
  /** Endpoints that may be sent to (active, not removed), in every organisation. */
  activeEndpoints(): Promise<string[]>;
  /**
   * Claims an endpoint's chain heads due at `now`, longest due first, for
   * `owner` until `leaseUntil` (leases: see OutboxStore in types.ts). A head
   * another owner holds is skipped, and so is its chain: the deliveries behind
   * it wait for it.
   */
  claim(
    webhookId: string,
    owner: string,
    now: string,
    leaseUntil: string,
    limit: number,
  ): Promise<DueDelivery[]>;
  /** When the next sendable delivery (a chain head of an active endpoint) falls due, if any. */
  nextDueAt(): Promise<string | null>;
  /** Marks a delivery delivered and ends its lease, whoever holds it now; false if it was no longer pending. */
  markDelivered(seq: number, at: string, statusCode: number): Promise<boolean>;
  /** Records a failed attempt and ends the lease, only while `owner` still holds it (false otherwise). */
  markRetry(
    seq: number,
    owner: string,
    r: { at: string; statusCode: number | null; error: string; nextAttemptAt: string; failed: boolean },
  ): Promise<boolean>;
  /**
   * Ends `owner`'s lease on those of `seqs` it still holds and that are still
   * pending, changing nothing else: claimed heads the worker does not start
   * (the endpoint is full, it is stopping) are free for any broker at once. Returns how many it freed.
   */
  release(seqs: number[], owner: string): Promise<number>;
}

export interface StoredTemplate {
  kind: MailTemplateKind;
  language: Language;
  subject: string;
  body: string;
  updatedAt: string;
}

export interface MailTemplateStore {
  list(orgId: string): Promise<StoredTemplate[]>;
  get(orgId: string, kind: MailTemplateKind, language: Language): Promise<StoredTemplate | null>;
  put(orgId: string, template: StoredTemplate, by: string, audit?: readonly AuditDraft[]): Promise<void>;
  remove(
    orgId: string,
    kind: MailTemplateKind,
    language: Language,
    audit?: readonly AuditDraft[],
  ): Promise<boolean>;
}

export interface NotificationSettingsStore {
  get(userId: string): Promise<NotificationSettings | null>;
  put(userId: string, settings: NotificationSettings, at: string): Promise<void>;
  /** Settings of these users; users without a row are absent. */
  ofUsers(userIds: string[]): Promise<Map<string, NotificationSettings>>;
}
