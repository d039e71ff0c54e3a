import type { NewEvent, NewMail, RequestRecord, RequestVersion } from './request-types.ts';
import type {
  AccountPermission,
  Actor,
  AgentDevice,
  OutboxMail,
  Queue,
  RequestEvent,
  Role,
  SessionEvent,
  SessionStatus,
  User,
} from '@beckon/protocol';
import type {
  ApiTokenStore,
  MailTemplateStore,
  NotificationSettingsStore,
  ServiceCaseStore,
  SessionRecordStore,
  TransitionRules,
  WebhookStore,
} from './helpdesk-types.ts';
import type { BrandingStore } from './branding-types.ts';
import type { FailureCounterStore } from './failure-counters.ts';
import type { AuditDraft, AuditStore, TransitionAuditInfo } from './audit-types.ts';
import type { GrantStore } from './grant-types.ts';
import type { HostStore } from './host-types.ts';
import type { AdhocStore } from './adhoc-types.ts';

/**
 * The broker's storage, as the domain sees it. Methods are async and each one
 * is a whole unit of work (one transaction), so a PostgreSQL implementation
 * can stand in for the SQLite one without touching routes or services.
 * Times are UTC ISO-8601 strings throughout.
 */
export interface Storage {
  orgs: OrgStore;
  users: UserStore;
  authSessions: AuthSessionStore;
  queues: QueueStore;
  devices: DeviceStore;
  requests: RequestStore;
  outbox: OutboxStore;
  apiTokens: ApiTokenStore;
  cases: ServiceCaseStore;
  sessions: SessionRecordStore;
  webhooks: WebhookStore;
  mailTemplates: MailTemplateStore;
  notificationSettings: NotificationSettingsStore;
  branding: BrandingStore;
  /** Sign-in failure counters (the throttle's model is in failure-counters.ts). */
  failureCounters: FailureCounterStore;
  /** The tamper-evident audit log (domain/audit-chain.ts). */
  audit: AuditStore;
  /** Managed hosts (UA, AH), their groups and enrolment codes: apart from agent devices. */
  hosts: HostStore;
  /** Unattended-access grants (UA), the requests made to hosts, and their record. */
  grants: GrantStore;
  /** Ad-hoc support sessions (AH), their seats and records. */
  adhoc: AdhocStore;
  /** Named leases of tasks that run on one broker at a time (the expiry sweep). */
  leases: WorkerLeaseStore;
  close(): Promise<void>;
}

export interface Org {
  id: string;
  name: string;
  createdAt: string;
}

export interface OrgStore {
  /** The first organisation and its admin, once: false if setup was already done. */
  setupOnce(org: Org, admin: UserRecord): Promise<boolean>;
  isSetUp(): Promise<boolean>;
  get(id: string): Promise<Org | null>;
}

export interface UserRecord extends User {
  passwordHash: string;
  /** Columns of the old lockout, no longer read: failures are in failureCounters. */
  failedLogins: number;
  lockedUntil: string | null;
}

export interface UserStore {
  byEmail(email: string): Promise<UserRecord | null>;
  byId(id: string): Promise<UserRecord | null>;
  list(orgId: string): Promise<User[]>;
  /** Enabled administrators of every organisation: who hears of an attack on the broker as a whole. */
  listAdmins(): Promise<User[]>;
  create(user: UserRecord, audit?: readonly AuditDraft[]): Promise<void>;
  update(
    id: string,
    patch: Partial<Pick<UserRecord, 'name' | 'role' | 'permissions' | 'passwordHash' | 'disabled'>>,
    audit?: readonly AuditDraft[],
  ): Promise<void>;
}

export interface AuthSessionRecord {
  tokenHash: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
}

export interface AuthSessionStore {
  create(session: AuthSessionRecord, audit?: readonly AuditDraft[]): Promise<void>;
  byTokenHash(tokenHash: string): Promise<AuthSessionRecord | null>;
  revoke(tokenHash: string, audit?: readonly AuditDraft[]): Promise<void>;
  purgeExpired(now: string): Promise<number>;
}

export interface QueueStore {
  list(orgId: string): Promise<Queue[]>;
  get(orgId: string, id: string): Promise<Queue | null>;
  create(orgId: string, queue: Queue, audit?: readonly AuditDraft[]): Promise<void>;
  /** Queue ids the user is a member of. */
  ofMember(userId: string): Promise<string[]>;
}

export interface DeviceStore {
  list(orgId: string): Promise<AgentDevice[]>;
  get(orgId: string, id: string): Promise<AgentDevice | null>;
  register(orgId: string, device: AgentDevice): Promise<void>;
  ofUser(userId: string): Promise<string[]>;
}

export interface RequestFilter {
  orgId: string;
  statuses?: SessionStatus[];
  /** Assignee ids that count as "mine" (the user and their devices) when filtering by `me`. */
  assigneeIds?: string[];
  unassigned?: boolean;
  queueId?: string;
  when?: 'past' | 'upcoming';
  q?: string;
  now: string;
  cursor?: { createdAt: string; id: string };
  limit: number;
}

export type TransitionOutcome =
  | { ok: true; record: RequestRecord; changed: boolean }
  | { ok: false; reason: 'not_found' | 'illegal'; status?: SessionStatus };

