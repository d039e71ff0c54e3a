import type {
  Actor,
  Language,
  RemotePermission,
  RequestEvent,
  SessionStatus,
  TicketRef,
} from '@beckon/protocol';

// The request's records, apart from the Storage interface: the per-feature
// store types (helpdesk-types.ts, adhoc-types.ts) use them, and types.ts
// refers to those stores, so sharing one file would make an import cycle.

export interface RequestRecord {
  id: string;
  orgId: string;
  code: string;
  /** Signs the request's link token (see domain/link-tokens.ts). */
  tokenSalt: string;
  /** The SHA-256 of a link token minted before tokens carried their request's id; null since. */
  legacyTokenHash: string | null;
  status: SessionStatus;
  recipientName: string;
  recipientEmail: string | null;
  language: Language;
  comment: string | null;
  scheduledAt: string | null;
  expiresAt: string;
  timeZone: string;
  assigneeType: 'unassigned' | 'agent' | 'device' | 'queue';
  assigneeId: string | null;
  permissions: RemotePermission[];
  ticket: TicketRef | null;
  createdBy: Actor;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** 0 when created; raised by every change, so equal versions mean equal records. */
  version: number;
}

/** A listed request as far as a list needs it to tell whether its copy is current. */
export type RequestVersion = Pick<
  RequestRecord,
  'id' | 'version' | 'createdAt' | 'assigneeType' | 'assigneeId'
>;

export interface NewEvent {
  at: string;
  kind: RequestEvent['kind'];
  fromStatus: SessionStatus | null;
  toStatus: SessionStatus | null;
  actor: Actor;
  reason: string | null;
}

export interface NewMail {
  orgId: string;
  requestId: string | null;
  kind: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  language: Language;
  createdAt: string;
}
