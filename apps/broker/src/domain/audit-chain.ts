import { createHash } from 'node:crypto';
import { AUDIT_GENESIS_HASH, type AuditEntry, type AuditHead } from '@beckon/protocol';

/**
 * The audit log's chain. Each entry's hash is the SHA-256 of a canonical
 * serialization of its fields and the previous entry's hash, so an edit of
 * any field, or a deleted entry, breaks every later link; a cut-off end is
 * caught against an exported head (the newest seq and hash, kept elsewhere).
 */

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** The fields a hash covers, as stored (`details` is its canonical JSON text). */
export interface ChainFields {
  seq: number;
  orgId: string | null;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: string;
  ip: string | null;
  at: string;
  prevHash: string;
}

/** A fixed-order array, so no field can be shifted into another's place. */
export function auditHash(f: ChainFields): string {
  const text = JSON.stringify([
    'beckon-audit-v1',
    f.seq,
    f.orgId,
    f.actorType,
    f.actorId,
    f.actorName,
    f.action,
    f.targetType,
    f.targetId,
    f.details,
    f.ip,
    f.at,
    f.prevHash,
  ]);
  return createHash('sha256').update(text).digest('hex');
}

export type ChainProblem =
  | { seq: number; reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'missing' }
  | { seq: number; reason: 'head_missing' | 'head_mismatch' };

export interface VerifyResult {
  ok: boolean;
  /** Entries checked. */
  checked: number;
  head: AuditHead;
  /** The first broken entry, by seq, and why. */
  problem: ChainProblem | null;
}

/**
 * Checks stored rows in seq order (any iterable, so a large log is read in
 * pages). The first problem is named: an entry whose own fields no longer
 * give its hash (edited), one whose prev_hash is not its predecessor's hash
 * (a predecessor edited and rehashed), or a missing seq (deleted). Against an
 * exported head, the log must still hold that seq with that hash.
 */
export async function verifyChain(
  rows: AsyncIterable<ChainFields & { hash: string }> | Iterable<ChainFields & { hash: string }>,
  expected?: AuditHead,
): Promise<VerifyResult> {
  let prevHash = AUDIT_GENESIS_HASH;
  let prevSeq = 0;
  let at: string | null = null;
  let checked = 0;
  let headSeen = false;
  const fail = (problem: ChainProblem): VerifyResult => ({
    ok: false,
    checked,
    head: { seq: prevSeq, hash: prevHash, at },
    problem,
  });
  for await (const row of rows) {
    if (row.seq !== prevSeq + 1) return fail({ seq: prevSeq + 1, reason: 'missing' });
    if (row.prevHash !== prevHash) return fail({ seq: row.seq, reason: 'prev_hash_mismatch' });
    if (auditHash(row) !== row.hash) return fail({ seq: row.seq, reason: 'hash_mismatch' });
    if (expected && row.seq === expected.seq) {
      if (row.hash !== expected.hash) return fail({ seq: row.seq, reason: 'head_mismatch' });
      headSeen = true;
    }
    prevHash = row.hash;
    prevSeq = row.seq;
    at = row.at;
    checked += 1;
  }
  if (expected && expected.seq > 0 && !headSeen) return fail({ seq: expected.seq, reason: 'head_missing' });
  return { ok: true, checked, head: { seq: prevSeq, hash: prevHash, at }, problem: null };
}

/** One line a person reads: which entry, and what is wrong with it. */
export function describeProblem(p: ChainProblem): string {
  switch (p.reason) {
    case 'hash_mismatch':
      return `entry ${p.seq} was changed: its fields no longer give its hash`;
    case 'prev_hash_mismatch':
      return `entry ${p.seq} does not follow the entry before it (that entry was changed or replaced)`;
    case 'missing':
      return `entry ${p.seq} is missing (deleted)`;
    case 'head_missing':
      return `entry ${p.seq}, the exported head, is missing: the end of the log was cut off`;
    case 'head_mismatch':
      return `entry ${p.seq} differs from the exported head`;
  }
}

/** The wire shape of a stored row. */
export function toEntry(row: ChainFields & { hash: string }): AuditEntry {
  return {
    seq: row.seq,
    orgId: row.orgId,
    actor: { type: row.actorType as AuditEntry['actor']['type'], id: row.actorId, name: row.actorName },
    action: row.action as AuditEntry['action'],
    target: row.targetType === null ? null : { type: row.targetType, id: row.targetId },
    details: JSON.parse(row.details) as Record<string, unknown>,
    ip: row.ip,
    at: row.at,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}