export interface RequestStore {
  /** Inserts the request, its events and any mails, atomically. False on a code collision. */
  create(record: RequestRecord, events: NewEvent[], mails: NewMail[]): Promise<boolean>;
  get(orgId: string, id: string): Promise<RequestRecord | null>;
  events(requestId: string): Promise<RequestEvent[]>;
  /** A page of requests, newest first, as versions; the rows themselves come from `getMany`. */
  listVersions(filter: RequestFilter): Promise<RequestVersion[]>;
  /** The organisation's requests with these ids, in any order. */
  getMany(orgId: string, ids: string[]): Promise<RequestRecord[]>;
  /** A live (non-final, unexpired) request by canonical code. */
  findLiveByCode(code: string, now: string): Promise<RequestRecord | null>;
  /**
   * Any request by id, in any organisation, whatever its status. Only for a
   * caller that holds proof of access, a link token, which it then checks.
   */
  findById(id: string): Promise<RequestRecord | null>;
  /** Any request by the hash of a link token of the old format (see RequestRecord). */
  findByLegacyTokenHash(tokenHash: string): Promise<RequestRecord | null>;
  /**
   * Applies a status event inside one transaction: reads the request (locked
   * against other writers: SQLite's single writer, PostgreSQL's FOR UPDATE),
   * asks `rules.next` (the state machine) for its status, writes it and its
   * event row, then writes what `rules.effects` decides (mails, session records,
   * webhooks, audit entries) from the context it reads. Concurrent events on one
   * request cannot interleave: the second sees the first's status, and the
   * state machine may refuse it (`illegal`).
   */
  applyEvent(
    orgId: string,
    id: string,
    event: SessionEvent,
    meta: {
      at: string;
      actor: Actor;
      reason: string | null;
      /** What the audit entry of this change adds (domain/audit-rules.ts): a consent's question id, answer, permissions, the address. */
      audit?: TransitionAuditInfo;
    },
    /** The state machine and what a change writes beside itself: domain/transition-rules.ts. */
    rules: TransitionRules,
  ): Promise<TransitionOutcome>;
  update(
    orgId: string,
    id: string,
    patch: Partial<
      Pick<RequestRecord, 'comment' | 'assigneeType' | 'assigneeId' | 'scheduledAt' | 'expiresAt'>
    >,
    event: NewEvent,
  ): Promise<RequestRecord | null>;
  /** Non-final requests whose expiry is at or before `now`. */
  dueForExpiry(now: string, limit: number): Promise<{ orgId: string; id: string }[]>;
  addEventAndMails(requestId: string, event: NewEvent | null, mails: NewMail[]): Promise<void>;
  /** Requests whose status says an end user is present (waiting, ready, in_session). */
  withClient(): Promise<{ orgId: string; id: string; status: SessionStatus }[]>;
}

export interface OutboxRecord extends OutboxMail {
  orgId: string;
  html: string;
  text: string;
}

/**
 * Leases: a row a worker sends is claimed first, for one owner until a time,
 * so brokers sharing a database never send it twice, and a row whose owner
 * died is claimed again once its lease has run out (the rules are in
 * domain/worker-leases.ts). A claim is one statement in one transaction: on
 * SQLite an `UPDATE … RETURNING` inside the write transaction (one writer at a
 * time); on PostgreSQL `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED
 * LIMIT n) RETURNING`, so concurrent claimers skip each other's rows instead
 * of waiting. A claim takes rows nobody holds, rows whose lease ran out, and
 * rows the same owner holds already (its lease is renewed).
 */
export interface OutboxStore {
  enqueue(mail: NewMail): Promise<number>;
  /** Claims pending mails due at `now`, oldest first, for `owner` until `leaseUntil`. */
  claim(owner: string, now: string, leaseUntil: string, limit: number): Promise<OutboxRecord[]>;
  /**
   * Marks a mail sent and ends its lease, whoever holds it now (the server took
   * it: that stands); false if it was no longer pending.
   */
  markSent(id: number, at: string): Promise<boolean>;
  /**
   * Records a failed attempt and ends the lease, only while `owner` still holds
   * it (false otherwise: the row is another worker's now, and its outcome counts).
   */
  markRetry(
    id: number,
    owner: string,
    error: string,
    nextAttemptAt: string,
    failed: boolean,
  ): Promise<boolean>;
  /**
   * Ends `owner`'s lease on those of `ids` it still holds and that are still
   * pending, changing nothing else: claimed mails a worker will not try now
   * (the server is down, it is stopping) are free for any broker at once,
   * instead of waiting for the lease to run out. Returns how many it freed.
   */
  release(ids: number[], owner: string): Promise<number>;
  list(orgId: string, limit: number): Promise<OutboxMail[]>;
}

/**
 * Named leases, for a task rather than rows (the expiry sweep): one holder at
 * a time across brokers, taken over once it has run out.
 */
export interface WorkerLeaseStore {
  /** Takes or renews the lease `name` for `owner` until `until`, if it is free, run out at `now`, or already `owner`'s. */
  acquire(name: string, owner: string, now: string, until: string): Promise<boolean>;
  /** Gives the lease up at once (a broker stopping), if `owner` holds it. */
  release(name: string, owner: string): Promise<void>;
}

export type { AccountPermission, Role };
export type { NewEvent, NewMail, RequestRecord, RequestVersion } from './request-types.ts';
