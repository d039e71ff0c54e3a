import type { Migration } from './migration.ts';

export const init: Migration = {
  id: '20261121120000_init',
  sql: `
CREATE TABLE orgs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL
);

-- One row, written once: first-run setup cannot be repeated.
CREATE TABLE setup (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  org_id TEXT NOT NULL REFERENCES orgs(id),
  done_at TEXT NOT NULL
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'support_agent')),
  permissions TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);

CREATE TABLE auth_sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX auth_sessions_expiry ON auth_sessions(expires_at);

CREATE TABLE queues (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (org_id, name)
);
CREATE TABLE queue_members (
  queue_id TEXT NOT NULL REFERENCES queues(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  PRIMARY KEY (queue_id, user_id)
);

CREATE TABLE agent_devices (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  platform TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT
);

CREATE TABLE session_requests (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  code TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  token_salt TEXT NOT NULL,
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
  closed_at TEXT
);
-- Codes are unique among requests that can still be joined.
CREATE UNIQUE INDEX session_requests_live_code ON session_requests(code)
  WHERE status NOT IN ('closed', 'expired');
CREATE INDEX session_requests_org_created ON session_requests(org_id, created_at DESC, id DESC);
CREATE INDEX session_requests_expiry ON session_requests(expires_at) WHERE status NOT IN ('closed', 'expired');

CREATE TABLE request_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  request_id TEXT NOT NULL REFERENCES session_requests(id),
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT,
  actor_type TEXT NOT NULL,
  actor_id TEXT,
  actor_name TEXT,
  reason TEXT
);
CREATE INDEX request_events_request ON request_events(request_id, id);

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id TEXT NOT NULL,
  request_id TEXT,
  kind TEXT NOT NULL,
  to_addr TEXT NOT NULL,
  subject TEXT NOT NULL,
  html TEXT NOT NULL,
  text TEXT NOT NULL,
  language TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  next_attempt_at TEXT,
  created_at TEXT NOT NULL,
  sent_at TEXT
);
CREATE INDEX outbox_due ON outbox(next_attempt_at, id) WHERE status = 'pending';
`,
};
