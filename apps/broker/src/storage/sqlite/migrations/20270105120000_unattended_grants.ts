import type { Migration } from './migration.ts';

/**
 * Unattended access (UA1–UA7). A grant is asked in a live session with a
 * managed host, approved on the computer, and kept here and by the host.
 * No password is ever stored: at setup only the user name the host's OS
 * verified, and when. `host_sessions` ties every request an agent's Connect
 * to a host made to that host (and, unattended, to its grant and reason);
 * `grant_events` is the record of every ask, answer, use, refusal and
 * revocation: who, when, from where.
 */
export const unattendedGrants: Migration = {
  id: '20270105120000_unattended_grants',
  sql: `
ALTER TABLE host_group_rights ADD COLUMN may_unattended INTEGER NOT NULL DEFAULT 0
  CHECK (may_unattended IN (0, 1));

CREATE TABLE unattended_grants (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  host_id TEXT NOT NULL REFERENCES managed_hosts(id) ON DELETE CASCADE,
  agent_id TEXT NOT NULL REFERENCES users(id),
  agent_name TEXT NOT NULL,
  request_id TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('at_connection', 'at_setup')),
  permissions TEXT NOT NULL,
  duration TEXT NOT NULL,
  daily TEXT,
  time_zone TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'denied', 'revoked')),
  created_at TEXT NOT NULL,
  approved_at TEXT,
  verified_user TEXT,
  verified_at TEXT,
  revoked_at TEXT,
  revoked_by TEXT
);
CREATE INDEX unattended_grants_host ON unattended_grants (host_id, created_at);

CREATE TABLE host_sessions (
  request_id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  host_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  grant_id TEXT REFERENCES unattended_grants(id),
  reason TEXT,
  created_at TEXT NOT NULL,
  started_at TEXT,
  ended_at TEXT
);
CREATE INDEX host_sessions_grant ON host_sessions (grant_id);

CREATE TABLE grant_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id TEXT NOT NULL,
  host_id TEXT NOT NULL,
  grant_id TEXT,
  request_id TEXT,
  kind TEXT NOT NULL,
  actor_type TEXT NOT NULL,
  actor_id TEXT,
  actor_name TEXT,
  address TEXT,
  detail TEXT,
  at TEXT NOT NULL
);
CREATE INDEX grant_events_host ON grant_events (host_id, id);
`,
};
