import type { Migration } from './migration.ts';

/**
 * Link tokens now carry their request's id and are checked against a MAC
 * (domain/link-tokens.ts), so a request no longer needs a unique hash of its
 * token: that index took a random B-tree page on every create. SQLite cannot
 * drop a UNIQUE column, so the table is rebuilt (SQLite's documented
 * procedure, with foreign keys off around it and checked before commit).
 * Links sent before the upgrade keep working: their hashes move to
 * `legacy_token_hash`, indexed only where present.
 */
export const linkTokens: Migration = {
  id: '20261222120000_link_tokens',
  foreignKeysOff: true,
  sql: `
CREATE TABLE session_requests_new (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  code TEXT NOT NULL,
  token_salt TEXT NOT NULL,
  legacy_token_hash TEXT,
  status TEXT NOT NULL CHECK (status IN ('open','waiting','ready','in_session','closed','expired')),
  recipient_name TEXT NOT NULL,
  recipient_email TEXT,
  language TEXT NOT NULL,
  comment TEXT,
  scheduled_at TEXT,
  expires_at TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  assignee_type TEXT NOT NULL,
  assignee_id TEXT,
  permissions TEXT NOT NULL,
  ticket TEXT,
  created_by_type TEXT NOT NULL,
  created_by_id TEXT,
  created_by_name TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  closed_at TEXT,
  case_system TEXT,
  case_ticket_id TEXT,
  api_token_id TEXT,
  version INTEGER NOT NULL DEFAULT 0
);
INSERT INTO session_requests_new
  SELECT id, org_id, code, token_salt, token_hash, status, recipient_name, recipient_email, language,
    comment, scheduled_at, expires_at, time_zone, assignee_type, assignee_id, permissions, ticket,
    created_by_type, created_by_id, created_by_name, created_at, updated_at, closed_at,
    case_system, case_ticket_id, api_token_id, version
  FROM session_requests;
DROP TABLE session_requests;
ALTER TABLE session_requests_new RENAME TO session_requests;
CREATE UNIQUE INDEX session_requests_live_code ON session_requests(code)
  WHERE status NOT IN ('closed', 'expired');
CREATE INDEX session_requests_org_created ON session_requests(org_id, created_at DESC, id DESC);
CREATE INDEX session_requests_expiry ON session_requests(expires_at) WHERE status NOT IN ('closed', 'expired');
CREATE INDEX session_requests_case_ticket ON session_requests(org_id, case_system, case_ticket_id, created_at)
  WHERE case_system IS NOT NULL;
CREATE INDEX session_requests_api_token ON session_requests(api_token_id)
  WHERE api_token_id IS NOT NULL AND status NOT IN ('closed', 'expired');
CREATE UNIQUE INDEX session_requests_legacy_token ON session_requests(legacy_token_hash)
  WHERE legacy_token_hash IS NOT NULL;
`,
};
