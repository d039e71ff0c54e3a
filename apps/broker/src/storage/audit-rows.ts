import { AUDIT_GENESIS_HASH } from '@beckon/protocol';
import { canonicalJson, type ChainFields } from '../domain/audit-chain.ts';
import type { AuditDraft } from './audit-types.ts';

// The audit_log row as both backends read it and write it (the same columns),
// as the chain covers it: one mapping each way, no SQL. How an append keeps the
// chain one line (one writer, or a lock) stays with each backend.

export interface AuditRow {
  seq: number;
  org_id: string | null;
  actor_type: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: string;
  ip: string | null;
  at: string;
  prev_hash: string;
  hash: string;
}

/** A stored row as the chain covers it (tests read the file with it too). */
export const chainRowOf = (r: AuditRow): ChainFields & { hash: string } => ({
  seq: r.seq,
  orgId: r.org_id,
  actorType: r.actor_type,
  actorId: r.actor_id,
  actorName: r.actor_name,
  action: r.action,
  targetType: r.target_type,
  targetId: r.target_id,
  details: r.details,
  ip: r.ip,
  at: r.at,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** A draft as the next link after `prev` (the last row's seq and hash; none: the genesis). */
export const chainFieldsOf = (
  d: AuditDraft,
  prev: { seq: number; hash: string } | undefined,
): ChainFields => ({
  seq: (prev?.seq ?? 0) + 1,
  orgId: d.orgId,
  actorType: d.actor.type,
  actorId: d.actor.id,
  actorName: d.actor.name,
  action: d.action,
  targetType: d.target?.type ?? null,
  targetId: d.target?.id ?? null,
  details: canonicalJson(d.details),
  ip: d.ip,
  at: d.at,
  prevHash: prev?.hash ?? AUDIT_GENESIS_HASH,
});
