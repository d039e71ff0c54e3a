import type { Migration } from './migration.ts';

/**
 * Ad-hoc support (AH1–AH10). A session's security code, predefined password
 * and the host's removal token are stored only as hashes (the password with
 * scrypt, the others with SHA-256: they are 128-bit or throttled). The code is
 * cleared when used, so it works once. At most one active session per provider
 * is also a unique index, so two racing creates cannot both win.
 */
export const adhocSessions: Migration = {
  id: '20270106120000_adhoc_sessions',
  sql: `
CREATE TABLE adhoc_seats (
  org_id TEXT PRIMARY KEY REFERENCES orgs(id),
  seats INTEGER NOT NULL CHECK (seats >= 0)
);

CREATE TABLE adhoc_sessions (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  provider_id TEXT NOT NULL REFERENCES users(id),
  user_name TEXT NOT NULL,
  email TEXT NOT NULL,
  language TEXT NOT NULL,
  comment TEXT,
  status TEXT NOT NULL CHECK (status IN ('created', 'activated', 'ended', 'removed')),
  password_hash TEXT NOT NULL,
  code_hash TEXT UNIQUE,
  install_token_hash TEXT NOT NULL UNIQUE,
  removal_token_hash TEXT,
  host_id TEXT,
  created_at TEXT NOT NULL,
  activated_at TEXT,
  expires_at TEXT,
  ended_at TEXT,
  end_reason TEXT,
  removed_at TEXT
);
CREATE UNIQUE INDEX adhoc_one_active_per_provider ON adhoc_sessions(provider_id)
  WHERE status IN ('created', 'activated');
CREATE INDEX adhoc_org_status ON adhoc_sessions(org_id, status);
CREATE INDEX adhoc_due ON adhoc_sessions(expires_at) WHERE status = 'activated';

CREATE TABLE adhoc_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL REFERENCES adhoc_sessions(id),
  kind TEXT NOT NULL,
  at TEXT NOT NULL,
  actor_id TEXT,
  detail TEXT
);
CREATE INDEX adhoc_events_session ON adhoc_events(session_id, seq);
`,
};
