import type { Migration } from './migration.ts';

/**
 * The tamper-evident audit log (domain/audit-chain.ts): one row per
 * security-relevant act, `seq` counting up from 1 over the whole broker,
 * each row's `hash` the SHA-256 of its fields and the previous row's hash.
 * `details` is canonical JSON (sorted keys), stored as hashed.
 */
export const auditLog: Migration = {
  id: '20270101120000_audit_log',
  sql: `
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  org_id TEXT,
  actor_type TEXT NOT NULL,
  actor_id TEXT,
  actor_name TEXT,
  action TEXT NOT NULL,
  target_type TEXT,
  target_id TEXT,
  details TEXT NOT NULL,
  ip TEXT,
  at TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_org_seq ON audit_log(org_id, seq);
CREATE INDEX audit_log_org_action ON audit_log(org_id, action, seq);
CREATE INDEX audit_log_org_actor ON audit_log(org_id, actor_id, seq);
CREATE INDEX audit_log_target ON audit_log(target_id, seq);
`,
};
