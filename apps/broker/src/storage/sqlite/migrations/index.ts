import { init } from './20261121120000_init.ts';
import { helpdesk } from './20261201120000_helpdesk.ts';
import { branding } from './20261215120000_branding.ts';
import { requestVersion } from './20261220120000_request_version.ts';
import { linkTokens } from './20261222120000_link_tokens.ts';
import { failureCounters } from './20261228120000_failure_counters.ts';
import { webhookSigning } from './20261230120000_webhook_signing.ts';
import { auditLog } from './20270101120000_audit_log.ts';
import { managedHosts } from './20270102120000_managed_hosts.ts';
import { unattendedGrants } from './20270105120000_unattended_grants.ts';
import { adhocSessions } from './20270106120000_adhoc_sessions.ts';
import { workerLeases } from './20270110120000_worker_leases.ts';

// The shape lives in migration.ts, so that a migration file needs nothing from this list.
export type { Migration } from './migration.ts';
import type { Migration } from './migration.ts';

export const MIGRATIONS: Migration[] = [
  init,
  helpdesk,
  branding,
  requestVersion,
  linkTokens,
  failureCounters,
  webhookSigning,
  auditLog,
  managedHosts,
  unattendedGrants,
  adhocSessions,
  workerLeases,
];
