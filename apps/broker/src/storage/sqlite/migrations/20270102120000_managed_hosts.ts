import type { Migration } from './migration.ts';

/**
 * Managed hosts (UA, AH): computers that stay installed and connected. Named
 * `managed_hosts`, apart from `agent_devices` (SR1, where agents work).
 * Only public keys are stored: nothing here lets anyone act as a host. A
 * deleted host's row is gone, and with it the key the broker would accept.
 * Enrolment codes are stored by hash and used once.
 */
export const managedHosts: Migration = {
  id: '20270102120000_managed_hosts',
  sql: `
CREATE TABLE host_groups (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (org_id, name)
);

CREATE TABLE host_group_rights (
  group_id TEXT NOT NULL REFERENCES host_groups(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id),
  may_connect INTEGER NOT NULL CHECK (may_connect IN (0, 1)),
  may_control INTEGER NOT NULL CHECK (may_control IN (0, 1)),
  may_files INTEGER NOT NULL CHECK (may_files IN (0, 1)),
  may_system_info INTEGER NOT NULL CHECK (may_system_info IN (0, 1)),
  PRIMARY KEY (group_id, user_id)
);

CREATE TABLE managed_hosts (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  group_id TEXT REFERENCES host_groups(id) ON DELETE SET NULL,
  tags TEXT NOT NULL DEFAULT '[]',
  public_key TEXT NOT NULL UNIQUE,
  presence TEXT,
  enrolled_at TEXT NOT NULL,
  last_seen_at TEXT
);
CREATE INDEX managed_hosts_org_name ON managed_hosts(org_id, name, id);

CREATE TABLE host_enrolment_codes (
  code_hash TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  group_id TEXT REFERENCES host_groups(id) ON DELETE SET NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
`,
};
