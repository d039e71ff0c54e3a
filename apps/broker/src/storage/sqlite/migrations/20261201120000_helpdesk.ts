import type { Migration } from './migration.ts';

/** Helpdesk integration: API tokens, service cases, session records, webhooks, templates, notification settings. */
export const helpdesk: Migration = {
  id: '20261201120000_helpdesk',
  sql: `
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  scopes TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by_id TEXT,
  created_by_name TEXT,
  last_used_at TEXT,
  revoked_at TEXT,
  revoked_by_name TEXT
);
CREATE INDEX api_tokens_org ON api_tokens(org_id, created_at);

-- A service case is a session request with these set. The ticket's other
-- fields stay in session_requests.ticket (JSON).
ALTER TABLE session_requests ADD COLUMN case_system TEXT;
ALTER TABLE session_requests ADD COLUMN case_ticket_id TEXT;
ALTER TABLE session_requests ADD COLUMN api_token_id TEXT;
CREATE INDEX session_requests_case_ticket ON session_requests(org_id, case_system, case_ticket_id, created_at)
  WHERE case_system IS NOT NULL;
CREATE INDEX session_requests_api_token ON session_requests(api_token_id)
  WHERE api_token_id IS NOT NULL AND status NOT IN ('closed', 'expired');

-- One row per remote session: opened by peer_connected, closed when the request leaves in_session.
CREATE TABLE session_records (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  request_id TEXT NOT NULL REFERENCES session_requests(id),
  started_at TEXT NOT NULL,
  ended_at TEXT,
  duration_ms INTEGER,
  agent_id TEXT,
  agent_name TEXT,
  connection TEXT,
  outcome TEXT
);
CREATE INDEX session_records_request ON session_records(request_id, started_at);
CREATE INDEX session_records_org_start ON session_records(org_id, started_at);

CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  description TEXT,
  -- The signing secret is derived from the broker's secret and this salt, so the file never holds it.
  secret_salt TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
);
CREATE INDEX webhooks_org ON webhooks(org_id) WHERE deleted_at IS NULL;

-- The durable delivery queue, written in the same transaction as the event's cause.
-- chain: the case the event is about; deliveries of one chain to one endpoint go in id order.
CREATE TABLE webhook_deliveries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  event_id TEXT NOT NULL,
  webhook_id TEXT NOT NULL REFERENCES webhooks(id),
  org_id TEXT NOT NULL,
  request_id TEXT,
  chain TEXT NOT NULL,
  event_type TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_status_code INTEGER,
  last_error TEXT,
  created_at TEXT NOT NULL,
  last_attempt_at TEXT,
  next_attempt_at TEXT,
  delivered_at TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(webhook_id, next_attempt_at, seq) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_next ON webhook_deliveries(next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_chain ON webhook_deliveries(webhook_id, chain, seq) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries(webhook_id, seq);

CREATE TABLE mail_templates (
  org_id TEXT NOT NULL REFERENCES orgs(id),
  kind TEXT NOT NULL,
  language TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT,
  PRIMARY KEY (org_id, kind, language)
);

CREATE TABLE notification_settings (
  user_id TEXT PRIMARY KEY REFERENCES users(id),
  desktop INTEGER NOT NULL,
  email INTEGER NOT NULL,
  share_queue_ids TEXT NOT NULL,
  language TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`,
};
