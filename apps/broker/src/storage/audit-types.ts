import type { AuditAction, AuditActor, AuditEntry, AuditHead, AuditTarget } from '@beckon/protocol';
import type { ChainFields } from '../domain/audit-chain.ts';

/**
 * One act to be recorded. A store method whose act writes takes its drafts
 * and appends them inside the act's own transaction, so an act and its entry
 * commit together or not at all (see domain/audit-service.ts).
 */
export interface AuditDraft {
  orgId: string | null;
  actor: AuditActor;
  action: AuditAction;
  target: AuditTarget | null;
  details: Record<string, unknown>;
  ip: string | null;
  at: string;
}

/** What a status change's audit entry adds (domain/audit-rules.ts): details, and where the act came from. */
export interface TransitionAuditInfo {
  details?: Record<string, unknown>;
  ip?: string | null;
}

export interface AuditFilter {
  /** Null: broker-wide entries are included (an admin sees their organisation's and those). */
  orgId: string;
  action?: AuditAction;
  actor?: string;
  target?: string;
  from?: string;
  to?: string;
  /** Entries with a smaller seq than this. */
  beforeSeq?: number;
  limit: number;
}

export interface AuditStore {
  /** Appends drafts on their own (acts that write nothing else, e.g. a failed sign-in). */
  append(drafts: AuditDraft[]): Promise<AuditEntry[]>;
  /** Newest first. */
  list(filter: AuditFilter): Promise<AuditEntry[]>;
  head(): Promise<AuditHead>;
  /** Stored rows in seq order, read in pages: what `audit verify` checks. */
  rows(): AsyncIterable<ChainFields & { hash: string }>;
  /** Whether an entry with this action and target exists since `at` (e.g. a token's first use today). */
  existsSince(action: AuditAction, targetId: string, at: string): Promise<boolean>;
}
